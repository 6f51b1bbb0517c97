/**
 * THE contract between the extension host, the engine process and the webviews: every
 * custom request and notification, with its params and result, declared once here.
 * The engine is a language server over IPC (vscode-languageserver); it also validates
 * `*.nas.json` spec documents and publishes their diagnostics the standard LSP way.
 */
import type { ArchJson, NodeMetrics } from './architecture';
import type { BackendChoice } from './backends';
import type { ConstraintSpec, Metrics } from './metrics';

/** 'interrupted': the process running it died; the engine resumes it. */
export type ExperimentStatus = 'pending' | 'running' | 'stopping' | 'stopped' | 'interrupted' | 'finished' | 'failed';

export interface ObjectiveInfo {
  readonly metric: string;
  readonly goal: 'maximize' | 'minimize';
}

/** One evaluated architecture, as journaled and as shown in the editor. */
export interface TrialRecord {
  readonly trial: number;
  readonly key: string;
  readonly genome: readonly number[];
  readonly arch: ArchJson;
  readonly metrics: Metrics;
  /** Whether the constraints of the experiment hold for these metrics. */
  readonly feasible: boolean;
  /** True when the metrics came from an earlier trial of the same architecture. */
  readonly cached: boolean;
  readonly durationMs: number;
}

export interface BestResult {
  readonly trial: number;
  readonly arch: ArchJson;
  readonly description: string;
  readonly metrics: Metrics;
}

/** What an experiment folder holds: an architecture search, or a supernet training run. */
export type ExperimentKind = 'search' | 'supernet';

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

export interface ArchDetailsParams extends ExperimentRef {
  readonly arch: ArchJson;
}

/** Which sub-network of a trained supernet to export: an extreme, or an `ofa-small` architecture (`{ks, e, d, r}`). */
export type SubnetChoice = 'largest' | 'smallest' | ArchJson;

export interface ExportSupernetSubnetParams {
  /** A supernet training run with at least one finished epoch. */
  readonly id: string;
  readonly arch: SubnetChoice;
  /** Folder for model.json, weights.bin and subnet.json. */
  readonly outDir: string;
}

/** What exporting a sub-network of a trained supernet wrote and measured. */
export interface SubnetExport {
  readonly dir: string;
  readonly modelJson: string;
  readonly arch: { readonly ks: readonly number[]; readonly e: readonly number[]; readonly d: readonly number[]; readonly r: number };
  readonly description: string;
  readonly params: number;
  readonly flops: number;
  /** On the run's validation split, after batch-norm recalibration. */
  readonly valAccuracy: number;
  /** Largest |difference| of the reloaded model's logits from the supernet's on validation images. */
  readonly reloadMaxDifference: number;
  /** Median batch-1 prediction time of the reloaded model. */
  readonly latencyMs: number;
  readonly backend: string;
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

export interface ExperimentSummary {
  readonly id: string;
  readonly name: string;
  readonly dir: string;
  /** The spec file it was started from (the snapshot lives in `dir`). */
  readonly specPath: string;
  readonly status: ExperimentStatus;
  readonly trials: number;
  readonly budget: number;
  readonly objectives: readonly ObjectiveInfo[];
  /** The spec's constraints (plots draw them as lines). */
  readonly constraints: readonly ConstraintSpec[];
  /** Metrics the spec reports without showing them to the strategy. */
  readonly report: readonly string[];
  /** The strategy type, e.g. "regularized-evolution" (legend of progress overlays). */
  readonly strategy: string;
  readonly best?: BestResult;
  /** Pareto-optimal trials when there are two or more objectives. */
  readonly pareto?: readonly number[];
  readonly error?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Absent for folders written before supernet runs existed: 'search'. */
  readonly kind?: ExperimentKind;
  /** Supernet training runs (kind 'supernet'); `trials` and `budget` are 0 for them. */
  readonly training?: TrainingSummary;
}

// ---------------------------------------------------------------------------------------------
// Requests and notifications (JSON-RPC over the language client's IPC connection).

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** Sent as `initializationOptions` when the extension starts the engine. */
export interface EngineInitOptions {
  /** Folder holding one subfolder per experiment. */
  readonly experimentsRoot: string;
  /** Workspace trust: an untrusted workspace gets diagnostics but never runs experiments. */
  readonly trusted: boolean;
  /** TensorFlow.js backend preference. */
  readonly backend: BackendChoice;
  /** Resume experiments whose engine died (crash, window closed) on start. */
  readonly resumeInterrupted: boolean;
}

export interface CatalogEntry {
  readonly type: string;
  readonly title: string;
  readonly description: string;
}

export interface Catalog {
  readonly spaces: readonly CatalogEntry[];
  readonly evaluators: readonly (CatalogEntry & {
    readonly spaces: readonly string[];
    /** Options a spec must set (file paths the wizard asks for), with their descriptions. */
    readonly requiredOptions: readonly { readonly name: string; readonly description: string }[];
  })[];
  readonly strategies: readonly (CatalogEntry & { readonly multiObjective: boolean })[];
}

export interface EngineInfo {
  readonly version: string;
  readonly experimentsRoot: string;
  readonly trusted: boolean;
  readonly pid: number;
}

export interface RunExperimentParams {
  /** Absolute path of the spec file. */
  readonly specPath: string;
  /** Current editor text when it differs from the file on disk. */
  readonly text?: string;
}

export interface ExperimentRef {
  readonly id: string;
}

export interface MetricNamesParams {
  /** `{ type, ...options }` of an evaluator. */
  readonly evaluator: { readonly type: string; readonly [option: string]: unknown };
  /** Folder relative paths in the options resolve against. */
  readonly baseDir: string;
}

export interface TrialPageParams extends ExperimentRef {
  readonly offset: number;
  readonly limit: number;
}

/** A trial as the editor lists it: the record plus its one-line description and any error. */
export type TrialItem = TrialRecord & { readonly description: string; readonly error?: string };

export interface TrialPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly TrialItem[];
}

export interface TrialRef extends ExperimentRef {
  /** The trial number (TrialRecord.trial), not a position in the journal. */
  readonly trial: number;
}

export interface FindArchitectureParams {
  readonly arch: ArchJson;
  /** Experiments to search; all of them when absent. */
  readonly ids?: readonly string[];
}

/** An experiment that evaluated an architecture (first evaluation, not a cached repeat). */
export interface ArchitectureMatch {
  readonly experiment: string;
  readonly name: string;
  readonly trial: number;
  readonly description: string;
  readonly metrics: Metrics;
  readonly feasible: boolean;
}

export interface ProgressParams {
  readonly id: string;
  /** Overall fraction of the budget done, counting trials in flight (supernet runs: of all epochs' steps). */
  readonly fraction: number;
  /** Supernet runs: epochs finished and in all. */
  readonly trialsDone: number;
  readonly budget: number;
  readonly message: string;
  /** Supernet training runs: epoch, phase, loss, accuracy, images/s and ETA. */
  readonly training?: TrainingProgress;
}

export interface TrialFinishedParams {
  readonly id: string;
  readonly trial: TrialItem;
  readonly summary: ExperimentSummary;
}

export const Requests = {
  engineInfo: new RequestType0<EngineInfo, void>('nas/engineInfo'),
  catalog: new RequestType0<Catalog, void>('nas/catalog'),
  /** Metrics an evaluator with these options produces (e.g. a table's columns). */
  metricNames: new RequestType<MetricNamesParams, string[], void>('nas/metricNames'),
  listExperiments: new RequestType0<ExperimentSummary[], void>('nas/listExperiments'),
  /** Starts a new experiment from a spec; returns at once with its id. */
  runExperiment: new RequestType<RunExperimentParams, ExperimentRef, void>('nas/runExperiment'),
  /**
   * Starts training a supernet from a `*.supernet.json` spec; returns at once with the run's id.
   * Progress streams as `nas/progress` (with `training`) and `nas/experimentChanged` after each
   * epoch; stop with stopExperiment, continue from the last checkpoint with resumeExperiment.
   */
  trainSupernet: new RequestType<RunExperimentParams, ExperimentRef, void>('nas/trainSupernet'),
  /** Continues a stopped or interrupted experiment; returns at once. */
  resumeExperiment: new RequestType<ExperimentRef, ExperimentRef, void>('nas/resumeExperiment'),
  /** Asks a running experiment to stop; resolves when it has stopped. */
  stopExperiment: new RequestType<ExperimentRef, ExperimentSummary, void>('nas/stopExperiment'),
  getExperiment: new RequestType<ExperimentRef, ExperimentSummary, void>('nas/getExperiment'),
  /** Trials in journal order, at most 5000 per page. */
  getTrials: new RequestType<TrialPageParams, TrialPage, void>('nas/getTrials'),
  /** One trial by its number. */
  getTrial: new RequestType<TrialRef, TrialItem, void>('nas/getTrial'),
  /** Which experiments evaluated this architecture (compared by the space's canonical key). */
  findArchitecture: new RequestType<FindArchitectureParams, ArchitectureMatch[], void>('nas/findArchitecture'),
  /**
   * Per-node figures for a graph of an architecture as this experiment measures it, keyed by
   * node id (e.g. each layer's lookup-table latency in an OFA search); `{}` when there are none.
   */
  getArchDetails: new RequestType<ArchDetailsParams, Record<string, NodeMetrics>, void>('nas/getArchDetails'),
  /** The finished epochs of a supernet training run, in order. */
  getTrainingEpochs: new RequestType<ExperimentRef, TrainingEpoch[], void>('nas/getTrainingEpochs'),
  /**
   * Exports a sub-network of a trained supernet as a TF.js Layers model (batch norms
   * recalibrated, reload checked, latency measured) in a worker thread; cancellable.
   */
  exportSupernetSubnet: new RequestType<ExportSupernetSubnetParams, SubnetExport, void>('nas/exportSupernetSubnet'),
} as const;

export const Notifications = {
  /** Engine -> client: status or best result of an experiment changed (also: created). */
  experimentChanged: new NotificationType<ExperimentSummary>('nas/experimentChanged'),
  trialFinished: new NotificationType<TrialFinishedParams>('nas/trialFinished'),
  progress: new NotificationType<ProgressParams>('nas/progress'),
  /** Client -> engine: workspace trust was granted. */
  setTrusted: new NotificationType<{ readonly trusted: boolean }>('nas/setTrusted'),
} as const;


// ---------------------------------------------------------------------------------------------
// OFA specialization runs (pick the best sub-network for latency/FLOPs limits, no training).

export type EfficiencyChoice =
  | { readonly kind: 'lut'; readonly dir: string }
  | { readonly kind: 'flops-table'; readonly path: string }
  | { readonly kind: 'flops' };

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

export interface SpecializationSummary {
  readonly id: string;
  readonly name: string;
  readonly status: 'running' | 'finished' | 'stopped' | 'failed';
  readonly createdAt: string;
  readonly request: SpecializeParams;
  /** e.g. "latency table /data/note10" and its metric and unit. */
  readonly efficiency?: { readonly label: string; readonly metric: string; readonly unit: string };
  readonly subnets: readonly SpecializedSubnetInfo[];
  readonly error?: string;
}

export interface ExportSubnetParams {
  readonly id: string;
  readonly limit: number;
  /** Absolute path of the JSON file to write. */
  readonly path: string;
}

export const SpecializationRequests = {
  /** Starts a specialization; returns at once. Progress streams as `nas/progress` with this id. */
  start: new RequestType<SpecializeParams, { readonly id: string }, void>('nas/specialize'),
  list: new RequestType0<SpecializationSummary[], void>('nas/listSpecializations'),
  stop: new RequestType<{ readonly id: string }, SpecializationSummary, void>('nas/stopSpecialization'),
  /** Writes one sub-network as JSON for OFA's set_active_subnet (plus predictions). */
  exportSubnet: new RequestType<ExportSubnetParams, void, void>('nas/exportSubnet'),
} as const;

export const SpecializationNotifications = {
  changed: new NotificationType<SpecializationSummary>('nas/specializationChanged'),
} as const;
