/** Run summaries of every kind for tests of what the editor shows; `overrides` replaces fields. */
import type { SearchRunSummary, SpecializationRunSummary, QuantizationRunSummary, SupernetRunSummary, UnreadableRunSummary } from '../../../contract/runs';

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

export function quantizationSummary(overrides: Partial<QuantizationRunSummary> = {}): QuantizationRunSummary {
  const policy = [
    { weight: 8, activation: 8 },
    { weight: 3, activation: 6 },
    { weight: 5, activation: 4 },
    { weight: 8, activation: 8 },
  ];
  const w4 = policy.map((p, i) => (i === 0 || i === 3 ? p : { weight: 4, activation: 8 }));
  return {
    ...common,
    kind: 'quantization',
    id: 'tiny-q-1',
    name: 'tiny-q',
    source: '',
    views: [],
    progress: { done: 6, total: 6, unit: 'episodes' },
    model: '/models/tiny',
    quantizer: 'linear',
    search: 'ddpg',
    budget: { text: 'size:w4a8', kind: 'size', unit: 'bits', target: 21152 },
    episodes: 6,
    layers: ['c1', 'c2', 'd1', 'd2'].map((name, i) => ({ name, kind: i < 2 ? 'conv' : 'dense', weights: 100 * (i + 1), macs: 1000 })),
    originalAccuracy: 0.865,
    best: { episode: 4, policy, accuracy: 0.87, cost: 20000, sizeBits: 20000, bitOps: 500000, reward: 0.05, explored: false },
    baselines: [{ weight: 4, activation: 8, policy: w4, accuracy: 0.86, cost: 21152, sizeBits: 21152, bitOps: 600000 }],
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
