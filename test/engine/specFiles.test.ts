// Hostile spec files through the real CLI (issue 11): exit code 2 and one clear message each,
// never a stack trace or a hang. Needs a build (node esbuild.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace } from '../../bench/fuzz/fuzzRunner';

const root = join(__dirname, '../..');
const CLI = join(root, 'bin/nas-studio.js');
const quickstart = readFileSync(join(root, 'examples/quickstart.nas.json'), 'utf8');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.signal, null, `${args.join(' ')} did not finish`);
  assert.ok(!hasStackTrace(r.stderr + r.stdout), r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `line:col` of an offset, counted from the start of the text. */
function position(text: string, offset: number): string {
  const lines = text.slice(0, offset).split('\n');
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}

function specFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('10,000 levels of nesting, with and without --seed: exit 2 and the position of the level past the limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-spec-'));
  const text = quickstart.replace('"seed": 0', `"seed": ${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  const file = specFile(dir, 'deep.nas.json', text);
  for (const args of [['run', file], ['run', file, '--seed', '3']]) {
    const r = cli(args, dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), `${file}:${position(text, text.indexOf('[[') + 63)}: error: arrays and objects nest more than 64 levels deep here; a spec needs only a few`);
  }
});

test('"population": 1e309 and "latencyRepeats": 1e309: exit 2 at once, the literal located', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-spec-'));
  const text = quickstart.replace('"population": 6', '"population": 1e309').replace('"workers": 2', '"workers": 2, "latencyRepeats": 1e309');
  const file = specFile(dir, 'inf.nas.json', text);
  const r = cli(['run', file], dir);
  assert.equal(r.code, 2);
  const first = text.indexOf('1e309');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `${file}:${position(text, first)}: error: 1e309 is too large: numbers must be finite (at most about 1.8e308)`,
    `${file}:${position(text, text.indexOf('1e309', first + 1))}: error: 1e309 is too large: numbers must be finite (at most about 1.8e308)`,
  ]);
});

test('40,000 invalid report entries: 100 problems and a count of the rest, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-spec-'));
  const spec = { ...JSON.parse(quickstart), report: Array.from({ length: 40_000 }, (_, i) => `bad metric ${i}`) };
  const text = JSON.stringify(spec, null, 2);
  const file = specFile(dir, 'report.nas.json', text);
  const r = cli(['run', file], dir);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 101);
  assert.equal(lines[0], `${file}:${position(text, text.indexOf('[', text.indexOf('"report"')))}: error: report has 40000 items; at most 256 are allowed`);
  assert.equal(lines[1], `${file}:${position(text, text.indexOf('"bad metric 0"'))}: error: report[0] must be a metric name: letters, digits, "_", "." and "-", starting with a letter or "_"`);
  assert.equal(lines[100], `${file}:${position(text, text.indexOf('"bad metric 99"'))}: error: ...and 39901 more problems (only the first 100 are listed; fix those and validate again)`);
});

test('a spec path at a device, a named pipe, a folder or a 2 MB file: exit 2 with the reason, nothing read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-spec-'));
  const big = specFile(dir, 'big.nas.json', `${quickstart}${' '.repeat(2 * 1024 * 1024)}`);
  const cases: [string, string][] = [
    ['/dev/zero', 'error: /dev/zero: not a regular file: a spec is a JSON file (this is a device, pipe or socket)'],
    [dir, `error: ${dir}: not a regular file: a spec is a JSON file (this is a folder)`],
    [big, `error: ${big}: the spec is 2,049 KB; spec files are limited to 1,024 KB (a spec holds settings: keep data in the files it names)`],
  ];
  const fifo = join(dir, 'pipe.nas.json');
  if (spawnSync('mkfifo', [fifo]).status === 0) cases.push([fifo, `error: ${fifo}: not a regular file: a spec is a JSON file (this is a device, pipe or socket)`]);
  for (const [path, message] of cases) {
    const r = cli(['run', path], dir);
    assert.equal(r.code, 2, path);
    assert.equal(r.stderr.trim(), message);
  }
});

test('a spec with a BOM, comments, trailing commas and a duplicate key runs; the warning is printed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-spec-'));
  const tiny = quickstart
    .replace('"trainSamples": 6000', '"trainSamples": 256')
    .replace('"validationSamples": 2000', '"validationSamples": 128')
    .replace('"testSamples": 2000', '"testSamples": 128, "latencyRepeats": 3')
    .replace('"workers": 2', '"workers": 1,')
    .replace('"trials": 16, "minutes": 4', '"trials": 16, "trials": 2 // two are enough\n');
  const file = specFile(dir, 'jsonc.nas.json', `\uFEFF// a spec with comments\n${tiny}`);
  const r = cli(['run', file, '--json', '--seed', '4'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${file}:\\d+:\\d+: warning: "trials" is set more than once in budget; only the last value counts`));
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.trials, 2);
  assert.equal(last.status, 'finished');
});
