import { isAbsolute, resolve } from 'node:path';
import type { BackendChoice } from '../../contract/backends';
import type { DatasetSpec } from '../data/datasetSpec';
import type { Binarization } from './archParameters';
import type { LatencyLossSpec } from './latencyLoss';
import type { ProxylessConfig } from './proxylessSpace';

/** The search: the reference's `warm_up` then `train` (search/nas_manager.py), scaled by the spec. */
export interface SearchSpec {
  /** Epochs training weights only, every path sampled from the (untrained, so uniform) α. */
  readonly warmupEpochs: number;
  /** Epochs alternating weight steps and architecture steps. */
  readonly epochs: number;
  readonly batchSize: number;
  /** Data-parallel worker threads, one replica each. */
  readonly workers: number;
  /** Start of the warm-up's cosine schedule (the reference's lr_max 0.05). */
  readonly warmupLearningRate: number;
  /** Start of the search epochs' cosine schedule (the reference's init_lr 0.025). */
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** Label smoothing of the weight steps' cross-entropy (architecture steps use none, as in the reference). */
  readonly labelSmoothing: number;
  readonly binarization: Binarization;
  /** Adam's learning rate for α (betas (0, 0.999), eps 1e-8). */
  readonly archLearningRate: number;
  /** One architecture step after every this many weight steps. */
  readonly archUpdateEvery: number;
  /** α starts from N(0, archInitStd²). */
  readonly archInitStd: number;
  /** Training examples held out for architecture steps and validation: a count, or a fraction when below 1. */
  readonly validation: number;
  /** Use at most this many of the remaining training examples. */
  readonly trainSamples?: number;
  readonly backend: BackendChoice;
}

/** The latency term and its lookup table. */
export interface LatencySpec extends LatencyLossSpec {
  /** A table folder measured elsewhere (`nas-studio lut --proxyless SPEC`); absent: measured on this machine when the run starts. */
  readonly table?: string;
  /** Timed runs per layer when the table is measured here, and untimed runs before them. */
  readonly repeats: number;
  readonly warmup: number;
  /** Networks measured end to end after a table measured here, to learn its correction (absent in specs of older runs: none). */
  readonly correctionNetworks?: number;
}

/** Fewest networks a table's correction is learned from (cross-validated over 5 folds). */
export const MIN_CORRECTION_NETWORKS = 8;

/** Training the derived network from scratch with the train evaluator. */
export interface DerivedTrainingSpec {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly testSamples: number;
  readonly latencyRepeats: number;
  /**
   * `argmax`: every block's most likely candidate (the reference). `near-target`: the most likely
   * network whose latency by the table is within ±targetTolerance of the target (NAS Studio's;
   * nearTargetChoice.ts). Absent in specs of older runs: argmax.
   */
  readonly selection?: DerivedSelection;
  readonly targetTolerance?: number;
}

export type DerivedSelection = 'argmax' | 'near-target';

/** A validated `*.proxyless.json`, defaults filled in. */
export interface ProxylessSpec {
  readonly name: string;
  readonly description?: string;
  readonly supernet: ProxylessConfig;
  readonly dataset: DatasetSpec;
  readonly search: SearchSpec;
  readonly latency: LatencySpec;
  readonly derived: DerivedTrainingSpec;
  readonly seed: number;
}

/** Epochs of the search (warm-up and search epochs). */
export function searchEpochs(spec: ProxylessSpec): number {
  return spec.search.warmupEpochs + spec.search.epochs;
}

/** The latency table folder a spec names, resolved against its folder. */
export function tableFolder(spec: ProxylessSpec, baseDir: string): string | undefined {
  const table = spec.latency.table;
  return table === undefined ? undefined : isAbsolute(table) ? table : resolve(baseDir, table);
}
