import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchRunSummary } from '../../../contract/runs';
import { progressRuns, runsOfSpec, runToOpen, specLenses, specRunAction } from '../../../extension/specLenses';
import { quantizationSummary, searchSummary, supernetSummary } from './summaries';

function summary(id: string, source: string, createdAt: string, overrides: Partial<SearchRunSummary> = {}): SearchRunSummary {
  return searchSummary({ id, source, createdAt, updatedAt: createdAt, ...overrides });
}

test('a spec maps to the runs started from it, newest first, whatever the path spelling', () => {
  const all = [
    summary('old', '/ws/specs/mnist.nas.json', '2026-01-01T00:00:00Z'),
    summary('other', '/ws/specs/cifar.nas.json', '2026-01-03T00:00:00Z'),
    summary('new', '/ws/specs/../specs/mnist.nas.json', '2026-01-02T00:00:00Z'),
  ];
  assert.deepEqual(runsOfSpec(all, '/ws/specs/mnist.nas.json', 'linux').map((s) => s.id), ['new', 'old']);
  assert.deepEqual(runsOfSpec(all, '/ws/specs/MNIST.nas.json', 'linux'), [], 'POSIX paths are case-sensitive');
  const windows = [summary('w', 'C:\\Work\\Specs\\mnist.nas.json', '2026-01-01T00:00:00Z')];
  assert.deepEqual(runsOfSpec(windows, 'c:\\work\\specs\\MNIST.nas.json', 'win32').map((s) => s.id), ['w'], 'Windows paths are not');
  assert.deepEqual(runsOfSpec(all, '/ws/specs/none.nas.json', 'linux'), []);
  // Runs made from a request (a specialization) have no spec file: they match none.
  assert.deepEqual(runsOfSpec([summary('request', '', 'a')], process.cwd(), 'linux'), []);
});

test('a spec never run offers Run only', () => {
  assert.deepEqual(specLenses([]).map((l) => [l.title, l.command, l.target]), [['$(play) Run Experiment', 'nasStudio.runExperiment', 'spec']]);
});

test('while the latest run is running: Stop, its live status with the best so far, its trials table and progress', () => {
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
      ['$(sync~spin) running 3/20 · best Validation accuracy 91.23%', 'nasStudio.openResults', 'latest'],
      ['$(table) Trials table', 'nasStudio.openTrialsTable', 'latest'],
      ['$(graph-line) Progress (2 runs)', 'nasStudio.showProgress', 'all'],
    ],
  );
});

test('a stopped or failed run can be resumed, a failed one shows its error; a damaged one cannot', () => {
  const stopped = specLenses([summary('s', '/s.nas.json', 'a', { status: 'stopped', trials: 4 })]);
  assert.deepEqual(stopped.map((l) => l.command), ['nasStudio.runExperiment', 'nasStudio.resumeExperiment', 'nasStudio.openResults', 'nasStudio.openTrialsTable', 'nasStudio.showProgress']);
  assert.equal(stopped[2].title, '$(debug-pause) stopped 4/20');
  const failed = specLenses([summary('f', '/s.nas.json', 'a', { status: 'failed', trials: 0, error: 'mnist.idx: missing' })]);
  assert.deepEqual(failed.map((l) => l.command), ['nasStudio.runExperiment', 'nasStudio.resumeExperiment', 'nasStudio.openResults', 'nasStudio.openTrialsTable', 'nasStudio.showProgress']);
  assert.equal(failed[2].title, '$(error) failed 0/20 · mnist.idx: missing');
  const damaged = specLenses([summary('d', '/s.nas.json', 'a', { status: 'damaged', trials: 7, damage: ['journal line 9: not JSON'] })]);
  assert.deepEqual(damaged.map((l) => [l.title, l.command]), [
    ['$(play) Run', 'nasStudio.runExperiment'],
    ['$(bracket-error) damaged 7/20', 'nasStudio.openResults'],
    ['$(table) Trials table', 'nasStudio.openTrialsTable'],
    ['$(graph-line) Progress', 'nasStudio.showProgress'],
  ]);
});

test('the progress overlay takes the six latest runs', () => {
  const many = Array.from({ length: 9 }, (_, i) => summary(`e${i}`, '/s.nas.json', `2026-01-0${i + 1}`));
  assert.deepEqual(progressRuns(runsOfSpec(many, '/s.nas.json', 'linux')), ['e8', 'e7', 'e6', 'e5', 'e4', 'e3']);
});

test('a supernet spec: Train, then Stop with the epoch and accuracies while it trains; no search overlay', () => {
  assert.deepEqual(specLenses([], 'supernet').map((l) => [l.title, l.command, l.target]), [['$(play) Train Supernet', 'nasStudio.trainSupernet', 'spec']]);
  const training = supernetSummary({
    id: 't',
    source: '/m.supernet.json',
    status: 'running',
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

test('a quantization spec: Quantize, then Stop with the episodes and best policy while it runs; Resume from the agent checkpoint; the status opens the quantization view', () => {
  assert.deepEqual(specLenses([], 'quantization').map((l) => [l.title, l.command, l.target]), [['$(play) Quantize', 'nasStudio.runQuantization', 'spec']]);
  const running = quantizationSummary({ id: 'q', source: '/ws/quantize/tiny.quantize.json', status: 'running', episodes: 4 });
  const lenses = specLenses([running], 'quantization');
  assert.deepEqual(
    lenses.map((l) => [l.title, l.command, l.target]),
    [
      ['$(debug-stop) Stop', 'nasStudio.stopExperiment', 'latest'],
      ['$(sync~spin) running 4/6 episodes · best 87.00% at 2.5 kB (float 86.50%)', 'nasStudio.openResults', 'latest'],
    ],
  );
  assert.equal(lenses[1].tooltip, 'Latest run q: open its quantization view');
  const stopped = specLenses([{ ...running, status: 'stopped' }], 'quantization');
  assert.deepEqual(stopped.map((l) => [l.title, l.command]), [
    ['$(play) Quantize', 'nasStudio.runQuantization'],
    ['$(debug-continue) Resume', 'nasStudio.resumeExperiment'],
    ['$(debug-pause) stopped 4/6 episodes · best 87.00% at 2.5 kB (float 86.50%)', 'nasStudio.openResults'],
  ]);
  assert.equal(stopped[1].tooltip, "Continue q from its agent's last checkpoint (no episode repeated)");
});

test('the run a command opens without asking: the active spec\'s latest run, else the only run; else none (the user picks)', () => {
  const all = [
    summary('mnist-old', '/ws/mnist.nas.json', '2026-01-01T00:00:00Z'),
    summary('mnist-new', '/ws/mnist.nas.json', '2026-01-03T00:00:00Z'),
    summary('cifar', '/ws/cifar.nas.json', '2026-01-02T00:00:00Z'),
  ];
  assert.equal(runToOpen(all, '/ws/mnist.nas.json', 'linux'), 'mnist-new');
  assert.equal(runToOpen(all, '/ws/cifar.nas.json', 'linux'), 'cifar');
  assert.equal(runToOpen(all, undefined, 'linux'), undefined, 'several runs and no spec open: ask');
  assert.equal(runToOpen(all, '/ws/never-run.nas.json', 'linux'), undefined, 'a spec never run: ask');
  assert.equal(runToOpen([all[2]], undefined, 'linux'), 'cifar', 'one run in total: no quick pick');
  assert.equal(runToOpen([all[2]], '/ws/never-run.nas.json', 'linux'), 'cifar');
  assert.equal(runToOpen([], '/ws/mnist.nas.json', 'linux'), undefined);
});

test('each spec kind runs with its own command, named as its Run lens names it', () => {
  assert.deepEqual(specRunAction('search'), { title: 'Run Experiment', command: 'nasStudio.runExperiment' });
  assert.deepEqual(specRunAction('supernet'), { title: 'Train Supernet', command: 'nasStudio.trainSupernet' });
  assert.deepEqual(specRunAction('ensemble'), { title: 'Grow Ensemble', command: 'nasStudio.growEnsemble' });
  assert.deepEqual(specRunAction('quantization'), { title: 'Quantize', command: 'nasStudio.runQuantization' });
});
