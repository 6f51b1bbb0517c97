/** Run summaries of every kind for tests of what the editor shows; `overrides` replaces fields. */
import { accuracyInfo } from '../../../contract/metricInfo';
import type { EnsembleRunSummary, ProxylessRunSummary, QuantizationRunSummary, ScalingPoint, ScalingRunSummary, SearchRunSummary, SpecializationRunSummary, SupernetRunSummary, UnreadableRunSummary } from '../../../contract/runs';

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
    { limit: 20, arch: { space: 'ofa-mbv3', r: 160 }, description: 'r160 d22232 k35|53|357|35|53 e34|43|346|34|43', predictedAccuracy: 0.78123, efficiency: 19.874, mflops: 245.2, mparams: 4.81, seconds: 1.2, pareto: true },
    { limit: 30, arch: { space: 'ofa-mbv3', r: 192 }, description: 'r192 d33443 k357|535|7353|3573|357 e346|436|4364|3643|346', predictedAccuracy: 0.79104, efficiency: 29.51, mflops: 402.7, mparams: 6.02, seconds: 1.4, pareto: true },
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

/** A finished ProxylessNAS search of three blocks (two may be skipped): three epochs, then the derived network. */
export function proxylessSummary(overrides: Partial<ProxylessRunSummary> = {}): ProxylessRunSummary {
  const candidates = ['3x3_MBConv3', '3x3_MBConv6', '5x5_MBConv3', '5x5_MBConv6'];
  return {
    ...common,
    kind: 'proxyless',
    id: 'fashion-1',
    name: 'fashion',
    source: '/ws/fashion.proxyless.json',
    views: ['architecture-parameters'],
    progress: { done: 4, total: 4, unit: 'epochs' },
    binarization: 'two',
    latencyLoss: 'add#linear',
    targetMs: 0.8,
    blocks: [
      { label: 'stage 1 · block 1', candidates },
      { label: 'stage 1 · block 2', candidates: [...candidates, 'Zero'] },
      { label: 'stage 2 · block 1', candidates: [...candidates, 'Zero'] },
    ],
    epoch: 3,
    epochs: 3,
    probabilities: [
      [0.1, 0.6, 0.2, 0.1],
      [0.1, 0.1, 0.1, 0.1, 0.6],
      [0.05, 0.05, 0.7, 0.1, 0.1],
    ],
    curve: [
      { epoch: 1, phase: 'warmup', expectedLatencyMs: 1.25, validationAccuracy: 0.61, loss: 1.4 },
      { epoch: 2, phase: 'search', expectedLatencyMs: 1.2, validationAccuracy: 0.7, loss: 1.1 },
      { epoch: 3, phase: 'search', expectedLatencyMs: 0.91, validationAccuracy: 0.74, loss: 0.9 },
    ],
    latencyTable: {
      source: 'measured',
      dir: '/ws/.nas-studio/experiments/run/exports/latency-table',
      backend: 'wasm',
      correction: { networks: 60, raw: { within10: 0.15, mape: 0.305 }, corrected: { within10: 1, mape: 0.016 } },
    },
    derived: {
      arch: { space: 'proxyless' },
      description: 'k3e6 skip | k5e3',
      expectedLatencyMs: 0.91,
      predictedLatencyMs: 0.84,
      measuredLatencyMs: 0.8,
      relativeLatency: { references: 8, slowdown: 1.25, measuredMs: 1.05, atTableSpeedMs: 0.84 },
      valAccuracy: 0.8512,
      testAccuracy: 0.8433,
      params: 12345,
      flops: 456789,
      epochs: 3,
      trainSeconds: 41,
      modelDir: '/ws/.nas-studio/experiments/run/exports/derived',
      archFile: '/ws/.nas-studio/experiments/run/exports/derived.arch.json',
    },
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

const point = (trial: number, phi: number, depth: number, width: number, resolution: number, flops: number, valAccuracy: number, description: string): ScalingPoint => ({
  trial,
  phi,
  coefficients: { depth, width, resolution },
  description,
  flops,
  params: flops / 10,
  valAccuracy,
  latencyMs: 0.2 + flops / 1e7,
});

/** A finished scaling study: base trial 0, grid trials 1-4 (3 chosen), compound φ = 1, 2 and the depth rule. */
export function scalingSummary(overrides: Partial<ScalingRunSummary> = {}): ScalingRunSummary {
  const base = point(0, 0, 1, 1, 1, 72_128, 0.8512, '28px conv3x3-32');
  return {
    ...common,
    kind: 'scaling',
    id: 'grow-1',
    name: 'grow',
    source: '/ws/grow.scaling.json',
    views: ['plot'],
    progress: { done: 8, total: 8, unit: 'trials' },
    trials: 8,
    total: 8,
    base: { from: 'the spec', description: '28px conv3x3-32', flops: 72_128 },
    grid: [1, 2, 3, 4],
    coefficients: { depth: 1.2, width: 1.1, resolution: 1.15 },
    lines: [
      { rule: 'compound', points: [base, point(3, 1, 1.2, 1.1, 1.15, 150_000, 0.8734, '32px conv3x3-40×2'), point(5, 2, 1.44, 1.21, 1.3225, 310_000, 0.8891, '36px conv3x3-40×2')] },
      { rule: 'depth', points: [base, point(6, 1, 2, 1, 1, 148_000, 0.8601, '28px conv3x3-32×2'), point(7, 2, 4, 1, 1, 305_000, 0.8655, '28px conv3x3-32×4')] },
    ],
    ...overrides,
  };
}

/** An AdaNet run after two iterations: members #0 (linear) and #3 (fc16). */
export function ensembleSummary(overrides: Partial<EnsembleRunSummary> = {}): EnsembleRunSummary {
  return {
    ...common,
    kind: 'ensemble',
    id: 'ens-1',
    name: 'ens',
    source: '/ws/ens.ensemble.json',
    views: ['progress'],
    progress: { done: 2, total: 3, unit: 'iterations' },
    iterations: [
      { iteration: 0, candidates: [{ trial: 0, description: 'linear', objective: 1.72, heldOutObjective: 1.81 }, { trial: 1, description: 'fc16', objective: 1.89, heldOutObjective: 1.93 }], chosen: 0, objective: 1.72, heldOutObjective: 1.81, valAccuracy: 0.40625, testAccuracy: 0.328, params: 7850 },
      { iteration: 1, candidates: [{ trial: 2, description: 'linear', objective: 1.6, heldOutObjective: 1.7 }, { trial: 3, description: 'fc16', objective: 1.55, heldOutObjective: 1.6759 }], chosen: 3, objective: 1.55, heldOutObjective: 1.6759, valAccuracy: 0.51953, testAccuracy: 0.4766, params: 20580 },
    ],
    maxIterations: 3,
    members: [
      { trial: 0, description: 'linear', depth: 0, complexity: 0, weights: [0.785], params: 7850, valAccuracy: 0.40625 },
      { trial: 3, description: 'fc16', depth: 1, complexity: 1, weights: [0.781], params: 12730, valAccuracy: 0.3633 },
    ],
    converged: false,
    graphFile: '/ws/.nas-studio/experiments/run/exports/ensemble.arch.json',
    ...overrides,
  };
}
