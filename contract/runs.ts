/**
 * Runs as every side sees them: every long job (an architecture search, a supernet training, a
 * specialization sweep, the methods to come) is a run of one registered kind. A run's summary is
 * one case of the discriminated union below, chosen by `kind`; the common part says where it is,
 * how far it got and which views show its results.
 */
import type { ArchJson } from './architecture';
import type { ConstraintSpec, MetricCatalog, Metrics, ObjectiveSpec } from './metrics';

export type RunKindId = 'search' | 'supernet' | 'specialization';

/**
 * 'interrupted': the process running it died (the engine resumes it). 'damaged': its folder
 * cannot be read as written (`damage` says why); reading never changes it, `nas-studio repair`
 * rewrites a clean journal.
 */
export type RunStatus = 'pending' | 'running' | 'stopping' | 'stopped' | 'interrupted' | 'finished' | 'failed' | 'damaged';

/** Webviews that show a run's results (the first opens on "Open Results"). */
export type ResultsView = 'plot' | 'progress' | 'training-curves';

/** What `done` and `total` of a run's progress count. */
export type ProgressUnit = 'trials' | 'epochs' | 'limits';

interface RunSummaryBase {
  readonly id: string;
  readonly name: string;
  readonly dir: string;
  /** The spec file it was created from ('' when created from a request). */
  readonly source: string;
  readonly status: RunStatus;
  readonly progress: { readonly done: number; readonly total: number; readonly unit: ProgressUnit };
  readonly views: readonly ResultsView[];
  readonly error?: string;
  /** Why the run cannot be read as written (status 'damaged'). */
  readonly damage?: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One evaluated architecture, as journaled and as shown in the editor. */
export interface TrialRecord {
  readonly trial: number;
  readonly key: string;
  readonly genome: readonly number[];
  readonly arch: ArchJson;
  readonly metrics: Metrics;
  /** Whether the constraints of the run hold for these metrics. */
  readonly feasible: boolean;
  /** True when the metrics came from an earlier trial of the same architecture. */
  readonly cached: boolean;
  readonly durationMs: number;
  /** When the trial finished (ISO time). */
  readonly at?: string;
  /** One-line description of the architecture (listings add it). */
  readonly description?: string;
  /** Why the evaluation failed. */
  readonly error?: string;
}

/** A trial as the editor lists it: the record plus its one-line description and any error. */
export type TrialItem = TrialRecord & { readonly description: string; readonly error?: string };

export interface BestResult {
  readonly trial: number;
  readonly arch: ArchJson;
  readonly description: string;
  readonly metrics: Metrics;
}

/** An architecture search: trials proposed by a strategy, scored by an evaluator. */
export interface SearchRunSummary extends RunSummaryBase {
  readonly kind: 'search';
  /** Finished trials, of `budget`. */
  readonly trials: number;
  readonly budget: number;
  readonly objectives: readonly ObjectiveSpec[];
  /** The spec's constraints (plots draw them as lines). */
  readonly constraints: readonly ConstraintSpec[];
  /** Metrics the spec reports without showing them to the strategy. */
  readonly report: readonly string[];
  /** The strategy type, e.g. "regularized-evolution" (legend of progress overlays). */
  readonly strategy: string;
  readonly best?: BestResult;
  /** Pareto-optimal trials when there are two or more objectives, best first objective first. */
  readonly pareto?: readonly number[];
  /** Titles, units and precision of the metrics its trials carry, as the evaluator declares them. */
  readonly metricInfo: MetricCatalog;
}

/** Accuracy of the largest and smallest sub-networks of a supernet. */
export interface EpochScores {
  readonly largest: { readonly accuracy: number; readonly loss: number };
  readonly smallest: { readonly accuracy: number; readonly loss: number };
}

/** One finished epoch of a supernet training run (what `nas-studio show` lists and the progress view plots). */
export interface TrainingEpoch {
  /** 1-based number of this epoch, of `epochs`. */
  readonly epoch: number;
  readonly epochs: number;
  readonly phase: string;
  /** Mean training classification loss and accuracy of the sub-networks sampled this epoch. */
  readonly loss: number;
  readonly accuracy: number;
  /** Largest and smallest sub-networks on the validation split, after batch-norm recalibration. */
  readonly validation: EpochScores;
  /** The same on the test split, after the last epoch (when the dataset has one). */
  readonly test?: EpochScores;
  readonly imagesPerSecond: number;
  /** The TensorFlow.js backend the epoch trained on (as the workers report it). */
  readonly backend: string;
  /** Training time of this epoch, without validation. */
  readonly seconds: number;
  readonly learningRate: number;
}

/** Where a supernet training run stands (after its last finished epoch). */
export interface TrainingSummary {
  /** Epochs finished, of `epochs`. */
  readonly epoch: number;
  readonly epochs: number;
  /** Phase of the last finished epoch (or of the first, before any). */
  readonly phase: string;
  /** Training classification loss of the last epoch. */
  readonly loss?: number;
  /** Validation accuracy of the largest sub-network after the last epoch. */
  readonly accuracy?: number;
  /** Validation accuracy of the smallest sub-network after the last epoch. */
  readonly smallestAccuracy?: number;
  readonly imagesPerSecond?: number;
  /** The TensorFlow.js backend of the last epoch. */
  readonly backend?: string;
  /** Test accuracies after the last epoch of a finished run (when the dataset has a test split). */
  readonly test?: EpochScores;
}

/** An Once-for-All supernet trained on the user's data. */
export interface SupernetRunSummary extends RunSummaryBase {
  readonly kind: 'supernet';
  readonly training: TrainingSummary;
}

export type EfficiencyChoice =
  | { readonly kind: 'lut'; readonly dir: string }
  | { readonly kind: 'flops-table'; readonly path: string }
  | { readonly kind: 'flops' };

/** What to specialize: OFA's accuracy predictor, an efficiency model, one limit or a sweep. */
export interface SpecializeParams {
  readonly name?: string;
  /** Accuracy predictor weights (OFA's acc_predictor.json format). */
  readonly predictor: string;
  readonly efficiency: EfficiencyChoice;
  /** One limit, or several for a Pareto sweep (ms with a LUT, MFLOPs otherwise). */
  readonly limits: readonly number[];
  readonly seed?: number;
}

export interface SpecializedSubnetInfo {
  readonly limit: number;
  readonly arch: ArchJson;
  readonly description: string;
  readonly predictedAccuracy: number;
  readonly efficiency: number;
  readonly mflops: number;
  readonly mparams: number;
  readonly seconds: number;
  readonly pareto: boolean;
}

/** The best OFA sub-network for each of a set of latency or FLOPs limits. */
export interface SpecializationRunSummary extends RunSummaryBase {
  readonly kind: 'specialization';
  readonly request: SpecializeParams;
  /** e.g. "latency table /data/note10" and its metric and unit. */
  readonly efficiency: { readonly label: string; readonly metric: string; readonly unit: string };
  /** One per finished limit, in the request's order. */
  readonly subnets: readonly SpecializedSubnetInfo[];
}

/** A folder whose spec snapshot cannot be read: its kind is unknown (status 'damaged'). */
export interface UnreadableRunSummary extends RunSummaryBase {
  readonly kind: 'unreadable';
}

export type RunSummary = SearchRunSummary | SupernetRunSummary | SpecializationRunSummary | UnreadableRunSummary;

/** Live progress of a supernet training run, within an epoch. */
export interface TrainingProgress {
  /** The epoch running (1-based), of `epochs`. */
  readonly epoch: number;
  readonly epochs: number;
  readonly phase: string;
  readonly step: number;
  readonly steps: number;
  /** Running mean of this epoch's training loss and accuracy. */
  readonly loss: number;
  readonly accuracy: number;
  readonly imagesPerSecond: number;
  /** Estimated time to the end of the run. */
  readonly etaSeconds: number;
}

/** Progress of a running run, streamed while it works. */
export interface ProgressParams {
  readonly id: string;
  /** Overall fraction done, counting work in flight. */
  readonly fraction: number;
  /** Units finished and in all (trials, epochs or limits, as in the summary). */
  readonly done: number;
  readonly total: number;
  readonly unit: ProgressUnit;
  /** What is happening now, e.g. "trial 3: epoch 1/2" or "epoch 3/12 kernel step 40/125 …". */
  readonly message: string;
  readonly etaSeconds?: number;
  /** Supernet training runs: epoch, phase, loss, accuracy, images/s. */
  readonly training?: TrainingProgress;
}
