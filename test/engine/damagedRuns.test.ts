// Issue 11, "history rewritten" and "crashes": whatever a run folder holds, reading it never
// writes, a run that cannot be read is listed as damaged with the reason, never marked failed,
// and `repair` gives a clean journal back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticNb201Table, writeTabularSpec } from '../syntheticNb201';

const CLI = join(__dirname, '../../bin/nas-studio.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError|ERR_/;

/** One finished 12-trial tabular run, copied fresh for each case. */
const base = mkdtempSync(join(tmpdir(), 'nas-damaged-'));
const table = writeSyntheticNb201Table(base);
const finished = cli(['run', writeTabularSpec(base, 'clean', 12, table), '--root', join(base, 'runs'), '--json'], base);
assert.equal(finished.code, 0, finished.stderr);
const cleanId = JSON.parse(finished.stdout.trim().split('\n').at(-1)!).experiment as string;

function copyRun(): { dir: string; root: string; run: string; journal: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nas-damaged-case-'));
  const root = join(dir, 'runs');
  mkdirSync(root);
  cpSync(join(base, 'runs', cleanId), join(root, cleanId), { recursive: true });
  return { dir, root, run: join(root, cleanId), journal: join(root, cleanId, 'journal.jsonl') };
}

function listed(root: string, cwd: string): { status: string; damage?: string[]; progress: { done: number; total: number } }[] {
  const r = cli(['list', '--root', root, '--json'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, STACK);
  return JSON.parse(r.stdout);
}

/** Resume is refused with exit 2 and a message, and nothing at all is written. */
function assertResumeRefused(c: ReturnType<typeof copyRun>, message: RegExp): void {
  const journalText = () => (existsSync(c.journal) && statSync(c.journal).isFile() ? readFileSync(c.journal, 'utf8') : undefined);
  const before = journalText();
  const r = cli(['resume', cleanId, '--root', c.root], c.dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, STACK);
  assert.equal(journalText(), before, 'resume wrote nothing');
  assert.deepEqual(readdirSync(c.run).filter((f) => f.startsWith('lock')), [], 'no lock left behind');
}

for (const [what, line, reason] of [
  ['a journal line `null`', 'null', /journal line 2\d: not a journal record: null/],
  ['a journal line `42`', '42', /journal line 2\d: not a journal record: 42/],
  ['a trial record without metrics', JSON.stringify({ type: 'trial_finished', trial: 3, key: 'k', at: 'now' }), /journal line 2\d: trial 3 has no metrics/],
  ['a record for trial 999', JSON.stringify({ type: 'trial_finished', trial: 999, key: 'k', genome: [0], arch: { space: 'nb201' }, metrics: {}, feasible: true, cached: false, at: 'now', elapsedMs: 1, durationMs: 1 }), /trial 999 is outside this run's budget of 12 trials/],
] as const) {
  test(`${what}: listed as damaged with the reason, resume refused without writing, repair restores the finished run`, () => {
    const c = copyRun();
    appendFileSync(c.journal, line + '\n');
    const [summary] = listed(c.root, c.dir);
    assert.equal(summary.status, 'damaged');
    assert.match(summary.damage!.join('\n'), reason);
    assert.equal(summary.progress.done, 12, 'the valid records still count');
    const show = cli(['show', cleanId, '--root', c.root], c.dir);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /damaged \(nas-studio repair/);
    assertResumeRefused(c, /is damaged .*nas-studio repair/);

    const plan = cli(['repair', cleanId, '--root', c.root], c.dir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /dropping 0 repeated record\(s\) and 1 line\(s\)/);
    assert.match(plan.stdout, /run again with --yes/);
    assert.equal(listed(c.root, c.dir)[0].status, 'damaged', 'without --yes nothing changes');
    const repaired = cli(['repair', cleanId, '--root', c.root, '--yes'], c.dir);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stdout, /the run is now finished, 12\/12 trials/);
    const backups = readdirSync(c.run).filter((f) => f.startsWith('journal.jsonl.bak-'));
    assert.equal(backups.length, 1);
    assert.ok(readFileSync(join(c.run, backups[0]), 'utf8').endsWith(line + '\n'), 'the backup is the original');
    assert.equal(listed(c.root, c.dir)[0].status, 'finished');
  });
}

test('duplicated trial records, even the whole journal appended to itself, count once; resuming the finished run writes nothing', () => {
  const c = copyRun();
  const text = readFileSync(c.journal, 'utf8');
  const trialLine = text.split('\n').find((l) => l.includes('"trial_finished"'))!;
  appendFileSync(c.journal, trialLine + '\n' + text);
  const [summary] = listed(c.root, c.dir);
  assert.equal(summary.status, 'finished');
  assert.deepEqual(summary.progress, { done: 12, total: 12, unit: 'trials' });
  const before = readFileSync(c.journal, 'utf8');
  const r = cli(['resume', cleanId, '--root', c.root, '--json'], c.dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').at(-1)!).trials, 12);
  assert.equal(readFileSync(c.journal, 'utf8'), before, 'a finished run is left as it is');
  const plan = cli(['repair', cleanId, '--root', c.root, '--yes'], c.dir);
  assert.match(plan.stdout, /dropping 13 repeated record\(s\) and 0 line\(s\)/);
  const trials = readFileSync(c.journal, 'utf8').split('\n').filter((l) => l.includes('"trial_finished"')).map((l) => JSON.parse(l).trial);
  assert.deepEqual(trials, [...Array(12).keys()], 'each trial once, in order');
});

for (const [what, damage, reason] of [
  ['spec.json missing', (run: string) => rmSync(join(run, 'spec.json')), /spec\.json is missing/],
  ['spec.json garbled', (run: string) => writeFileSync(join(run, 'spec.json'), '{"format": 2, "kind": "sea'), /spec\.json is not valid JSON/],
  ['spec.json of another format', (run: string) => writeFileSync(join(run, 'spec.json'), '{}'), /spec\.json is not a run snapshot/],
  ['an older layout whose experiment.json is {}', (run: string) => writeFileSync(join(run, 'experiment.json'), '{}'), /experiment\.json lacks the name/],
  ['journal.jsonl replaced by a folder', (run: string) => (rmSync(join(run, 'journal.jsonl')), mkdirSync(join(run, 'journal.jsonl'))), /the journal is a folder, not a file/],
] as const) {
  test(`${what}: listed as damaged (list, list --json and show exit 0), resume refused, nothing written`, () => {
    const c = copyRun();
    damage(c.run);
    const [summary] = listed(c.root, c.dir);
    assert.equal(summary.status, 'damaged');
    assert.match(summary.damage!.join('\n'), reason);
    const list = cli(['list', '--root', c.root], c.dir);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${cleanId}\\s+damaged`));
    const show = cli(['show', cleanId, '--root', c.root], c.dir);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, reason);
    assertResumeRefused(c, /cannot be read|damaged/);
  });
}

test('one damaged folder does not hide the others from list', () => {
  const c = copyRun();
  cpSync(c.run, join(c.root, 'second'), { recursive: true });
  writeFileSync(join(c.run, 'spec.json'), 'garbage');
  const summaries = listed(c.root, c.dir);
  assert.deepEqual(summaries.map((s) => s.status).sort(), ['damaged', 'finished']);
});

test('list on an empty or missing root, list/show --json, show | head -1: exit 0 and no stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  for (const args of [['list'], ['list', '--json'], ['list', '--root', join(dir, 'none')]]) {
    const r = cli(args, dir);
    assert.equal(r.code, 0, `${args}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, STACK);
  }
  assert.match(cli(['list'], dir).stdout, /no runs in/);
  assert.equal(cli(['list', '--json'], dir).stdout.trim(), '[]');
  const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" show ${cleanId} --root "${join(base, 'runs')}" | head -1`], { encoding: 'utf8' });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stdout.trim().split('\n').length, 1);
  assert.doesNotMatch(piped.stderr, /EPIPE|\n\s+at /);
});

test('--root at a file and --out at an existing file: exit 2 with the path, and no folder or temp file left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const spec = writeTabularSpec(dir, 'tiny', 2, table);
  const listed = cli(['list', '--root', file], dir);
  assert.equal(listed.code, 2);
  assert.match(listed.stderr, /a-file: is a file, not a folder of runs/);
  const out = cli(['run', spec, '--out', file], dir);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /a-file: is a file; choose a folder for the run/);
  const root = cli(['run', spec, '--root', join(file, 'runs')], dir);
  assert.equal(root.code, 2);
  assert.match(root.stderr, /error: \/\S+\/a-file: a file stands where a folder is needed/);
  for (const r of [out, root]) assert.doesNotMatch(r.stderr, STACK);
  assert.deepEqual(readdirSync(dir).sort(), ['a-file', 'tiny.nas.json'], 'no run folder, staging folder or temp file');
  const empty = cli(['run', spec, '--out', ''], dir);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--out must name a folder/);
});

test('a sweep over a million limits is refused at once as a usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  const started = Date.now();
  const r = cli(['specialize', '--predictor', 'p.json', '--flops', '--limits', '0:1000000:0.001'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--limits range "0:1000000:0.001" gives 1000000001 values; at most 1000/);
  assert.ok(Date.now() - started < 30_000);
});

test('bad data found before the run: exit 2 with the file and the reason, no run folder, no "no feasible architecture"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  const images = join(dir, 'images.idx');
  const labels = join(dir, 'labels.idx');
  writeFileSync(images, Buffer.from([0, 0, 9, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, ...new Array(2 * 28 * 28).fill(0)])); // 0x09: not an IDX type
  writeFileSync(labels, Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 3, 1]));
  const spec = join(dir, 'bad-data.nas.json');
  writeFileSync(
    spec,
    JSON.stringify({
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 1, units: [16] } },
      evaluator: { type: 'train', dataset: { type: 'idx', trainImages: 'images.idx', trainLabels: 'labels.idx' }, trainSamples: 1, validationSamples: 1, testSamples: 0 },
      strategy: { type: 'random' },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      budget: { trials: 2 },
    }),
  );
  const r = cli(['run', spec, '--root', join(dir, 'runs')], dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`error: ${images.replace(/[.]/g, '\\.')}: .*(type|magic)`, 'i'));
  assert.doesNotMatch(r.stdout + r.stderr, /no feasible architecture|\n\s+at /);
  assert.equal(existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).length : 0, 0, 'no run folder');
});
