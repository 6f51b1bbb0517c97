// The spec fuzzer's generator and detectors (bench/fuzz): deterministic cases, every kind of
// mutation, and detectors that do see a stack trace and a hang.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, runProcess } from '../../bench/fuzz/fuzzRunner';
import { hostileSpec, loadBases, tinyBudget } from '../../bench/fuzz/hostileSpecs';
import { validateSpecText } from '../../server/experiment/validate';
import { validateSupernetSpecText } from '../../server/supernet/validateSupernet';

const examples = join(__dirname, '../../examples');
const bases = loadBases(examples);

test('the bases are the examples, valid, with tiny budgets and absolute file options', () => {
  assert.deepEqual(bases.map((b) => b.name), ['nb201-cifar10.nas.json', 'nb201-pareto.nas.json', 'ofa-note10.nas.json', 'quickstart.nas.json', 'supernet-mnist.supernet.json', 'supernet-search.nas.json']);
  const table = (bases[0].value as { evaluator: { table: string } }).evaluator.table;
  // The NAS-Bench-201 examples need the shared benchmark table (NAS_SHARED_DATA) to validate.
  for (const base of bases.filter((b) => existsSync(table) || !b.name.startsWith('nb201'))) {
    const text = JSON.stringify(base.value);
    const context = { file: '/elsewhere/spec.json', baseDir: '/elsewhere' };
    const r = base.kind === 'supernet' ? validateSupernetSpecText(text, context) : validateSpecText(text, context);
    // The supernet-search example names a run that may not exist; its spec is valid all the same.
    assert.ok(r.spec, `${base.name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  }
  const nb201 = bases[0].value as { evaluator: { table: string }; budget: { trials: number } };
  assert.equal(nb201.evaluator.table, join(examples, '../../shared/data/nas-bench-201/nb201.csv'));
  assert.equal(nb201.budget.trials, 3);
  const quickstart = bases[3].value as { evaluator: Record<string, number> };
  assert.equal(quickstart.evaluator.trainSamples, 256);
  assert.equal(quickstart.evaluator.latencyRepeats, 3);
});

test('tinyBudget lowers what makes runs long, keeps smaller values, and fills in absent ones', () => {
  const spec = { evaluator: { type: 'train', epochs: 5, trainSamples: 10 }, budget: { trials: 1000, minutes: 5 } };
  assert.deepEqual(tinyBudget(spec), {
    evaluator: { type: 'train', epochs: 1, trainSamples: 10, validationSamples: 128, testSamples: 128, latencyRepeats: 3, workers: 1 },
    budget: { trials: 3 },
  });
  assert.equal(tinyBudget('not a spec'), 'not a spec');
});

test('same seed, same cases; another seed, other cases', () => {
  const a = Array.from({ length: 30 }, (_, i) => hostileSpec(bases, i, { seed: 1 }));
  const b = Array.from({ length: 30 }, (_, i) => hostileSpec(bases, i, { seed: 1 }));
  const c = Array.from({ length: 30 }, (_, i) => hostileSpec(bases, i, { seed: 2 }));
  assert.deepEqual(a.map((x) => x.bytes.toString('base64')), b.map((x) => x.bytes.toString('base64')));
  assert.notDeepEqual(a.map((x) => x.bytes.toString('base64')), c.map((x) => x.bytes.toString('base64')));
});

test('400 cases use every mutation and every example', () => {
  const cases = Array.from({ length: 400 }, (_, i) => hostileSpec(bases, i, { seed: 9, fifo: '/tmp/fifo' }));
  const mutations = new Set(cases.flatMap((c) => c.mutation.split('+')));
  for (const m of ['wrong-type', 'hostile-number', 'deep-nesting', 'huge-string', 'huge-list', 'unknown-key', 'missing-key', 'file-path', 'bom', 'comments', 'duplicate-key', 'truncation', 'random-bytes', 'garbage', 'unchanged']) {
    assert.ok(mutations.has(m), m);
  }
  assert.equal(new Set(cases.map((c) => c.base)).size, bases.length);
  assert.ok(cases.some((c) => c.bytes.includes('1e309')));
  assert.ok(cases.some((c) => c.bytes.includes('../../etc/passwd')));
  assert.ok(cases.some((c) => c.bytes[0] === 0xef && c.bytes[1] === 0xbb));
});

test('the detectors see a stack trace, a fatal error and a hang', async () => {
  const crash = await runProcess(process.execPath, ['-e', 'null.x'], 30_000);
  assert.equal(crash.hang, false);
  assert.equal(crash.exitCode, 1);
  assert.ok(hasStackTrace(crash.output), crash.output);
  assert.ok(hasStackTrace('error: RangeError: Maximum call stack size exceeded'));
  assert.ok(hasStackTrace('#\n# Fatal JavaScript invalid size error 169220804\n#'));
  assert.ok(!hasStackTrace('spec.nas.json:3:14: error: strategy.population must be <= 10000 (got 1e+300)'));
  const hang = await runProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], 500);
  assert.deepEqual({ hang: hang.hang, exitCode: hang.exitCode }, { hang: true, exitCode: null });
});
