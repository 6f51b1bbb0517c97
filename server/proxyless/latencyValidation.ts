/**
 * Checking a ProxylessNAS space's latency table against whole networks: random networks of the
 * space, built as the derived network is deployed (batch norms folded) and timed at batch 1 like
 * it, against the table's sums. What latencyCorrection.ts fits its correction to.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../../contract/backends';
import { Rng } from '../core/rng';
import type { TableTerms } from '../ofa/latencyCorrection';
import { robustLatency } from '../ofa/robustLatency';
import { timeInterleaved } from '../runtime/forwardTiming';
import { buildDerivedModel, foldBatchNorms } from './derivedModel';
import type { MeasuredNetwork } from './latencyCorrection';
import { blockLayer, layerKey, type LatencyModel } from './latencyModel';
import type { ProxylessArch } from './proxylessArch';
import type { MixedBlock } from './proxylessSpace';

/** Untimed rounds before the timed ones. */
const WARMUP_ROUNDS = 3;
/**
 * Untimed runs of a network right before each of its timed runs: the derived network is timed
 * run after run (`measureLatency`), with its weights in the caches; timed right after 59 other
 * networks, the same network measured 12 % slower.
 */
const SETTLE_RUNS = 2;

/** `count` networks of the space, every block's candidate uniform at random; the same for a seed. */
export function randomChoices(blocks: readonly MixedBlock[], count: number, seed: number): number[][] {
  const rng = new Rng(seed).fork('proxyless-latency-validation');
  return Array.from({ length: count }, () => blocks.map((block) => rng.int(block.candidates.length)));
}

/** A network's table terms by an uncorrected model: fixed layers, the chosen candidates' entries, and how many blocks are not `Zero`. */
export function networkTerms(raw: LatencyModel, blocks: readonly MixedBlock[], choices: readonly number[]): TableTerms {
  let sum = 0;
  let count = 0;
  blocks.forEach((block, b) => {
    if (block.candidates[choices[b]].kind === 'zero') return;
    sum += raw.blockMs[b][choices[b]];
    count++;
  });
  return { fixed: raw.fixedMs, blocks: sum, count };
}

/** The layer keys of a network's blocks that are not `Zero`, in order. */
export function networkKeys(blocks: readonly MixedBlock[], choices: readonly number[]): string[] {
  return blocks.flatMap((block, b) => {
    const op = block.candidates[choices[b]];
    return op.kind === 'zero' ? [] : [layerKey(blockLayer(block, op))];
  });
}

/** The networks with their measured latencies, as the correction is fitted to them. */
export function measuredNetworks(raw: LatencyModel, blocks: readonly MixedBlock[], choices: readonly (readonly number[])[], measured: readonly number[]): MeasuredNetwork[] {
  return choices.map((c, i) => ({ terms: networkTerms(raw, blocks, c), keys: networkKeys(blocks, c), measured: measured[i] }));
}

/** Networks to time in a worker thread of their own (server/runtime/networkTimingWorker.ts). */
export interface NetworkTimingJob {
  readonly archs: ProxylessArch[];
  readonly repeats: number;
  readonly backend: BackendChoice;
}

/**
 * Batch-1 latency (ms) of each network as deployed (He-initialized weights, batch norms folded;
 * timing does not depend on the values), each the low quantile of `repeats` runs as every latency
 * figure is. The networks are timed in rounds, each once per round after `SETTLE_RUNS` untimed
 * runs, so a change of the machine's load reaches them all alike rather than a few of them.
 */
export function measureNetworks(archs: readonly ProxylessArch[], repeats: number, seed = 0): number[] {
  const models = archs.map((arch) => {
    const training = buildDerivedModel(arch, seed);
    try {
      return foldBatchNorms(arch, training);
    } finally {
      training.dispose();
    }
  });
  const inputs = archs.map((arch) => tf.randomNormal([1, ...arch.input]));
  try {
    return timeInterleaved(
      models.map((model, i) => () => model.predict(inputs[i]) as tf.Tensor),
      WARMUP_ROUNDS,
      repeats,
      SETTLE_RUNS,
    ).map(robustLatency);
  } finally {
    models.forEach((m) => m.dispose());
    tf.dispose(inputs);
  }
}
