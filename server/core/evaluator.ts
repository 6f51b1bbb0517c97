import type { BackendChoice } from '../../contract/backends';
import type { MetricInfo } from '../../contract/metricInfo';
import type { Metrics } from '../../contract/metrics';
import type { EpochPoint } from '../../contract/trialCurve';
import type { DatasetSpec } from '../data/datasetSpec';
import type { Genome } from './searchSpace';


export interface EvaluationContext {
  readonly signal: AbortSignal;
  /** Seed for anything random in this evaluation (weight init, data order). */
  readonly seed: number;
  readonly trial: number;
  /** Fraction in [0, 1] of this evaluation done, with an optional short message. */
  progress(fraction: number, message?: string): void;
  /** Evaluators that train: the values of each epoch as it ends (the trial's learning curve). */
  epoch?(point: EpochPoint): void;
  /** Log line for the engine log. */
  log(message: string): void;
}

/** Turns an architecture into metrics. Cancellable through `signal`; rejects with CancelledError. */
export interface Evaluator {
  /** Names of the metrics every evaluation returns. */
  readonly metrics: readonly string[];
  /** How many evaluations can usefully run at once (the runner asks for batches this size). */
  readonly concurrency: number;
  evaluate(genome: Genome, context: EvaluationContext): Promise<Metrics>;
  /** Release workers, files, tensors. */
  dispose(): Promise<void>;
}

export interface EvaluatorSetup {
  readonly space: import('./searchSpace').SearchSpace;
  /** Folder relative paths in the spec resolve against (the spec file's folder). */
  readonly baseDir: string;
  /** Folder for this experiment's checkpoints and caches. */
  readonly workDir: string;
  /**
   * Folder where evaluators that train keep each trial's trained model (`trial-<n>/`, TF.js
   * Layers files), what "Export Model" converts; absent where nothing should be kept (queue workers).
   */
  readonly modelsDir?: string;
  /** The experiment's seed (for anything that must be the same across its trials). */
  readonly seed: number;
  /** Metrics the experiment needs (objectives, constraints, report); return at least these. */
  readonly metrics: readonly string[];
  /** The TensorFlow.js backend the user asked for (setting or --backend); an evaluator option other than 'auto' wins. */
  readonly backend: BackendChoice;
  log(message: string): void;
}

/** A selectable evaluator: its spec `type`, documentation, option schema and factory. */
export interface EvaluatorDefinition<Options = Record<string, unknown>> {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly optionsSchema: import('./jsonSchema').JsonSchema;
  /** Space types it can evaluate. */
  readonly spaces: readonly string[];
  /**
   * Metric names the evaluator will produce for these options, known before running
   * (so objectives and constraints can be checked when the spec is validated). Relative paths
   * in the options resolve against `baseDir`.
   */
  metricNames(options: Options, baseDir: string): readonly string[];
  /**
   * How a metric it produces is shown: title, unit, percent or fraction, precision. Pure (reads
   * no file: runs are read long after their files may have moved); undefined for names it does
   * not know, which are then shown plainly.
   */
  describeMetric?(name: string, options: Options): MetricInfo | undefined;
  /**
   * Checks, before a run is created, that the files the options name hold what they should
   * (a dataset's headers and sizes), cheaply. Throws DataError / MissingFileError naming the file.
   */
  preflight?(options: Options, setup: { readonly space: import('./searchSpace').SearchSpace; readonly baseDir: string }): Promise<void>;
  /** Throws SpecError (path relative to the options object) or DataError (files). */
  create(options: Options, setup: EvaluatorSetup): Promise<Evaluator>;
  /**
   * The dataset it scores architectures on, with the folder its paths resolve against (to tell
   * how alike two searches' tasks are). Absent for evaluators without one (a benchmark table).
   */
  taskData?(options: Options, baseDir: string): { readonly dataset: DatasetSpec; readonly baseDir: string } | undefined;
}
