import type { DatasetSpec } from '../data/datasetSpec';
import type { Augmentation } from '../data/batchAssembly';
import type { BackendChoice } from '../../contract/backends';
import type { OfaSmallConfig } from './ofaSmallConfig';

/**
 * Phases of progressive shrinking (OFA's order: full -> kernel -> depth -> expand), each enabling
 * the choices of one more dimension; `fairnas` is the single phase of strict-fairness training.
 */
export type PhaseName = 'full' | 'kernel' | 'depth' | 'expand' | 'fairnas';

export interface PhaseSpec {
  readonly phase: PhaseName;
  readonly epochs: number;
  /** Start of the phase's cosine schedule. */
  readonly learningRate: number;
  /** Sub-networks whose gradients are summed per step (OFA's dynamic batch size). */
  readonly subnetsPerStep: number;
  /** Kernel, depth or expand choices the phase enables (default: all); must include the largest. */
  readonly choices?: readonly number[];
}

export type TrainingMode = 'progressive-shrinking' | 'fairnas';

export type TeacherKind = 'frozen' | 'inplace';

export interface TrainingSpec {
  readonly mode: TrainingMode;
  readonly phases: readonly PhaseSpec[];
  readonly batchSize: number;
  /** Data-parallel worker threads, one replica each. */
  readonly workers: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** Weight of the distillation loss from the largest network (progressive shrinking; 0 = off). */
  readonly distillation: number;
  /**
   * The distillation teacher: 'frozen' = OFA's, the largest network as trained in the first full
   * phase; 'inplace' = BigNAS's, the largest sub-network of the same step (trained every step by the
   * sandwich rule, so the teacher keeps improving).
   */
  readonly teacher: TeacherKind;
  /** Progressive shrinking: train the largest and smallest enabled sub-networks in every elastic step. */
  readonly sandwich: boolean;
  /** Training examples held out for validation: a count, or a fraction when below 1. */
  readonly validation: number;
  /** Use at most this many of the remaining training examples. */
  readonly trainSamples?: number;
  /** Test examples for the final test accuracy (0 = skip). */
  readonly testSamples: number;
  /** Training examples the batch norms are recalibrated on before each evaluation. */
  readonly calibrationSamples: number;
  readonly augment: Augmentation;
  /** Normalize inputs with the training split's per-channel mean and std (else bytes / 255). */
  readonly normalize: boolean;
  readonly backend: BackendChoice;
}

/** A validated `*.supernet.json`, defaults filled in. */
export interface SupernetSpec {
  readonly name: string;
  readonly description?: string;
  readonly supernet: OfaSmallConfig;
  readonly dataset: DatasetSpec;
  readonly training: TrainingSpec;
  readonly seed: number;
}

/**
 * Sub-networks per step: OFA's dynamic batch sizes (1 while training kernels, 2 for depth, 4 for
 * expand), or with the sandwich rule the largest, the smallest and at least one random one.
 */
export function defaultSubnetsPerStep(phase: Exclude<PhaseName, 'fairnas'>, sandwich: boolean): number {
  return (sandwich ? { full: 1, kernel: 3, depth: 3, expand: 4 } : { full: 1, kernel: 1, depth: 2, expand: 4 })[phase];
}

export function totalEpochs(training: TrainingSpec): number {
  return training.phases.reduce((n, p) => n + p.epochs, 0);
}
