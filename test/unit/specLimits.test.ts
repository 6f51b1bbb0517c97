// Spec files that are hostile or unusual (issue 11): every case ends in diagnostics, never in a
// thrown error, a stack overflow or unbounded work.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CommandIo, printDiagnostics } from '../../cli/commandSupport';
import { buildExperimentSchema } from '../../server/experiment/schema';
import { MAX_DIAGNOSTICS } from '../../server/experiment/specDiagnostic';
import { readSpecFileText } from '../../server/experiment/specFile';
import { MAX_SPEC_BYTES, MAX_SPEC_DEPTH } from '../../server/experiment/specPrecheck';
import { lazyValidator, LineIndex, setTopLevelKey, type SpecDiagnostic } from '../../server/experiment/specText';
import { DataError } from '../../server/core/errors';
import { validateSpecText } from '../../server/experiment/validate';
import { validateSupernetSpecText } from '../../server/supernet/validateSupernet';

const root = join(__dirname, '../..');
const examples = join(root, 'examples');
const quickstart = readFileSync(join(examples, 'quickstart.nas.json'), 'utf8');
const supernetExample = readFileSync(join(examples, 'supernet-mnist.supernet.json'), 'utf8');

const check = (text: string) => validateSpecText(text, { file: join(examples, 'test.nas.json'), baseDir: examples });
const checkSupernet = (text: string) => validateSupernetSpecText(text, { file: join(examples, 'test.supernet.json'), baseDir: examples });
const underlined = (text: string, d: SpecDiagnostic) => text.slice(d.start, d.end);
const errors = (ds: readonly SpecDiagnostic[]) => ds.filter((d) => d.severity === 'error');

/** The quickstart with one key of the top level replaced (raw JSON text for the value). */
function quickstartWith(key: string, rawValue: string): string {
  const spec = JSON.parse(quickstart) as Record<string, unknown>;
  spec[key] = '@@';
  return JSON.stringify(spec, null, 2).replace('"@@"', rawValue);
}

/** Line and column counted from the text start, independently of LineIndex. */
function naivePosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

test('a spec nested 10,000 levels deep is one clear error at the level past the limit, not a stack overflow', () => {
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  const text = quickstartWith('seed', deep);
  for (const r of [check(text), checkSupernet(supernetExample.replace('"seed": 0', `"seed": ${deep}`))]) {
    assert.equal(r.spec, undefined);
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0].message, new RegExp(`nest more than ${MAX_SPEC_DEPTH} levels deep`));
  }
  // The spec object is level 1, so the 64th "[" is level 65.
  const [d] = check(text).diagnostics;
  assert.equal(d.start, text.indexOf('[[') + MAX_SPEC_DEPTH - 1);
  // Objects count like arrays; brackets inside strings and comments do not.
  const objects = quickstartWith('seed', '{"a":'.repeat(100) + '0' + '}'.repeat(100));
  assert.match(check(objects).diagnostics[0].message, /nest more than 64 levels/);
  const quoted = quickstartWith('description', JSON.stringify('['.repeat(500))).replace('"seed"', `/* ${'{'.repeat(500)} */ "seed"`);
  assert.deepEqual(check(quoted).diagnostics, []);
});

test('exactly the nesting limit is accepted by the nesting check', () => {
  const nested = (levels: number) => quickstartWith('seed', '['.repeat(levels) + ']'.repeat(levels));
  // The spec object is one level: 63 arrays inside it reach the limit, 64 go past it.
  assert.doesNotMatch(check(nested(MAX_SPEC_DEPTH - 1)).diagnostics[0].message, /nest more than/);
  assert.match(check(nested(MAX_SPEC_DEPTH)).diagnostics[0].message, /nest more than/);
});

test('1e309 (Infinity once parsed) is rejected wherever a number goes, underlining the literal', () => {
  const cases: [string, string][] = [
    ['"population": 6', '"population": 1e309'],
    ['"workers": 2', '"workers": 2, "latencyRepeats": 1e309'],
    ['"minutes": 4', '"minutes": -1e309'],
    ['"seed": 0', '"seed": 0, "constraints": [{ "metric": "params", "max": 1e400 }]'],
  ];
  for (const [from, to] of cases) {
    const text = quickstart.replace(from, to);
    const r = check(text);
    assert.equal(r.spec, undefined, to);
    assert.equal(r.diagnostics.length, 1, to);
    assert.match(r.diagnostics[0].message, /is too large: numbers must be finite/);
    assert.match(underlined(text, r.diagnostics[0]), /^-?1e(309|400)$/);
  }
  const longLiteral = quickstart.replace('"population": 6', `"population": 1${'0'.repeat(400)}`);
  assert.match(check(longLiteral).diagnostics[0].message, /^10{39}\.\.\. is too large/);
  const supernet = supernetExample.replace('"batchSize": 64', '"batchSize": 1e309');
  assert.match(checkSupernet(supernet).diagnostics[0].message, /1e309 is too large/);
});

test('the schema validator itself rejects Infinity and NaN (strictNumbers), not only the parser', () => {
  const validate = lazyValidator(buildExperimentSchema)();
  const spec = JSON.parse(quickstart) as { strategy: Record<string, unknown>; budget: Record<string, unknown> };
  assert.equal(validate(spec), true);
  for (const bad of [Infinity, -Infinity, NaN]) {
    assert.equal(validate({ ...spec, budget: { ...spec.budget, minutes: bad } }), false, String(bad));
  }
});

test('large finite numbers hit the documented maximums', () => {
  const cases: [string, string, RegExp][] = [
    ['"population": 6', '"population": 1e300', /strategy\.population must be <= 10000 \(got 1e\+300\)/],
    ['"workers": 2', '"workers": 2, "latencyRepeats": 10001', /evaluator\.latencyRepeats must be <= 10000/],
    ['"trainSamples": 6000', '"trainSamples": 1e12', /evaluator\.trainSamples must be <= 10000000/],
    ['"minutes": 4', '"minutes": 1e7', /budget\.minutes must be <= 525600/],
    ['"filters": [8, 16, 32]', '"filters": [8, 16, 1e9]', /space\.convBlocks\.filters\[2\] must be <= 4096/],
  ];
  for (const [from, to, message] of cases) {
    const r = check(quickstart.replace(from, to));
    assert.equal(r.spec, undefined, to);
    assert.ok(r.diagnostics.some((d) => message.test(d.message)), r.diagnostics.map((d) => d.message).join('\n'));
  }
});

test('lists have maximum lengths: objectives, constraints, report, choices, phases', () => {
  const spec = JSON.parse(quickstart) as Record<string, unknown>;
  const over = (patch: Record<string, unknown>) => check(JSON.stringify({ ...spec, ...patch }, null, 2)).diagnostics.map((d) => d.message);
  const objectives = Array.from({ length: 17 }, (_, i) => ({ metric: `m${i}`, goal: 'maximize' }));
  assert.ok(over({ objectives }).includes('objectives has 17 items; at most 16 are allowed'));
  const constraints = Array.from({ length: 257 }, () => ({ metric: 'params', max: 1 }));
  assert.ok(over({ constraints }).includes('constraints has 257 items; at most 256 are allowed'));
  assert.ok(over({ report: Array(257).fill('params') }).includes('report has 257 items; at most 256 are allowed'));
  const space = { type: 'layers', convBlocks: { max: 1, filters: Array.from({ length: 65 }, (_, i) => i + 1) } };
  assert.ok(over({ space }).includes('space.convBlocks.filters has 65 items; at most 64 are allowed'));

  const supernet = JSON.parse(supernetExample) as { training: { phases: unknown[] } };
  const phases = Array.from({ length: 17 }, () => ({ phase: 'full', epochs: 1, learningRate: 0.1 }));
  const choices = [{ phase: 'full', epochs: 1, learningRate: 0.1 }, { phase: 'kernel', epochs: 1, learningRate: 0.1, choices: Array(65).fill(3) }];
  const supernetMessages = (p: unknown[]) => checkSupernet(JSON.stringify({ ...supernet, training: { ...supernet.training, phases: p } })).diagnostics.map((d) => d.message);
  assert.ok(supernetMessages(phases).includes('training.phases has 17 items; at most 16 are allowed'));
  assert.ok(supernetMessages(choices).includes('training.phases[1].choices has 65 items; at most 64 are allowed'));
});

test('file options with a NUL character are an error on the option, before any file is opened', () => {
  const nb201 = readFileSync(join(examples, 'nb201-cifar10.nas.json'), 'utf8');
  const text = nb201.replace('../../shared', 'a\\u0000b');
  const r = check(text);
  assert.deepEqual(r.diagnostics.map((d) => d.message), ['evaluator.table must not contain a NUL character (no file name can)']);
  assert.equal(r.diagnostics[0].start, text.indexOf('"a\\u0000b'));
});

test('strings have maximum lengths: a 10,000-character name is an error, not a folder name', () => {
  const text = quickstart.replace('"name": "quickstart"', `"name": "${'n'.repeat(10_000)}"`);
  const [d] = check(text).diagnostics;
  assert.equal(d.message, 'name is 10000 characters long; at most 200 are allowed');
  const path = quickstart.replace('"type": "mnist"', `"type": "idx", "trainImages": "${'a/'.repeat(3000)}", "trainLabels": "l"`);
  assert.ok(check(path).diagnostics.some((x) => /evaluator\.dataset\.trainImages is 6000 characters long; at most 4096/.test(x.message)));
});

test('40,000 invalid report entries: the length error first, then the first 100 problems and a count of the rest', () => {
  const spec = JSON.parse(quickstart) as Record<string, unknown>;
  const text = JSON.stringify({ ...spec, report: Array.from({ length: 40_000 }, (_, i) => `bad metric ${i}`) }, null, 2);
  const r = check(text);
  assert.equal(r.diagnostics.length, MAX_DIAGNOSTICS + 1);
  assert.equal(r.diagnostics[0].message, 'report has 40000 items; at most 256 are allowed');
  assert.match(r.diagnostics[1].message, /^report\[0\] must be a metric name/);
  const summary = r.diagnostics[MAX_DIAGNOSTICS];
  assert.equal(summary.severity, 'error');
  assert.equal(summary.message, '...and 39901 more problems (only the first 100 are listed; fix those and validate again)');
  // Placed at the first problem left out: report[99].
  assert.equal(underlined(text, summary), '"bad metric 99"');
});

test('the CLI prints each listed problem as file:line:col, positions as counted from the start of the text', () => {
  const spec = JSON.parse(quickstart) as Record<string, unknown>;
  const text = JSON.stringify({ ...spec, report: Array.from({ length: 40_000 }, (_, i) => `bad metric ${i}`) }, null, 2);
  const validation = check(text);
  const lines: string[] = [];
  const io: CommandIo = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
  assert.equal(validation.spec, undefined);
  printDiagnostics(io, 'big.nas.json', text, validation.diagnostics);
  assert.equal(lines.length, MAX_DIAGNOSTICS + 1);
  validation.diagnostics.forEach((d, i) => {
    const { line, column } = naivePosition(text, d.start);
    assert.equal(lines[i], `big.nas.json:${line}:${column}: ${d.severity}: ${d.message}`);
  });
});

test('LineIndex agrees with counting from the start, on every offset; a byte order mark is not a column', () => {
  const text = 'ab\n\ncd\r\nefg\n';
  const index = new LineIndex(text);
  for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(index.position(offset), naivePosition(text, offset), `offset ${offset}`);
  const bom = new LineIndex('\uFEFF{"a": 1}\n{');
  assert.deepEqual(bom.position(1), { line: 1, column: 1 });
  assert.deepEqual(bom.position(3), { line: 1, column: 3 });
  assert.deepEqual(bom.position(10), { line: 2, column: 1 });
});

test('a spec over 1 MB is one error before parsing; the limit counts bytes, not characters', () => {
  const padded = (size: number) => quickstart.replace('"seed": 0', `"seed": 0${' '.repeat(size - Buffer.byteLength(quickstart))}`);
  assert.deepEqual(check(padded(MAX_SPEC_BYTES)).diagnostics, []);
  const over = check(padded(MAX_SPEC_BYTES + 1));
  assert.equal(over.diagnostics.length, 1);
  assert.equal(over.diagnostics[0].message, 'the spec is 1,025 KB; spec files are limited to 1,024 KB (a spec holds settings: keep data in the files it names)');
  // 600,000 two-byte characters: 1.2 MB of UTF-8 in 600,000 string characters.
  const wide = quickstartWith('description', JSON.stringify('é'.repeat(600_000)));
  assert.ok(wide.length < MAX_SPEC_BYTES);
  assert.match(check(wide).diagnostics[0].message, /^the spec is 1,1\d\d KB/);
  const twentyMegabytes = quickstart + ' '.repeat(20 * 1024 * 1024);
  assert.match(check(twentyMegabytes).diagnostics[0].message, /^the spec is 20,481 KB;/);
});

test('a byte order mark is accepted, and positions after it stay where an editor shows them', () => {
  const r = check('\uFEFF' + quickstart);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.spec?.name, 'quickstart');
  assert.ok(checkSupernet('\uFEFF' + supernetExample).spec);
  const bad = quickstart.replace('"population": 6', '"population": "six"');
  const plain = check(bad).diagnostics[0];
  const marked = check('\uFEFF' + bad).diagnostics[0];
  assert.equal(marked.message, plain.message);
  assert.equal(marked.start, plain.start + 1);
  assert.deepEqual(new LineIndex('\uFEFF' + bad).position(marked.start), new LineIndex(bad).position(plain.start));
});

test("comments and trailing commas are accepted (JSONC, as the editor treats spec files); the README's example validates", () => {
  const jsonc = quickstart
    .replace('"seed": 0', '"seed": 0, // same seed, same search\n  /* a block\n     comment */')
    .replace('"dropout": [0, 0.25]', '"dropout": [0, 0.25,],');
  const r = check(jsonc);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.spec?.space, check(quickstart).spec?.space);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = /```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example?.includes('//'), 'the README shows a spec with comments');
  assert.deepEqual(check(example!).diagnostics, []);
});

test('a duplicate key is a warning on the later key; the later value counts and errors point at it', () => {
  const text = quickstart.replace('"population": 6,', '"population": 4, "population": 8,');
  const r = check(text);
  assert.equal(r.diagnostics.length, 1);
  const [d] = r.diagnostics;
  assert.equal(d.severity, 'warning');
  assert.equal(d.message, '"population" is set more than once in strategy; only the last value counts');
  assert.equal(d.start, text.lastIndexOf('"population"'));
  assert.equal(underlined(text, d), '"population"');
  assert.equal((r.spec?.strategy as { population?: number }).population, 8);

  const laterBad = quickstart.replace('"population": 6,', '"population": 6, "population": "x",');
  const problems = check(laterBad).diagnostics;
  assert.equal(errors(problems).length, 1);
  assert.equal(errors(problems)[0].start, laterBad.indexOf('"x"'));
  assert.equal(problems.filter((x) => x.severity === 'warning').length, 1);
  // Warnings come with supernet specs too.
  const supernet = checkSupernet(supernetExample.replace('"classes": 10,', '"classes": 10, "classes": 10,'));
  assert.ok(supernet.spec);
  assert.match(supernet.diagnostics[0].message, /"classes" is set more than once in supernet/);
});

test('keys in messages are quoted, escaped and cut short: one line per problem, whatever the key', () => {
  const odd = `line\nbreak ${'x'.repeat(100)}`;
  const text = quickstart.replace('"population": 6', `"population": 6, ${JSON.stringify(odd)}: 1, ${JSON.stringify(odd)}: 2`);
  const messages = check(text).diagnostics.map((d) => d.message);
  const shown = JSON.stringify(`${odd.slice(0, 60)}...`);
  assert.deepEqual(messages, [
    `unknown key ${shown} in strategy; allowed keys: type, population, sampleSize, mutationProbability`,
    `${shown} is set more than once in strategy; only the last value counts`,
  ]);
  assert.ok(messages.every((m) => !m.includes('\n')));
  const nested = quickstart.replace('"seed": 0', '"seed": 0, "a b": { "k": 1, "k": 2 }');
  assert.ok(check(nested).diagnostics.some((d) => d.message === '"k" is set more than once in ["a b"]; only the last value counts'));
});

test('thousands of duplicate keys are capped like any other problems', () => {
  const text = quickstart.replace('"seed": 0', Array.from({ length: 5000 }, () => '"seed": 0').join(', '));
  const r = check(text);
  assert.ok(r.spec);
  assert.equal(r.diagnostics.length, MAX_DIAGNOSTICS + 1);
  assert.equal(r.diagnostics.at(-1)?.severity, 'warning');
  assert.match(r.diagnostics.at(-1)!.message, /^\.\.\.and 4899 more problems/);
});

test('when problems must be cut, errors are kept before warnings', () => {
  const duplicates = Array.from({ length: 300 }, () => '"seed": 0').join(', ');
  const text = quickstart.replace('"seed": 0', duplicates).replace('"population": 6', '"population": "six"');
  const ds = check(text).diagnostics;
  assert.equal(ds[0].message, 'strategy.population must be an integer');
  assert.equal(ds.length, MAX_DIAGNOSTICS + 1);
});

test('--seed edits well-formed specs (the value that counts) and leaves anything else for validation to report', () => {
  assert.equal(JSON.parse(setTopLevelKey('{"a": 1}', 'seed', 3)).seed, 3);
  assert.equal(setTopLevelKey('{"seed": 1, "a": 2, "seed": 2}', 'seed', 5), '{"seed": 1, "a": 2, "seed": 5}');
  const commented = setTopLevelKey('\uFEFF{\n  // keep me\n  "seed": 1,\n}', 'seed', 7);
  assert.equal(commented, '\uFEFF{\n  // keep me\n  "seed": 7,\n}');
  const deep = `{"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
  for (const text of ['[1, 2]', '42', '', '{"a": ', '{"seed": [1,', 'null', deep]) assert.equal(setTopLevelKey(text, 'seed', 3), text);
});

test('a spec file is read only when it is a regular file within the size limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-spec-'));
  const file = join(dir, 'a.nas.json');
  writeFileSync(file, '\uFEFF{}');
  assert.equal(readSpecFileText(file), '\uFEFF{}');
  writeFileSync(file, ' '.repeat(MAX_SPEC_BYTES + 1));
  assert.throws(() => readSpecFileText(file), (e) => e instanceof DataError && /the spec is 1,025 KB; spec files are limited to 1,024 KB/.test(e.message));
  assert.throws(() => readSpecFileText(dir), (e) => e instanceof DataError && /not a regular file: a spec is a JSON file \(this is a folder\)/.test(e.message));
  assert.throws(() => readSpecFileText('/dev/zero'), (e) => e instanceof DataError && /this is a device, pipe or socket/.test(e.message));
  assert.throws(() => readSpecFileText(join(dir, 'missing.json')), (e) => (e as NodeJS.ErrnoException).code === 'ENOENT');
});
