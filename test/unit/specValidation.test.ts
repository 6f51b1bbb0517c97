import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineIndex, validateSpecText, type SpecDiagnostic } from '../../server/experiment/validate';

const examples = join(__dirname, '../../examples');
const quickstart = readFileSync(join(examples, 'quickstart.nas.json'), 'utf8');

function check(text: string) {
  return validateSpecText(text, { file: '/w/test.nas.json', baseDir: '/w' });
}

/** The text a diagnostic underlines. */
function underlined(text: string, d: SpecDiagnostic): string {
  return text.slice(d.start, d.end);
}

const base = {
  space: { type: 'layers' },
  evaluator: { type: 'train' },
  strategy: { type: 'random' },
  objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
  budget: { trials: 5 },
};
const spec = (patch: Record<string, unknown>) => JSON.stringify({ ...base, ...patch }, null, 2);

test('the quickstart example is valid, with defaults filled in', () => {
  const r = validateSpecText(quickstart, { file: join(examples, 'quickstart.nas.json'), baseDir: examples });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.spec?.name, 'quickstart');
  assert.equal(r.spec?.strategy.type, 'regularized-evolution');
  assert.deepEqual(r.spec?.constraints, []);
});

test('a minimal spec gets its name from the file and seed 0', () => {
  const r = check(spec({}));
  assert.equal(r.spec?.name, 'test');
  assert.equal(r.spec?.seed, 0);
});

test('JSON syntax errors point at the offending character', () => {
  const text = '{\n  "space": {"type": "layers"}\n  "strategy": {}\n}';
  const r = check(text);
  assert.equal(r.spec, undefined);
  assert.match(r.diagnostics[0].message, /JSON syntax: comma expected/);
  assert.deepEqual(new LineIndex(text).position(r.diagnostics[0].start), { line: 3, column: 3 });
});

test('an unknown key underlines the key and lists the allowed ones', () => {
  const text = spec({ strategy: { type: 'regularized-evolution', populaton: 10 } });
  const [d] = check(text).diagnostics;
  assert.equal(underlined(text, d), '"populaton"');
  assert.match(d.message, /unknown key "populaton" in strategy; allowed keys: type, population, sampleSize, mutationProbability/);
});

test('wrong types and impossible values underline the value', () => {
  const text = spec({ strategy: { type: 'regularized-evolution', population: 'ten' }, budget: { trials: 0 } });
  const ds = check(text).diagnostics;
  const messages = ds.map((d) => `${d.message} @ ${underlined(text, d)}`);
  assert.ok(messages.includes('strategy.population must be an integer @ "ten"'), messages.join('\n'));
  assert.ok(messages.includes('budget.trials must be >= 1 (got 0) @ 0'), messages.join('\n'));
});

test('an unknown strategy type names the known ones', () => {
  const text = spec({ strategy: { type: 'evolution' } });
  const [d] = check(text).diagnostics;
  assert.equal(underlined(text, d), '"evolution"');
  assert.match(d.message, /unknown strategy type "evolution"; known types: random, regularized-evolution/);
});

test('missing required keys are reported on the object', () => {
  const { budget: _b, ...rest } = base;
  const [d] = check(JSON.stringify(rest)).diagnostics;
  assert.match(d.message, /missing the required key "budget"/);
});

test('an objective the evaluator does not produce lists the metrics it does', () => {
  const text = spec({ objectives: [{ metric: 'accuracy', goal: 'maximize' }] });
  const [d] = check(text).diagnostics;
  assert.equal(underlined(text, d), '"accuracy"');
  assert.match(d.message, /unknown metric "accuracy": evaluator "train" produces val_accuracy, val_loss/);
});

test('contradictory constraint and oversized tournament are errors; an oversized budget is a warning and clamped', () => {
  const text = spec({
    constraints: [{ metric: 'params', min: 10, max: 5 }],
    strategy: { type: 'regularized-evolution', population: 4, sampleSize: 6 },
  });
  const messages = check(text).diagnostics.map((d) => d.message);
  assert.ok(messages.some((m) => /min 10 is larger than max 5/.test(m)));
  assert.ok(messages.some((m) => /sampleSize 6 is larger than the population of 4/.test(m)));

  const big = check(spec({ space: { type: 'layers', convBlocks: { max: 1, filters: [8], kernels: [3] }, denseLayers: { max: 0 }, dropout: [0] }, budget: { trials: 50 } }));
  assert.equal(big.diagnostics.length, 1);
  assert.equal(big.diagnostics[0].severity, 'warning');
  assert.match(big.diagnostics[0].message, /exceeds the 2 distinct architectures/);
  assert.equal(big.spec?.budget.trials, 2);
});

test('space option errors are anchored inside the space block', () => {
  const text = spec({ space: { type: 'layers', input: [8, 8, 1], convBlocks: { max: 5 } } });
  const [d] = check(text).diagnostics;
  assert.equal(underlined(text, d), '5');
  assert.match(d.message, /halve a 8x8 input to nothing/);
});
