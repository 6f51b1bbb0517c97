/**
 * THE contract between the extension host and the engine process: every custom request and
 * notification, with its params and result, declared once here. The engine is a language server
 * over IPC (vscode-languageserver); it also validates spec documents (`*.nas.json`,
 * `*.supernet.json`) and publishes their diagnostics the standard LSP way. Failed requests carry
 * an error code from errors.ts.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ArchJson, NodeMetrics } from './architecture';
import type { BackendChoice } from './backends';
import type { Metrics } from './metrics';
import type { ExportModelParams, ModelExport } from './modelExport';
import type { ProgressParams, QuantizationEpisodes, RunKindId, RunSummary, SpecializeParams, TrainingEpoch, TrialItem } from './runs';
import type { DecisionInfo } from './webviewMessages';

export interface ArchDetailsParams extends RunRef {
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

/** Sent as `initializationOptions` on every (re)start of the engine, read afresh each time. */
export interface EngineInitOptions {
  /** Folder holding one subfolder per run. */
  readonly experimentsRoot: string;
  /** Workspace trust: an untrusted workspace gets diagnostics but never runs anything. */
  readonly trusted: boolean;
  /** TensorFlow.js backend preference. */
  readonly backend: BackendChoice;
  /** Resume runs whose engine died (crash, window closed) on start. */
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
  readonly strategies: readonly (CatalogEntry & {
    readonly multiObjective: boolean;
    /** What a warm start's prior pre-fits ("its predictor"); absent when it takes none (only top-k applies). */
    readonly priorShapes?: string;
  })[];
}

export interface EngineInfo {
  readonly version: string;
  readonly experimentsRoot: string;
  readonly trusted: boolean;
  readonly pid: number;
}

/**
 * A new run: from a spec file (its kind follows from the file name, e.g. `*.nas.json` is a
 * search, `*.supernet.json` a supernet training), or from a spec built by the editor.
 */
export type StartRunParams =
  | {
      /** Absolute path of the spec file. */
      readonly specPath: string;
      /** Current editor text when it differs from the file on disk. */
      readonly text?: string;
    }
  | { readonly kind: 'specialization'; readonly spec: SpecializeParams };

export interface RunRef {
  readonly id: string;
}

export interface MetricNamesParams {
  /** `{ type, ...options }` of an evaluator. */
  readonly evaluator: { readonly type: string; readonly [option: string]: unknown };
  /** Folder relative paths in the options resolve against. */
  readonly baseDir: string;
}

export interface DescribeDatasetParams {
  /** A dataset spec as `evaluator.dataset` holds it (`{ type: 'mnist' }`, `{ type: 'idx', ... }`, ...). */
  readonly dataset: { readonly type: string; readonly [option: string]: unknown };
  /** Folder relative paths in it resolve against. */
  readonly baseDir: string;
}

/** What a network trained on a dataset takes and gives. */
export interface DatasetShape {
  /** [height, width, channels]. */
  readonly shape: readonly [number, number, number];
  readonly classes: number;
  /** Training examples. */
  readonly count: number;
  /** Whether it has a test split (for test_accuracy). */
  readonly hasTest: boolean;
}

export interface ValidateSpecParams {
  /** Where the spec will be written: its suffix says its kind, its folder resolves relative paths. */
  readonly specPath: string;
  readonly text: string;
}

/** A problem of spec text, as the engine's diagnostics say it. */
export interface SpecProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** "evaluator.dataset.train", "objectives[0].metric". */
  readonly path: string;
}

export interface TrialPageParams extends RunRef {
  readonly offset: number;
  readonly limit: number;
}

export interface TrialPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly TrialItem[];
}

export interface TrialRef extends RunRef {
  /** The trial number (TrialRecord.trial), not a position in the journal. */
  readonly trial: number;
}

export interface FindArchitectureParams {
  readonly arch: ArchJson;
  /** Runs to search; all of them when absent. */
  readonly ids?: readonly string[];
}

/** A search run that evaluated an architecture (first evaluation, not a cached repeat). */
export interface ArchitectureMatch {
  readonly run: string;
  readonly name: string;
  readonly trial: number;
  readonly description: string;
  readonly metrics: Metrics;
  readonly feasible: boolean;
}

export interface TrialFinishedParams {
  readonly id: string;
  readonly trial: TrialItem;
  readonly summary: RunSummary;
}

export interface WarmStartCandidatesParams {
  /** `{ type, ...options }` of a search space. */
  readonly space: { readonly type: string; readonly [option: string]: unknown };
  readonly objectiveCount: number;
}

/** A finished search a new search of the same space can be warm-started from. */
export interface WarmStartCandidate {
  readonly id: string;
  readonly name: string;
  readonly trials: number;
  /** Its first objective's metric, and its best value as text ("acc 92.45"). */
  readonly objective: string;
  readonly best?: string;
  readonly createdAt: string;
}

export interface ExportSpecializedSubnetParams {
  readonly id: string;
  readonly limit: number;
  /** Absolute path of the JSON file to write. */
  readonly path: string;
}

export const Requests = {
  engineInfo: new RequestType0<EngineInfo, void>('nas/engineInfo'),
  catalog: new RequestType0<Catalog, void>('nas/catalog'),
  /** Metrics an evaluator with these options produces (e.g. a table's columns). */
  metricNames: new RequestType<MetricNamesParams, string[], void>('nas/metricNames'),
  /** The shape and classes of a dataset (the wizard sets a space's input and classes from them). */
  describeDataset: new RequestType<DescribeDatasetParams, DatasetShape, void>('nas/describeDataset'),
  /** Validates spec text not yet written, with the validator of its kind's spec files (the wizard checks what it writes). */
  validateSpec: new RequestType<ValidateSpecParams, SpecProblem[], void>('nas/validateSpec'),

  // Every kind of run.
  /** Every run under the experiments folder, newest first (damaged ones included). */
  listRuns: new RequestType0<RunSummary[], void>('nas/listRuns'),
  getRun: new RequestType<RunRef, RunSummary, void>('nas/getRun'),
  /**
   * Validates the spec, creates the run and starts it; returns at once with its id. Progress
   * streams as `nas/progress`, changes as `nas/runChanged`. Fails with `invalid-spec` (and the
   * diagnostics in the error's data) or `missing-data` (the missing file) before any folder exists.
   */
  startRun: new RequestType<StartRunParams, RunRef, void>('nas/startRun'),
  /** Continues a stopped, interrupted or failed run where its journal ends; returns at once. */
  resumeRun: new RequestType<RunRef, RunRef, void>('nas/resumeRun'),
  /** Asks a running run to stop; resolves when it has stopped. */
  stopRun: new RequestType<RunRef, RunSummary, void>('nas/stopRun'),

  // Search runs.
  /** Trials in journal order, at most 5000 per page. */
  getTrials: new RequestType<TrialPageParams, TrialPage, void>('nas/getTrials'),
  /** One trial by its number. */
  getTrial: new RequestType<TrialRef, TrialItem, void>('nas/getTrial'),
  /** Which search runs evaluated this architecture (compared by the space's canonical key). */
  findArchitecture: new RequestType<FindArchitectureParams, ArchitectureMatch[], void>('nas/findArchitecture'),
  /**
   * Per-node figures for a graph of an architecture as this run measures it, keyed by node id
   * (e.g. each layer's lookup-table latency in an OFA search); `{}` when there are none.
   */
  getArchDetails: new RequestType<ArchDetailsParams, Record<string, NodeMetrics>, void>('nas/getArchDetails'),
  /** Finished searches of this space with as many objectives (what a warm start accepts), newest first. */
  warmStartCandidates: new RequestType<WarmStartCandidatesParams, WarmStartCandidate[], void>('nas/warmStartCandidates'),
  /** The decisions of a search's space with their options as text, in genome order (parallel coordinates, importance). */
  getDecisions: new RequestType<RunRef, DecisionInfo[], void>('nas/getDecisions'),

  // Supernet training runs.
  /** The finished epochs of a supernet training run, in order. */
  getTrainingEpochs: new RequestType<RunRef, TrainingEpoch[], void>('nas/getTrainingEpochs'),
  /**
   * Exports a sub-network of a trained supernet as a TF.js Layers model (batch norms
   * recalibrated, reload checked, latency measured) in a worker thread; cancellable.
   */
  exportSupernetSubnet: new RequestType<ExportSupernetSubnetParams, SubnetExport, void>('nas/exportSupernetSubnet'),
  /** Exports a trial's model (or a supernet's sub-network) as ONNX, TF.js or PyTorch, checked in that runtime. */
  exportModel: new RequestType<ExportModelParams, ModelExport, void>('nas/exportModel'),

  // Quantization runs.
  /** Every episode of a quantization run, in order, and its model's graph (the quantization view). */
  getQuantizationEpisodes: new RequestType<RunRef, QuantizationEpisodes, void>('nas/getQuantizationEpisodes'),

  // Specialization runs.
  /** Writes one sub-network of a specialization as JSON for OFA's set_active_subnet (plus predictions). */
  exportSpecializedSubnet: new RequestType<ExportSpecializedSubnetParams, void, void>('nas/exportSpecializedSubnet'),
} as const;

export const Notifications = {
  /** Engine -> client: a run was created, or its status or results changed. */
  runChanged: new NotificationType<RunSummary>('nas/runChanged'),
  trialFinished: new NotificationType<TrialFinishedParams>('nas/trialFinished'),
  progress: new NotificationType<ProgressParams>('nas/progress'),
  /** Client -> engine: workspace trust was granted. */
  setTrusted: new NotificationType<{ readonly trusted: boolean }>('nas/setTrusted'),
} as const;

/** Spec files by kind, as the engine, the CLI and the editor tell them apart. */
export const SPEC_FILE_KINDS: readonly { readonly kind: RunKindId; readonly suffix: string }[] = [
  { kind: 'search', suffix: '.nas.json' },
  { kind: 'supernet', suffix: '.supernet.json' },
  { kind: 'proxyless', suffix: '.proxyless.json' },
  { kind: 'scaling', suffix: '.scaling.json' },
  { kind: 'ensemble', suffix: '.ensemble.json' },
  { kind: 'quantization', suffix: '.quantize.json' },
];
