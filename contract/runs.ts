/**
 * Runs as every side sees them: every long job (an architecture search, a supernet training, a
 * specialization sweep, the methods to come) is a run of one registered kind. A run's summary is
 * one case of the discriminated union below, chosen by `kind`; the common part says where it is,
 * how far it got and which views show its results.
 */
import type { ArchGraph, ArchJson } from './architecture';
import type { ConstraintSpec, MetricCatalog, Metrics, ObjectiveSpec } from './metrics';
import type { CostKind, QuantizerKind } from './quantization';
import type { EpochPoint } from './trialCurve';
import type { Fidelity } from './latencyValidation';

export type RunKindId = 'search' | 'supernet' | 'specialization' | 'proxyless' | 'scaling' | 'ensemble' | 'quantization';

/**
 * 'interrupted': the process running it died (the engine resumes it). 'damaged': its folder
 * cannot be read as written (`damage` says why); reading never changes it, `nas-studio repair`
 * rewrites a clean journal.
 */
export type RunStatus = 'pending' | 'running' | 'stopping' | 'stopped' | 'interrupted' | 'finished' | 'failed' | 'damaged';

/** Webviews that show a run's results (the first opens on "Open Results"). */
export type ResultsView = 'plot' | 'progress' | 'training-curves' | 'architecture-parameters' | 'quantization';

/** What `done` and `total` of a run's progress count. */
export type ProgressUnit = 'trials' | 'epochs' | 'limits' | 'iterations' | 'episodes';

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
  /** Per-epoch values of an evaluation that trains (absent for tables and older runs). */
  readonly curve?: readonly EpochPoint[];
}

/**
 * A trial as the table, plot and progress views use it: without its genome and architecture,
 * which are most of a trial's bytes (an OFA trial carries ~90 numbers) and which only the
 * analysis view and the report need.
 */
export type TrialRow = Omit<TrialRecord, 'genome' | 'arch'> & Partial<Pick<TrialRecord, 'genome' | 'arch'>>;

/** A trial as the editor lists it: the record plus its one-line description and any error. */
export type TrialItem = TrialRecord & { readonly description: string; readonly error?: string };

export interface BestResult {
  readonly trial: number;
  readonly arch: ArchJson;
  readonly description: string;
  readonly metrics: Metrics;
}

/** Where a warm-started search started from. */
export interface WarmStartInfo {
  /** Ids of the earlier runs it names. */
  readonly sources: readonly string[];
  /** Evaluate their best architectures first ('top-k'), pre-fit the strategy ('prior'), or both. */
  readonly use: 'top-k' | 'prior' | 'both';
  /** Observations transferred so far: journaled, never trials, never part of the budget. */
  readonly observations: number;
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
  readonly warmStart?: WarmStartInfo;
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

/** One finished epoch of a ProxylessNAS search. */
export interface ProxylessEpoch {
  /** 1-based number of this epoch, of `epochs` (warm-up epochs first). */
  readonly epoch: number;
  readonly epochs: number;
  readonly phase: 'warmup' | 'search';
  /** Mean training loss (label-smoothed) and accuracy of the weight steps' sampled networks. */
  readonly loss: number;
  readonly accuracy: number;
  /** The most likely network (the most probable candidate of every block) on the validation split, batch norms on batch statistics as in the reference. */
  readonly validation: { readonly accuracy: number; readonly loss: number };
  /** E[lat] under softmax(α) after the epoch, from the latency table. */
  readonly expectedLatencyMs: number;
  /** softmax(α) of every block over its candidates after the epoch. */
  readonly probabilities: readonly (readonly number[])[];
  /** Architecture steps this epoch, and their mean architecture loss. */
  readonly archSteps: number;
  readonly archLoss?: number;
  readonly imagesPerSecond: number;
  /** Training time of this epoch, without validation. */
  readonly seconds: number;
  readonly learningRate: number;
  readonly backend: string;
}

/** The network a ProxylessNAS search derived, trained from scratch, exported and measured. */
/** A derived network's latency relative to reference networks timed with it. */
export interface RelativeLatency {
  /** How many reference networks were timed with it. */
  readonly references: number;
  /** How much slower than their table latency the references ran (median of measured / predicted). */
  readonly slowdown: number;
  /** The derived network's latency in those rounds (ms). */
  readonly measuredMs: number;
  /** `measuredMs / slowdown`: its latency at the speed the machine had when the table was measured (ms). */
  readonly atTableSpeedMs: number;
}

export interface DerivedNetwork {
  readonly arch: ArchJson;
  readonly description: string;
  /** E[lat] under the final softmax(α). */
  readonly expectedLatencyMs: number;
  /** The latency table's sum over the derived network's layers. */
  readonly predictedLatencyMs: number;
  /**
   * With `near-target` selection, when it chose another network: every block's most likely
   * candidate (the reference's derivation) and its latency by the table.
   */
  readonly mostLikely?: { readonly description: string; readonly predictedLatencyMs: number };
  /** Batch-1 latency of the exported model on the machine that ran the search (a low quantile of timed runs, as the table's). */
  readonly measuredLatencyMs: number;
  /**
   * The network timed again, in the same rounds as reference networks of the space; present when
   * the latency table's correction was measured on this host (see server/proxyless/relativeLatency.ts).
   */
  readonly relativeLatency?: RelativeLatency;
  readonly valAccuracy: number;
  readonly testAccuracy?: number;
  readonly params: number;
  readonly flops: number;
  /** Epochs it was trained from scratch, and how long that took. */
  readonly epochs: number;
  readonly trainSeconds: number;
  /** The TF.js model folder and the `*.arch.json` file. */
  readonly modelDir: string;
  readonly archFile: string;
}

/** One point of a ProxylessNAS search's curves, per finished epoch. */
export interface ProxylessPoint {
  readonly epoch: number;
  readonly phase: 'warmup' | 'search';
  readonly expectedLatencyMs: number;
  readonly validationAccuracy: number;
  readonly loss: number;
}

/** A ProxylessNAS search: architecture parameters learned with binarized paths and a latency loss, then the derived network. */
export interface ProxylessRunSummary extends RunSummaryBase {
  readonly kind: 'proxyless';
  readonly binarization: 'two' | 'full_v2';
  /** "mul#log" or "add#linear". */
  readonly latencyLoss: string;
  readonly targetMs: number;
  /** Every mixed block: its label ("stage 1 · block 2") and its candidates' names. */
  readonly blocks: readonly { readonly label: string; readonly candidates: readonly string[] }[];
  /** Search epochs finished, of `epochs`. */
  readonly epoch: number;
  readonly epochs: number;
  /** softmax(α) after the last finished epoch. */
  readonly probabilities?: readonly (readonly number[])[];
  readonly curve: readonly ProxylessPoint[];
  /** Where the latency table came from: measured here when the run started, or a folder the spec names. */
  readonly latencyTable?: { readonly source: 'measured' | 'file'; readonly dir: string; readonly backend?: string; readonly correction?: TableCorrectionInfo };
  readonly derived?: DerivedNetwork;
}

/**
 * A latency table's learned correction (fitted on whole networks measured end to end), and how
 * well the table predicted those networks before and after it, when the run measured them.
 */
export interface TableCorrectionInfo {
  readonly networks: number;
  /** The table's plain sums. */
  readonly raw?: Fidelity;
  /** Corrected, each network predicted by a correction fitted without it (cross-validated). */
  readonly corrected?: Fidelity;
}

/** Depth, width and resolution multipliers of a scaled network (EfficientNet's d, w, r). */
export interface ScalingCoefficientsInfo {
  readonly depth: number;
  readonly width: number;
  readonly resolution: number;
}

/** A trained network of a scaling rule's line: φ = 0 is the base network. */
export interface ScalingPoint {
  readonly trial: number;
  readonly phi: number;
  readonly coefficients: ScalingCoefficientsInfo;
  readonly description: string;
  readonly flops: number;
  readonly params: number;
  readonly valAccuracy: number;
  readonly testAccuracy?: number;
  readonly latencyMs: number;
}

/** 'compound' grows depth, width and resolution together; the others one dimension alone, at the compound members' FLOPs. */
export type ScalingRuleName = 'compound' | 'depth' | 'width' | 'resolution';

export interface ScalingLine {
  readonly rule: ScalingRuleName;
  /** By φ, the base first. */
  readonly points: readonly ScalingPoint[];
}

/** EfficientNet compound scaling of a found network: a grid search of (α, β, γ), then the family φ = 1..K and single-dimension baselines. */
export interface ScalingRunSummary extends RunSummaryBase {
  readonly kind: 'scaling';
  /** Finished candidates (trained or reused), of `total`. */
  readonly trials: number;
  readonly total: number;
  readonly base: { readonly from: string; readonly description: string; readonly flops: number };
  /** Trial numbers of the grid search at φ = 1 (drawn faded). */
  readonly grid: readonly number[];
  /** The (α, β, γ) the grid search chose, once it has. */
  readonly coefficients?: ScalingCoefficientsInfo;
  readonly lines: readonly ScalingLine[];
}

/** One member of an AdaNet ensemble: a subnetwork and its mixture weight (one per class with vector weights). */
export interface EnsembleMemberInfo {
  readonly trial: number;
  readonly description: string;
  readonly depth: number;
  /** r(h) = √depth. */
  readonly complexity: number;
  readonly weights: readonly number[];
  readonly params: number;
  /** The subnetwork alone, on the validation split. */
  readonly valAccuracy: number;
}

/** One AdaNet iteration: the candidates' objectives, which one (if any) joined the ensemble, and the ensemble after it. */
export interface EnsembleIteration {
  readonly iteration: number;
  readonly candidates: readonly { readonly trial: number; readonly description: string; readonly objective: number; readonly heldOutObjective: number }[];
  /** The candidate added; absent when the previous ensemble won (growth stopped). */
  readonly chosen?: number;
  /** The complexity-regularized objective F(w) of the ensemble after the iteration, on the training and the held-out examples. */
  readonly objective: number;
  readonly heldOutObjective: number;
  readonly valAccuracy: number;
  readonly testAccuracy?: number;
  readonly params: number;
}

/** AdaNet (Cortes et al., ICML 2017): an ensemble grown one subnetwork per iteration under a complexity-regularized objective. */
export interface EnsembleRunSummary extends RunSummaryBase {
  readonly kind: 'ensemble';
  readonly iterations: readonly EnsembleIteration[];
  readonly maxIterations: number;
  readonly members: readonly EnsembleMemberInfo[];
  /** Why growth ended early: the previous ensemble beat every candidate. */
  readonly converged: boolean;
  /** exports/ensemble.arch.json once there is an ensemble (opens as a graph). */
  readonly graphFile?: string;
}

/** Bits of one quantizable layer: its weights and its input activations (32 = float). */
export interface LayerBitsInfo {
  readonly weight: number;
  readonly activation: number;
}

/** A bit policy scored on held-out examples, in the run's budget unit. */
export interface ScoredPolicyInfo {
  readonly policy: readonly LayerBitsInfo[];
  /** Held-out accuracy, a fraction. */
  readonly accuracy: number;
  readonly cost: number;
  readonly sizeBits: number;
  readonly bitOps: number;
}

/** One episode of a quantization search. */
export interface EpisodeInfo extends ScoredPolicyInfo {
  readonly episode: number;
  readonly reward: number;
  /** Random actions (warm-up, or a random search) rather than the agent's. */
  readonly explored: boolean;
}

/** A uniform policy: every layer the agent chooses for at `weight` / `activation` bits. */
export interface UniformBaselineInfo extends ScoredPolicyInfo {
  readonly weight: number;
  readonly activation: number;
}

/** A layer the agent chooses bits for (the graph node with the same id is coloured by them). */
export interface QuantizedLayerInfo {
  readonly name: string;
  readonly kind: 'conv' | 'depthwise' | 'dense';
  readonly weights: number;
  readonly macs: number;
}

/** The best policy exported and measured once on the test split. */
export interface QuantizationResult extends ScoredPolicyInfo {
  readonly episode: number;
  readonly testAccuracy?: number;
  readonly originalTestAccuracy?: number;
  /** What stock TF.js computes with the exported model (quantized weights, float activations), on `exportedOn`. */
  readonly exportedAccuracy: number;
  readonly exportedOn: 'test' | 'held-out';
  readonly packedBytes: number;
  readonly floatBytes: number;
  readonly modelDir: string;
  readonly finetuned: boolean;
}

/** HAQ: mixed-precision quantization of a trained model under a hardware budget. */
export interface QuantizationRunSummary extends RunSummaryBase {
  readonly kind: 'quantization';
  /** What is quantized: a model folder, or "trial 12 of <search>". */
  readonly model: string;
  readonly quantizer: QuantizerKind;
  readonly search: 'ddpg' | 'random';
  readonly budget: {
    /** As typed: "size:0.25", "bitops:w4a4". */
    readonly text: string;
    readonly kind: CostKind;
    readonly unit?: string;
    /** In `unit`, once the model is prepared. */
    readonly target?: number;
  };
  readonly episodes: number;
  readonly layers?: readonly QuantizedLayerInfo[];
  /** The float model on the held-out examples. */
  readonly originalAccuracy?: number;
  readonly best?: EpisodeInfo;
  readonly baselines: readonly UniformBaselineInfo[];
  readonly result?: QuantizationResult;
}

/** What a quantization view draws beyond the summary: every episode in order, and the model's graph once it is prepared. */
export interface QuantizationEpisodes {
  readonly episodes: readonly EpisodeInfo[];
  /** Node ids are the TF.js layer names, as QuantizedLayerInfo.name. */
  readonly graph?: ArchGraph;
}

/** A folder whose spec snapshot cannot be read: its kind is unknown (status 'damaged'). */
export interface UnreadableRunSummary extends RunSummaryBase {
  readonly kind: 'unreadable';
}

export type RunSummary = SearchRunSummary | SupernetRunSummary | SpecializationRunSummary | ProxylessRunSummary | ScalingRunSummary | EnsembleRunSummary | QuantizationRunSummary | UnreadableRunSummary;

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
  /** Units finished and in all (trials, epochs, limits or episodes, as in the summary). */
  readonly done: number;
  readonly total: number;
  readonly unit: ProgressUnit;
  /** What is happening now, e.g. "trial 3: epoch 1/2" or "epoch 3/12 kernel step 40/125 …". */
  readonly message: string;
  readonly etaSeconds?: number;
  /** Supernet training runs: epoch, phase, loss, accuracy, images/s. */
  readonly training?: TrainingProgress;
  /** Searches whose evaluator trains: the learning curve of a trial in flight, after each of its epochs. */
  readonly curve?: { readonly trial: number; readonly points: readonly EpochPoint[] };
}
