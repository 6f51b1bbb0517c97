import { formatBudget } from '../../contract/quantization';
import type { QuantizationRunSummary } from '../../contract/runs';
import { arrayOf, int, num, object, oneOf, optional, str } from '../../contract/validate';
import type { RunKind } from '../runs/runKind';
import { applyQuantizationRecord, initialQuantizationState, type QuantizationState } from './quantizationState';
import { validateQuantizationText, type QuantizationSpec } from './quantizationSpec';
import type { EpisodeRecord } from './quantizationRecords';

/** What a reader relies on in a resolved quantization spec. */
const resolvedSpecCheck = object({
  name: str,
  model: object({ type: oneOf('folder', 'trial') }),
  dataset: object({ type: str }),
  input: oneOf('unit', 'bytes'),
  split: object({ kind: oneOf('trial', 'supernet', 'seeded') }),
  quantizer: oneOf('linear', 'kmeans'),
  clip: oneOf('kl', 'mse'),
  bits: object({ min: int, max: int }),
  budget: object({ kind: oneOf('size', 'bitops', 'latency'), table: optional(str), target: object({}) }),
  search: oneOf('ddpg', 'random'),
  episodes: int,
  agent: object({ hidden1: int, hidden2: int, warmup: int, batchSize: int, memoryPerLayer: int, tau: num, sigma: num, sigmaDecay: num }),
  samples: object({ heldOut: int, calibration: int, test: int }),
  seed: int,
  backend: str,
});

function describeModel(spec: QuantizationSpec): string {
  return spec.model.type === 'folder' ? spec.model.dir : `trial ${spec.model.trial} of ${spec.model.run}`;
}

function bestOf(episodes: readonly EpisodeRecord[]): EpisodeRecord | undefined {
  return episodes.reduce<EpisodeRecord | undefined>((best, e) => (!best || e.reward > best.reward ? e : best), undefined);
}

/**
 * HAQ (hardware-aware automated quantization): a DDPG agent picks the bits of every layer of a
 * trained model under a size, BitOps or latency budget; each episode's policy is scored by its
 * accuracy under simulated quantization, and the best one is exported. See quantizationLoop.ts
 * for how it runs and resumes, quantizationSession.ts for an episode.
 */
export const quantizationRun: RunKind<QuantizationSpec, QuantizationState, QuantizationRunSummary> = {
  id: 'quantization',
  title: 'quantization',
  specSuffix: '.quantize.json',
  views: ['quantization'],
  unit: 'episodes',
  validate: validateQuantizationText,
  async preflight(spec, baseDir) {
    await (await import('./quantizationPreflight')).preflightQuantization(spec, baseDir);
  },
  nameOf: (spec) => spec.name,
  readSpec: (value) => resolvedSpecCheck(value, 'spec') as unknown as QuantizationSpec,
  initialState: initialQuantizationState,
  saveState: (state) => state,
  loadState(value) {
    const saved = object({ baselines: arrayOf(object({ weight: int })), episodes: arrayOf(object({ episode: int, reward: num })) })(value, 'state') as unknown as QuantizationState;
    return { ...saved, best: bestOf(saved.episodes) };
  },
  apply: (state, record, spec) => applyQuantizationRecord(state, record, spec),
  progress: (spec, state) => ({ done: state.episodes.length, total: spec.episodes }),
  summarize({ spec, state }, base): QuantizationRunSummary {
    const { prepared, best, final } = state;
    return {
      ...base,
      kind: 'quantization',
      model: describeModel(spec),
      quantizer: spec.quantizer,
      search: spec.search,
      budget: { text: formatBudget(spec.budget), kind: spec.budget.kind, ...(prepared ? { unit: prepared.unit, target: prepared.target } : {}) },
      episodes: state.episodes.length,
      ...(prepared ? { layers: prepared.layers.map(({ name, kind, weights, macs }) => ({ name, kind, weights, macs })), originalAccuracy: prepared.originalAccuracy } : {}),
      ...(best ? { best: { episode: best.episode, policy: best.policy, accuracy: best.accuracy, cost: best.cost, sizeBits: best.sizeBits, bitOps: best.bitOps, reward: best.reward, explored: best.explored } } : {}),
      baselines: [...state.baselines].sort((a, b) => a.weight - b.weight).map(({ type: _t, at: _a, ...b }) => b),
      ...(final ? { result: (({ type: _t, at: _a, ...r }) => r)(final) } : {}),
    };
  },
  // Loaded on first use: reading runs never pays for what running needs.
  execute: async (run) => (await import('./quantizationLoop')).runQuantization(run),
};
