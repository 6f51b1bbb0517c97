/** Run summaries of every kind for tests of what the editor shows; `overrides` replaces fields. */
import { accuracyInfo } from '../../../contract/metricInfo';
import type { SearchRunSummary, SpecializationRunSummary, SupernetRunSummary, UnreadableRunSummary } from '../../../contract/runs';

const common = {
  dir: '/ws/.nas-studio/experiments/run',
  status: 'finished',
  views: [],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:10:00Z',
} as const;

export function searchSummary(overrides: Partial<SearchRunSummary> = {}): SearchRunSummary {
  const trials = overrides.trials ?? 20;
  const budget = overrides.budget ?? 20;
  return {
    ...common,
    kind: 'search',
    id: 'mnist-1',
    name: 'mnist',
    source: '/ws/mnist.nas.json',
    views: ['plot', 'progress'],
    progress: { done: trials, total: budget, unit: 'trials' },
    trials,
    budget,
    objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
    constraints: [],
    report: [],
    strategy: 'regularized-evolution',
    metricInfo: { val_accuracy: accuracyInfo('Validation accuracy', 'fraction') },
    ...overrides,
  };
}

export function supernetSummary(overrides: Partial<SupernetRunSummary> = {}): SupernetRunSummary {
  const training = overrides.training ?? { epoch: 2, epochs: 2, phase: 'kernel', loss: 0.41, accuracy: 0.98123, smallestAccuracy: 0.9644, imagesPerSecond: 812.4, backend: 'wasm' };
  return {
    ...common,
    kind: 'supernet',
    id: 'digits-1',
    name: 'digits',
    source: '/ws/digits.supernet.json',
    views: ['training-curves'],
    progress: { done: training.epoch, total: training.epochs, unit: 'epochs' },
    training,
    ...overrides,
  };
}

export function specializationSummary(overrides: Partial<SpecializationRunSummary> = {}): SpecializationRunSummary {
  const subnets = overrides.subnets ?? [
    { limit: 20, arch: { space: 'ofa-mbv3' }, description: 'r160 ks5 e4 d3', predictedAccuracy: 0.78123, efficiency: 19.874, mflops: 245.2, mparams: 4.81, seconds: 1.2, pareto: true },
    { limit: 30, arch: { space: 'ofa-mbv3' }, description: 'r192 ks7 e6 d4', predictedAccuracy: 0.79104, efficiency: 29.51, mflops: 402.7, mparams: 6.02, seconds: 1.4, pareto: true },
  ];
  return {
    ...common,
    kind: 'specialization',
    id: 'note10-1',
    name: 'note10',
    source: '',
    progress: { done: subnets.length, total: 2, unit: 'limits' },
    request: { predictor: '/data/acc_predictor.json', efficiency: { kind: 'lut', dir: '/data/note10' }, limits: [20, 30] },
    efficiency: { label: 'latency table /data/note10', metric: 'latency', unit: 'ms' },
    subnets,
    ...overrides,
  };
}

export function unreadableSummary(overrides: Partial<UnreadableRunSummary> = {}): UnreadableRunSummary {
  return {
    ...common,
    kind: 'unreadable',
    id: 'broken',
    name: 'broken',
    source: '',
    status: 'damaged',
    progress: { done: 0, total: 0, unit: 'trials' },
    damage: ['spec.json is missing'],
    ...overrides,
  };
}
