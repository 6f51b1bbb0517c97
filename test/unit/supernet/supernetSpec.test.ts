import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SpecDiagnostic } from '../../../server/experiment/specText';
import { validateSpecText } from '../../../server/experiment/validate';
import { OfaSmallSpace } from '../../../server/supernet/ofaSmallSpace';
import { validateSupernetSpecText } from '../../../server/supernet/validateSupernet';

const examples = join(__dirname, '../../../examples');
const example = readFileSync(join(examples, 'supernet-mnist.supernet.json'), 'utf8');
const base = JSON.parse(example) as Record<string, Record<string, unknown>>;

const check = (text: string) => validateSupernetSpecText(text, { file: '/w/run.supernet.json', baseDir: '/w' });
const withTraining = (patch: Record<string, unknown>) => JSON.stringify({ ...base, training: { ...base.training, ...patch } }, null, 2);
const underlined = (text: string, d: SpecDiagnostic) => text.slice(d.start, d.end);

test("the quality bench's longer schedules are the example's supernet with 22 and 44 epochs", () => {
  const recipes = join(__dirname, '../../../bench/recipes');
  const exampleSpec = validateSupernetSpecText(example, { baseDir: examples }).spec!;
  for (const epochs of [22, 44]) {
    const file = join(recipes, `supernet-${epochs}-epochs.supernet.json`);
    const r = validateSupernetSpecText(readFileSync(file, 'utf8'), { file, baseDir: recipes });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.spec!.supernet, exampleSpec.supernet);
    assert.equal(r.spec!.training.phases.reduce((n, p) => n + p.epochs, 0), epochs);
    assert.deepEqual({ ...r.spec!.training, phases: [] }, { ...exampleSpec.training, phases: [] });
  }
});

test('the MNIST supernet example is valid, with defaults filled in', () => {
  const r = validateSupernetSpecText(example, { file: join(examples, 'supernet-mnist.supernet.json'), baseDir: examples });
  assert.deepEqual(r.diagnostics, []);
  const spec = r.spec!;
  assert.equal(spec.name, 'supernet-mnist');
  assert.deepEqual(spec.supernet.kernels, [3, 5, 7]);
  assert.equal(spec.training.sandwich, true);
  assert.equal(spec.training.teacher, 'inplace');
  assert.deepEqual(spec.training.phases.map((p) => [p.phase, p.subnetsPerStep]), [['full', 1], ['kernel', 3], ['depth', 3], ['expand', 4]]);
  // Without the sandwich rule: OFA's dynamic batch sizes.
  const ofa = validateSupernetSpecText(withTraining({ sandwich: false }), { baseDir: examples }).spec!;
  assert.deepEqual(ofa.training.phases.map((p) => p.subnetsPerStep), [1, 1, 2, 4]);
  assert.equal(ofa.training.teacher, 'frozen');
  assert.equal(spec.training.calibrationSamples, 2000);
  assert.deepEqual(spec.training.augment, { crop: 2, flip: false });
});

test('the name defaults to the file name without .supernet.json; fairnas runs all choices in groups', () => {
  const text = JSON.stringify({ ...base, name: undefined, training: { mode: 'fairnas', epochs: 3, learningRate: 0.05 } });
  const r = check(text);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.spec?.name, 'run');
  assert.deepEqual(r.spec?.training.phases, [{ phase: 'fairnas', epochs: 3, learningRate: 0.05, subnetsPerStep: 3 }]);
  assert.equal(r.spec?.training.distillation, 0);
});

test('problems are anchored to the offending value', () => {
  const cases: [string, string, RegExp, string][] = [
    [withTraining({ batchSize: 63 }), 'batchSize', /batchSize 63 must be divisible by the 2 workers/, '63'],
    [withTraining({ teacher: 'frozen', phases: [{ phase: 'kernel', epochs: 1, learningRate: 0.1 }] }), 'distillation', /the frozen teacher is the largest network trained in a first "full" phase/, '1'],
    [withTraining({ sandwich: false, teacher: 'inplace' }), 'teacher', /the inplace teacher is the largest sub-network of each step, which only the sandwich rule trains/, '"inplace"'],
    [withTraining({ phases: [{ phase: 'full', epochs: 1, learningRate: 0.1 }, { phase: 'depth', epochs: 1, learningRate: 0.1, choices: [2, 5] }] }), 'choices', /5 is not one of the supernet's depths \(1, 2, 3\)/, '5'],
    [withTraining({ phases: [{ phase: 'full', epochs: 1, learningRate: 0.1 }, { phase: 'expand', epochs: 1, learningRate: 0.1, choices: [3, 4] }] }), 'choices', /choices must include the largest, 6/, '[ 3, 4 ]'],
    [withTraining({ phases: [{ phase: 'full', epochs: 1, learningRate: 0.1 }, { phase: 'kernel', epochs: 1, learningRate: 0.1, subnetsPerStep: 1 }] }), 'subnetsPerStep', /the sandwich rule trains the largest and the smallest sub-network in every step: subnetsPerStep must be at least 2/, '1'],
    [withTraining({ mode: 'sgd' }), 'mode', /unknown training mode "sgd"; known modes: progressive-shrinking, fairnas/, '"sgd"'],
    [withTraining({ epochs: 3 }), 'epochs', /unknown key "epochs" in training; allowed keys: mode, phases, distillation/, '"epochs"'],
  ];
  for (const [text, what, message, range] of cases) {
    const r = check(text);
    assert.equal(r.spec, undefined, what);
    const d = r.diagnostics.find((x) => message.test(x.message));
    assert.ok(d, `${what}: ${JSON.stringify(r.diagnostics.map((x) => x.message))}`);
    assert.equal(underlined(text, d!).replace(/\s+/g, ' '), range, what);
  }
});

test('FairNAS needs choice counts that divide its group size; kernels must be odd and distinct', () => {
  const fair = JSON.stringify({ ...base, supernet: { ...base.supernet, expandRatios: [3, 6] }, training: { mode: 'fairnas', epochs: 1, learningRate: 0.1 } });
  assert.match(check(fair).diagnostics[0].message, /FairNAS trains 3 sub-networks per step .* the 2 expandRatios do not divide 3/);
  const even = JSON.stringify({ ...base, supernet: { ...base.supernet, kernels: [3, 4] } }, null, 2);
  const d = check(even).diagnostics[0];
  assert.match(d.message, /kernel size 4 must be odd/);
  assert.equal(underlined(even, d), '4');
});

test('the supernet block is the ofa-small search space of the search example; the supernet evaluator is registered for it', () => {
  const text = readFileSync(join(examples, 'supernet-search.nas.json'), 'utf8');
  const r = validateSpecText(text, { file: join(examples, 'supernet-search.nas.json'), baseDir: examples });
  assert.deepEqual(r.diagnostics, []);
  const space = r.space as OfaSmallSpace;
  const supernet = validateSupernetSpecText(example, { baseDir: examples }).spec!.supernet;
  assert.deepEqual(space.config, supernet);
  // 2 resolutions x (sum over depth 1..3 of 9^d)^3 stages.
  assert.equal(space.cardinality, 2 * (9 + 81 + 729) ** 3);
  const wrongMetric = text.replace('"metric": "flops"', '"metric": "mflops"');
  assert.match(validateSpecText(wrongMetric, { baseDir: examples }).diagnostics[0].message, /evaluator "supernet" produces val_accuracy, val_loss, params, flops, latency_ms/);
});
