import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateSpecText } from '../../../server/experiment/validate';
import {
  constraintCandidates,
  defaultObjectives,
  defaultReport,
  formatSpecJson,
  layersFor,
  objectiveOrder,
  sampleCounts,
  specFileName,
  STARTER_OPTIONS,
  stepTitle,
  WIZARD_STEPS,
  wizardSpec,
} from '../../../extension/commands/wizardSpec';

const NB201_DIR = join(process.env.NAS_SHARED_DATA ?? resolve(__dirname, '../../../../shared/data'), 'nas-bench-201');
const TRAIN_METRICS = ['val_accuracy', 'val_loss', 'train_loss', 'test_accuracy', 'params', 'flops', 'latency_ms', 'train_seconds'];
const NB201_COLUMNS = ['cifar10_test', 'cifar100_test', 'cifar10_valid_12ep', 'cifar10_test_12ep', 'params_mb_cifar10', 'flops_m_cifar10', 'lat_ms_pixel3'];

test('steps are numbered 1/9 … 9/9, each once, whatever the path', () => {
  const titles = WIZARD_STEPS.map((s) => stepTitle(s));
  assert.deepEqual(titles.map((t) => /\((\d+)\/(\d+)\)/.exec(t)?.slice(1)), WIZARD_STEPS.map((_, i) => [String(i + 1), '9']));
  assert.equal(stepTitle('objectives', 'objective'), 'New experiment (4/9): objective');
});

test('Enter at every step of a training search makes a spec the engine\'s validator accepts', () => {
  const objectives = defaultObjectives(TRAIN_METRICS, false);
  assert.deepEqual(objectives, [{ metric: 'val_accuracy', goal: 'maximize' }], 'the validation signal, never the test metric');
  const report = defaultReport(TRAIN_METRICS, objectives.map((o) => o.metric));
  assert.deepEqual(report, ['test_accuracy', 'params', 'flops', 'latency_ms'], 'what quickstart reports: no losses or timings');
  const spec = wizardSpec({
    name: ' experiment ',
    space: { type: 'layers', ...STARTER_OPTIONS.layers },
    evaluator: { type: 'train', ...STARTER_OPTIONS.train },
    strategy: 'random',
    objectives,
    report,
    constraints: [],
    trials: 20,
  });
  assert.deepEqual(Object.keys(spec), ['name', 'space', 'evaluator', 'strategy', 'objectives', 'report', 'budget', 'seed'], 'no empty constraints list, no $schema');
  assert.equal(spec.name, 'experiment');
  assert.deepEqual(spec.budget, { trials: 20 });
  const validation = validateSpecText(formatSpecJson(spec), { baseDir: process.cwd() });
  assert.deepEqual(validation.diagnostics, []);
  assert.equal(validation.spec?.objectives[0].metric, 'val_accuracy');
});

test('a two-objective tabular search with a constraint and a time budget validates too', { skip: existsSync(join(NB201_DIR, 'nb201.csv')) ? false : `no NAS-Bench-201 table in ${NB201_DIR}` }, () => {
  const objectives = defaultObjectives(NB201_COLUMNS, true);
  assert.deepEqual(objectives, [
    { metric: 'cifar10_valid_12ep', goal: 'maximize' },
    { metric: 'params_mb_cifar10', goal: 'minimize' },
  ]);
  assert.deepEqual(constraintCandidates(NB201_COLUMNS), ['params_mb_cifar10', 'flops_m_cifar10', 'lat_ms_pixel3'], 'costs only: no accuracies');
  const spec = wizardSpec({
    name: 'pareto',
    space: { type: 'nb201' },
    evaluator: { type: 'tabular', table: 'nb201.csv' },
    strategy: 'nsga2',
    objectives,
    report: ['cifar10_test'],
    constraints: [{ metric: 'lat_ms_pixel3', max: 25 }],
    trials: 200,
    minutes: 5,
  });
  assert.deepEqual(spec.budget, { trials: 200, minutes: 5 });
  assert.deepEqual(spec.constraints, [{ metric: 'lat_ms_pixel3', max: 25 }]);
  const validation = validateSpecText(formatSpecJson(spec), { baseDir: NB201_DIR });
  assert.deepEqual(validation.diagnostics.map((d) => d.message), []);
});

test('objectives offer accuracies first, validation before test; a test split missing drops test metrics from the report', () => {
  assert.deepEqual(objectiveOrder(TRAIN_METRICS), ['val_accuracy', 'val_loss', 'train_loss', 'params', 'flops', 'latency_ms', 'train_seconds', 'test_accuracy']);
  assert.deepEqual(defaultReport(TRAIN_METRICS, ['val_accuracy'], false), ['params', 'flops', 'latency_ms']);
  assert.deepEqual(defaultObjectives(TRAIN_METRICS, true), [
    { metric: 'val_accuracy', goal: 'maximize' },
    { metric: 'params', goal: 'minimize' },
  ]);
});

test('a dataset sizes the space and the samples: its shape and classes, no more examples than it has', () => {
  assert.deepEqual(layersFor({ shape: [32, 32, 3], classes: 100 }).input, [32, 32, 3]);
  assert.equal(layersFor({ shape: [32, 32, 3], classes: 100 }).classes, 100);
  assert.deepEqual(sampleCounts({ count: 60000, hasTest: true }), { trainSamples: 6000, validationSamples: 2000, testSamples: 2000 });
  assert.deepEqual(sampleCounts({ count: 400, hasTest: false }), { trainSamples: 300, validationSamples: 100, testSamples: 0 });
});

test('formatted JSON: two-space indentation, arrays of numbers and strings on one line, round-trips', () => {
  const value = { space: { input: [28, 28, 1], dropout: [0, 0.25], convBlocks: { filters: [8, 16, 32] } }, report: ['a', 'b "c"'], objectives: [{ metric: 'm', goal: 'maximize' }], empty: [] };
  const text = formatSpecJson(value);
  assert.deepEqual(JSON.parse(text), value);
  assert.match(text, /"input": \[28, 28, 1\],\n/);
  assert.match(text, /"dropout": \[0, 0\.25\]/);
  assert.match(text, /"report": \["a", "b \\"c\\""\]/);
  assert.match(text, /"objectives": \[\n {4}\{\n {6}"metric": "m",/, 'arrays of objects stay one item per line');
  assert.ok(text.endsWith('}\n'));
  // The quickstart-sized spec is short enough to read at a glance (the old wizard wrote 66 lines).
  const spec = wizardSpec({ name: 'x', space: { type: 'layers', ...STARTER_OPTIONS.layers }, evaluator: { type: 'train', ...STARTER_OPTIONS.train }, strategy: 'random', objectives: [{ metric: 'val_accuracy', goal: 'maximize' }], report: ['test_accuracy', 'params'], constraints: [], trials: 2 });
  assert.ok(formatSpecJson(spec).split('\n').length < 50, formatSpecJson(spec));
});

test('file names: a slug of the name, numbered when taken', () => {
  assert.equal(specFileName('My Digits', () => false), 'my-digits.nas.json');
  const taken = new Set(['my-digits.nas.json', 'my-digits-2.nas.json']);
  assert.equal(specFileName('My Digits', (f) => taken.has(f)), 'my-digits-3.nas.json');
  assert.equal(specFileName('!!!', () => false), 'experiment.nas.json');
});
