/**
 * A quantization run's journal folded: the prepared model, the uniform baselines, the episodes
 * in order and the best of them, and the final result. Records that cannot belong to the run
 * (an episode out of order or past the budget, a policy of the wrong length) are RecordErrors;
 * repeats are ignored.
 */
import { arrayOf, bool, int, num, object, oneOf, optional, str } from '../../contract/validate';
import { quantizationResultCheck, scoredPolicyCheck } from '../../contract/webviewMessages';
import { RecordError, type JournalRecord } from '../runs/runKind';
import type { BaselineRecord, EpisodeRecord, FinalRecord, PreparedRecord } from './quantizationRecords';
import type { QuantizationSpec } from './quantizationSpec';

export interface QuantizationState {
  prepared?: PreparedRecord;
  readonly baselines: BaselineRecord[];
  /** Episode n at index n. */
  readonly episodes: EpisodeRecord[];
  /** The episode with the highest reward (the earliest on ties), as the reference keeps its best policy. */
  best?: EpisodeRecord;
  final?: FinalRecord;
}

export function initialQuantizationState(): QuantizationState {
  return { baselines: [], episodes: [] };
}

const layer = object({ name: str, kind: oneOf('conv', 'depthwise', 'dense'), inChannels: int, outChannels: int, stride: int, kernel: int, weights: int, inputSize: int, macs: num });
const preparedCheck = object({ layers: arrayOf(layer), originalAccuracy: num, heldOut: int, target: num, minimumCost: num, floatCost: optional(num), unit: str, graph: object({ nodes: arrayOf(object({ id: str })) }), backend: str });
const baselineCheck = object({ ...scoredPolicyCheck, weight: int, activation: int });
const episodeCheck = object({ ...scoredPolicyCheck, episode: int, reward: num, explored: bool, sigma: optional(num), seconds: num });

function check<T>(validate: (v: unknown, path: string) => unknown, record: JournalRecord, what: string): T {
  try {
    validate(record, '');
  } catch (e) {
    throw new RecordError(`${what}: ${(e as Error).message}`);
  }
  return record as unknown as T;
}

function checkPolicyLength(state: QuantizationState, record: { policy: readonly unknown[] }, what: string): void {
  const layers = state.prepared!.layers.length;
  if (record.policy.length !== layers) throw new RecordError(`${what} has bits for ${record.policy.length} layers, the model ${layers}`);
}

export function applyQuantizationRecord(state: QuantizationState, record: JournalRecord, spec: QuantizationSpec): void {
  if (record.type === 'prepared') {
    const prepared = check<PreparedRecord>(preparedCheck, record, 'the prepared model');
    state.prepared ??= prepared;
    return;
  }
  if (!['baseline', 'episode', 'final'].includes(record.type)) throw new RecordError(`unknown record type "${record.type}"`);
  if (!state.prepared) throw new RecordError(`a "${record.type}" record before the model was prepared`);
  if (record.type === 'baseline') {
    const baseline = check<BaselineRecord>(baselineCheck, record, 'a uniform baseline');
    checkPolicyLength(state, baseline, `uniform W${baseline.weight}A${baseline.activation}`);
    if (!state.baselines.some((b) => b.weight === baseline.weight && b.activation === baseline.activation)) state.baselines.push(baseline);
    return;
  }
  if (record.type === 'episode') {
    const episode = check<EpisodeRecord>(episodeCheck, record, 'an episode');
    if (episode.episode >= spec.episodes) throw new RecordError(`episode ${episode.episode} is outside this run's ${spec.episodes} episodes`);
    if (episode.episode < state.episodes.length) return;
    if (episode.episode > state.episodes.length) throw new RecordError(`episode ${episode.episode} follows episode ${state.episodes.length - 1}`);
    checkPolicyLength(state, episode, `episode ${episode.episode}`);
    state.episodes.push(episode);
    if (!state.best || episode.reward > state.best.reward) state.best = episode;
    return;
  }
  const final = check<FinalRecord>(quantizationResultCheck, record, 'the final result');
  if (final.episode >= state.episodes.length) throw new RecordError(`the final result names episode ${final.episode}, of ${state.episodes.length} journaled`);
  state.final ??= final;
}
