import * as tf from '@tensorflow/tfjs';
import type { Fidelity, ValidationFile } from '../../contract/latencyValidation';
import { throwIfAborted } from '../core/errors';
import { Rng } from '../core/rng';
import { BLOCK_COUNT, DEPTHS, EXPAND_RATIOS, KERNEL_SIZES, STAGE_COUNT, type OfaArch } from '../spaces/ofa/mbv3Network';
import { correctedPrediction, fitCorrection, rawPrediction, type LatencyCorrection, type TableTerms } from './latencyCorrection';
import { timeInterleaved } from '../runtime/forwardTiming';
import { MEASURE_DEFAULTS } from './lutMeasurement';
import { networkOp } from './mbv3Ops';
import { robustLatency } from './robustLatency';

/** One random network: the table's prediction and the measured end-to-end latency (ms). */
export interface ValidatedNetwork {
  readonly arch: OfaArch;
  readonly terms: TableTerms;
  /** The table's plain sum over the network's layers. */
  readonly predicted: number;
  /** Low quantile (`robustLatency`) of the timed whole-network runs. */
  readonly measured: number;
  /**
   * The network's own layers timed one by one in the same rounds as the whole network, summed:
   * what the table would say without drift between measuring it and measuring the network.
   * Absent when a device measured the network.
   */
  readonly layerSum?: number;
}

export interface ValidationReport {
  readonly networks: readonly ValidatedNetwork[];
  /** The table's plain sums. */
  readonly raw: Fidelity;
  /** Same-moment layer sums (`ValidatedNetwork.layerSum`), when every network has one. */
  readonly layerSums?: Fidelity;
  /** The learned correction, each network predicted by a correction fitted without it (5-fold cross-validation). */
  readonly corrected: Fidelity;
  /** Held-out corrected prediction per network, in `networks` order. */
  readonly correctedPredictions: readonly number[];
  /** The correction fitted on every network (what later predictions use). */
  readonly correction: LatencyCorrection;
}

/** `count` random sub-networks at the given resolutions (uniform over every decision), the same for a seed. */
export function randomNetworks(count: number, seed: number, resolutions: readonly number[]): OfaArch[] {
  const rng = new Rng(seed).fork('latency-validation');
  return Array.from({ length: count }, () => ({
    ks: Array.from({ length: BLOCK_COUNT }, () => rng.choice(KERNEL_SIZES)),
    e: Array.from({ length: BLOCK_COUNT }, () => rng.choice(EXPAND_RATIOS)),
    d: Array.from({ length: STAGE_COUNT }, () => rng.choice(DEPTHS)),
    r: rng.choice(resolutions),
  }));
}

/** End-to-end latency (ms, `robustLatency`) of one network at batch 1: random weights, image in, logits out. */
export function measureNetwork(arch: OfaArch, options: { repeats?: number; warmup?: number } = {}): number {
  return measureNetworkAndLayers(arch, { ...options, layers: false }).measured;
}

/**
 * The network end to end and, with `layers` (default), each of its layers alone with its own
 * input, interleaved round by round (network, layer 1, layer 2, ...): both sides through the same
 * ops, backend, warm-up and statistic, at the same moment.
 */
export function measureNetworkAndLayers(arch: OfaArch, options: { repeats?: number; warmup?: number; layers?: boolean } = {}): { measured: number; layerSum?: number } {
  const op = networkOp(arch);
  const layers = options.layers === false ? [] : op.layers;
  const inputs = [op, ...layers].map((o) => tf.randomNormal(o.inputShape));
  try {
    const forwards = [() => op.apply(inputs[0]), ...layers.map((layer, i) => () => layer.apply(inputs[i + 1]))];
    const [network, ...perLayer] = timeInterleaved(forwards, options.warmup ?? MEASURE_DEFAULTS.warmup, options.repeats ?? MEASURE_DEFAULTS.repeats).map(robustLatency);
    return { measured: network, ...(perLayer.length > 0 ? { layerSum: perLayer.reduce((a, b) => a + b, 0) } : {}) };
  } finally {
    op.dispose();
    tf.dispose(inputs);
  }
}

export function fidelity(predicted: readonly number[], measured: readonly number[]): Fidelity {
  const errors = measured.map((m, i) => Math.abs(predicted[i] - m) / m);
  return { within10: errors.filter((e) => e <= 0.1).length / errors.length, mape: errors.reduce((a, b) => a + b, 0) / errors.length };
}

/** Held-out predictions of the correction: fold k is predicted by a correction fitted on the other folds. */
export function crossValidated(networks: readonly { readonly terms: TableTerms; readonly measured: number }[], folds = 5): number[] {
  const k = Math.min(folds, networks.length);
  return networks.map((n, i) => {
    const training = networks.filter((_, j) => j % k !== i % k);
    return correctedPrediction(fitCorrection(training.length > 0 ? training : networks), n.terms);
  });
}

/** Compares measured networks with their table predictions, plain and corrected. */
export function validationReport(networks: readonly ValidatedNetwork[]): ValidationReport {
  const measured = networks.map((n) => n.measured);
  const correctedPredictions = crossValidated(networks);
  const layerSums = networks.map((n) => n.layerSum);
  return {
    networks,
    raw: fidelity(networks.map((n) => rawPrediction(n.terms)), measured),
    ...(layerSums.every((s) => s !== undefined) ? { layerSums: fidelity(layerSums as number[], measured) } : {}),
    corrected: fidelity(correctedPredictions, measured),
    correctedPredictions,
    correction: fitCorrection(networks),
  };
}

/**
 * Measures each network end to end on the active backend (in order, reporting after each) and
 * compares with `terms`' predictions: what `nas-studio lut --validate` and `bench:lut` report.
 */
export async function validateNetworks(
  archs: readonly OfaArch[],
  termsOf: (arch: OfaArch) => TableTerms,
  options: {
    repeats?: number;
    warmup?: number;
    signal?: AbortSignal;
    progress?(done: number, network: ValidatedNetwork): void;
    /** Measures one network elsewhere (a device worker); default: here, on the active backend. */
    measure?(arch: OfaArch, index: number): Promise<number>;
  } = {},
): Promise<ValidationReport> {
  const networks: ValidatedNetwork[] = [];
  for (const arch of archs) {
    throwIfAborted(options.signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const terms = termsOf(arch);
    const timed = options.measure ? { measured: await options.measure(arch, networks.length) } : measureNetworkAndLayers(arch, options);
    const network = { arch, terms, predicted: rawPrediction(terms), ...timed };
    networks.push(network);
    options.progress?.(networks.length, network);
  }
  return validationReport(networks);
}

/** validation.json: every network's prediction and measurement (what the scatter view plots), and the figures. */
export function validationFile(report: ValidationReport, table: string, backend: string): ValidationFile {
  return {
    table,
    backend,
    raw: report.raw,
    corrected: report.corrected,
    correction: report.correction,
    ...(report.layerSums ? { layerSums: report.layerSums } : {}),
    networks: report.networks.map((n, i) => ({
      arch: n.arch,
      predicted: n.predicted,
      corrected: report.correctedPredictions[i],
      measured: n.measured,
      ...(n.layerSum !== undefined ? { layerSum: n.layerSum } : {}),
    })),
  };
}
