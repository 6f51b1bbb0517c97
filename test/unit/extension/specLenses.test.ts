import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentSummary } from '../../../contract/runs';
import { experimentsOfSpec, progressRuns, specLenses } from '../../../extension/specLenses';

function summary(id: string, specPath: string, createdAt: string, overrides: Partial<ExperimentSummary> = {}): ExperimentSummary {
  return {
    id,
    name: 'mnist',
    dir: `/ws/.nas-studio/experiments/${id}`,
    specPath,
    status: 'finished',
    trials: 20,
    budget: 20,
    objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
    constraints: [],
    report: [],
    strategy: 'regularized-evolution',
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

test('a spec maps to the experiments started from it, newest first, whatever the path spelling', () => {
  const all = [
    summary('old', '/ws/specs/mnist.nas.json', '2026-01-01T00:00:00Z'),
    summary('other', '/ws/specs/cifar.nas.json', '2026-01-03T00:00:00Z'),
    summary('new', '/ws/specs/../specs/mnist.nas.json', '2026-01-02T00:00:00Z'),
  ];
  assert.deepEqual(experimentsOfSpec(all, '/ws/specs/mnist.nas.json', 'linux').map((s) => s.id), ['new', 'old']);
  assert.deepEqual(experimentsOfSpec(all, '/ws/specs/MNIST.nas.json', 'linux'), [], 'POSIX paths are case-sensitive');
  const windows = [summary('w', 'C:\\Work\\Specs\\mnist.nas.json', '2026-01-01T00:00:00Z')];
  assert.deepEqual(experimentsOfSpec(windows, 'c:\\work\\specs\\MNIST.nas.json', 'win32').map((s) => s.id), ['w'], 'Windows paths are not');
  assert.deepEqual(experimentsOfSpec(all, '/ws/specs/none.nas.json', 'linux'), []);
});

test('a spec never run offers Run only', () => {
  assert.deepEqual(specLenses([]).map((l) => [l.title, l.command, l.target]), [['$(play) Run Experiment', 'nasStudio.runExperiment', 'spec']]);
});

test('while the latest run is running: Stop, its live status with the best so far, and progress', () => {
  const running = summary('r', '/s.nas.json', '2026-01-02T00:00:00Z', {
    status: 'running',
    trials: 3,
    budget: 20,
    best: { trial: 1, arch: { space: 'layers' }, description: 'fc64', metrics: { val_accuracy: 0.91234 } },
  });
  const lenses = specLenses([running, summary('f', '/s.nas.json', '2026-01-01T00:00:00Z')]);
  assert.deepEqual(
    lenses.map((l) => [l.title, l.command, l.target]),
    [
      ['$(debug-stop) Stop', 'nasStudio.stopExperiment', 'latest'],
      ['$(sync~spin) running 3/20 · best val_accuracy 0.9123', 'nasStudio.openResults', 'latest'],
      ['$(graph-line) Progress (2 runs)', 'nasStudio.showProgress', 'all'],
    ],
  );
});

test('a stopped run can be resumed; a failed one shows its error', () => {
  const stopped = specLenses([summary('s', '/s.nas.json', 'a', { status: 'stopped', trials: 4 })]);
  assert.deepEqual(stopped.map((l) => l.command), ['nasStudio.runExperiment', 'nasStudio.resumeExperiment', 'nasStudio.openResults', 'nasStudio.showProgress']);
  assert.equal(stopped[2].title, '$(debug-pause) stopped 4/20');
  const failed = specLenses([summary('f', '/s.nas.json', 'a', { status: 'failed', trials: 0, error: 'mnist.idx: missing' })]);
  assert.equal(failed[1].title, '$(error) failed 0/20 · mnist.idx: missing');
});

test('the progress overlay takes the six latest runs', () => {
  const many = Array.from({ length: 9 }, (_, i) => summary(`e${i}`, '/s.nas.json', `2026-01-0${i + 1}`));
  assert.deepEqual(progressRuns(experimentsOfSpec(many, '/s.nas.json', 'linux')), ['e8', 'e7', 'e6', 'e5', 'e4', 'e3']);
});

test('a supernet spec: Train, then Stop with the epoch and accuracies while it trains; no search overlay', () => {
  assert.deepEqual(specLenses([], 'supernet').map((l) => [l.title, l.command, l.target]), [['$(play) Train Supernet', 'nasStudio.trainSupernet', 'spec']]);
  const training = summary('t', '/m.supernet.json', 'a', {
    kind: 'supernet',
    status: 'running',
    trials: 0,
    budget: 0,
    objectives: [],
    training: { epoch: 3, epochs: 11, phase: 'kernel', accuracy: 0.98123, smallestAccuracy: 0.9644 },
  });
  assert.deepEqual(
    specLenses([training], 'supernet').map((l) => [l.title, l.command, l.target]),
    [
      ['$(debug-stop) Stop', 'nasStudio.stopExperiment', 'latest'],
      ['$(sync~spin) running epoch 3/11 · largest 98.12% · smallest 96.44%', 'nasStudio.openResults', 'latest'],
    ],
  );
  const stopped = specLenses([{ ...training, status: 'stopped' }], 'supernet');
  assert.deepEqual(stopped.map((l) => l.command), ['nasStudio.trainSupernet', 'nasStudio.resumeExperiment', 'nasStudio.openResults']);
  assert.equal(stopped[0].title, '$(play) Train');
  assert.equal(stopped[1].tooltip, 'Continue t from its last epoch checkpoint');
});
