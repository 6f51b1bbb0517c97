import type { DatasetSpec } from '../data/datasetSpec';
import type { ResolvedTrainOptions } from '../evaluators/train/trainOptions';
import { coefficientGrid, type GridOptions, type ScalingCoefficients } from './compoundScaling';
import type { SingleDimension } from './flopsMatching';
import type { Rounding } from './scaledLayerStack';
import type { ScalableArch } from './scalableArch';

/** How every candidate network trains: the train evaluator's options, the dataset apart. */
export type ScalingTraining = Omit<ResolvedTrainOptions, 'dataset'>;

/** A validated `*.scaling.json`, defaults filled in and the base architecture read in. */
export interface ScalingSpec {
  readonly name: string;
  readonly description?: string;
  /** The network to grow, and where it came from ("trial 12 of run mnist-…", a file). */
  readonly base: { readonly arch: ScalableArch; readonly from: string };
  readonly dataset: DatasetSpec;
  readonly training: ScalingTraining;
  /** The grid search of (α, β, γ) at φ = 1. */
  readonly grid: GridOptions;
  /** The family φ = 1..maxPhi. */
  readonly maxPhi: number;
  /** Single-dimension rules trained at the compound members' FLOPs, for comparison. */
  readonly baselines: readonly SingleDimension[];
  readonly rounding: Rounding;
  readonly seed: number;
}

/** Most grid points a spec may ask to train (each is a full training). */
export const MAX_GRID_POINTS = 64;

export function gridOf(spec: Pick<ScalingSpec, 'grid'>): ScalingCoefficients[] {
  return coefficientGrid(spec.grid);
}

/** Candidates a scaling run trains (or reuses): the base, the grid, the compound family beyond φ = 1 and each baseline at each φ. */
export function candidateCount(spec: ScalingSpec): number {
  return 1 + gridOf(spec).length + (spec.maxPhi - 1) + spec.maxPhi * spec.baselines.length;
}
