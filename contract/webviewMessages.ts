/**
 * Every message between the extension host and the NAS Studio webviews, declared once, with
 * runtime validators used on both sides. Handshake: the webview posts `ready` with its view
 * kind; the host answers with that view's `init`, then streams data (`trials` pages, live
 * `trialAdded`, `summary`, `training`). Large data always travels in pages.
 */
import type { ArchJson, ArchEdge, ArchGraph, ArchGroup, ArchNode, NodeMetrics } from './architecture';
import { fidelityCheck, validationFileCheck, type ValidationFile } from './latencyValidation';
import type { ConstraintSpec, MetricInfo, Metrics } from './metrics';
import type { EnsembleRunSummary, ProxylessRunSummary, QuantizationEpisodes, QuantizationRunSummary, RunSummary, ScalingRunSummary, SearchRunSummary, SpecializationRunSummary, SupernetRunSummary, TrialRecord, TrialRow } from './runs';
import { arrayOf, bool, int, num, object, oneOf, optional, recordOf, str, union, validate, ValidationError, type Check, type Validated } from './validate';
import type { EpochPoint } from './trialCurve';

export type ViewKind = 'graph' | 'plot' | 'progress' | 'proxyless' | 'table' | 'analysis' | 'latency' | 'specialization' | 'quantization';
export const viewKinds = ['graph', 'plot', 'progress', 'proxyless', 'table', 'analysis', 'latency', 'specialization', 'quantization'] as const satisfies readonly ViewKind[];

/** Largest number of items one page may carry; hosts split bigger data (see paging.ts). */
export const maxPageItems = 5000;

/** One point of a supernet training curve; `phase` names the progressive-shrinking phase. */
export interface TrainingPoint {
  readonly phase: string;
  /** Epoch (fractional for mid-epoch points) counted from the start of training. */
  readonly epoch: number;
  /** Training loss. */
  readonly loss?: number;
  /** Validation accuracy of the largest sub-network (after a finished epoch). */
  readonly accuracy?: number;
  /** Validation accuracy of the smallest sub-network (after a finished epoch). */
  readonly smallestAccuracy?: number;
}

/** A run overlaid in the progress view: a search (best-so-far of `objectives[0]`), a supernet training (its curves) or an AdaNet ensemble (its objective per iteration). */
export interface ProgressRun {
  readonly experiment: SearchRunSummary | SupernetRunSummary | EnsembleRunSummary;
  /** Legend text, e.g. the strategy name. */
  readonly label: string;
}

export interface Page<T> {
  /** 0-based; page 0 replaces what the view had for this experiment. */
  readonly page: number;
  readonly pages: number;
  readonly items: readonly T[];
}

// ---- host -> webview -------------------------------------------------------------------

export interface GraphInit {
  readonly type: 'init';
  readonly view: 'graph';
  readonly title: string;
  readonly graph: ArchGraph;
  /** The same architecture drawn inside its supernet, when the space has one. */
  readonly supernet?: ArchGraph;
  /** The trial shown, kept in the view state so the host can restore the panel. */
  readonly experiment?: string;
  readonly trial?: number;
  /** What was measured for it, as [title, value in its unit] (the header shows them). */
  readonly facts?: readonly (readonly [string, string])[];
}

export interface PlotInit {
  readonly type: 'init';
  readonly view: 'plot';
  /** A search (its trials, Pareto front and constraints), or a compound scaling study (a line per scaling rule). */
  readonly experiment: SearchRunSummary | ScalingRunSummary;
  /** Metric names for the axes, e.g. a latency or FLOPs metric and an accuracy metric. */
  readonly x: string;
  readonly y: string;
  readonly constraints: readonly ConstraintSpec[];
}

/** The trials table of one search. */
export interface TableInit {
  readonly type: 'init';
  readonly view: 'table';
  readonly experiment: SearchRunSummary;
}

/** One categorical decision of a search space, with its options as text (parallel coordinates, importance). */
export interface DecisionInfo {
  readonly name: string;
  readonly choices: readonly string[];
}

/** Parallel coordinates and decision importance of one search. */
export interface AnalysisInit {
  readonly type: 'init';
  readonly view: 'analysis';
  readonly experiment: SearchRunSummary;
  readonly decisions: readonly DecisionInfo[];
}

export interface ProgressInit {
  readonly type: 'init';
  readonly view: 'progress';
  readonly runs: readonly ProgressRun[];
}

/** A ProxylessNAS search: its architecture parameters per block and candidate, its curves and the derived network (updates come as `summary`). */
export interface ProxylessInit {
  readonly type: 'init';
  readonly view: 'proxyless';
  readonly run: ProxylessRunSummary;
}

/** A latency table's validation (validation.json of the folder `title` names): predicted against measured per network. */
export interface LatencyInit {
  readonly type: 'init';
  readonly view: 'latency';
  readonly title: string;
  readonly validation: ValidationFile;
}

/** A specialization sweep: predicted accuracy against the limit, its Pareto set and plateaus (updates come as `summary`). */
export interface SpecializationInit {
  readonly type: 'init';
  readonly view: 'specialization';
  readonly run: SpecializationRunSummary;
}

/** A quantization run: its summary (budget, baselines, best policy), every episode and the model's graph. */
export interface QuantizationInit {
  readonly type: 'init';
  readonly view: 'quantization';
  readonly run: QuantizationRunSummary;
  readonly data: QuantizationEpisodes;
}

/** A quantization run changed (an episode was journaled): everything the view draws, replacing what it had. */
export interface QuantizationChanged {
  readonly type: 'quantization';
  readonly run: QuantizationRunSummary;
  readonly data: QuantizationEpisodes;
}

/** Another view of the same run selected a trial: show it selected too. */
export interface SelectTrial {
  readonly type: 'selectTrial';
  readonly experiment: string;
  readonly trial: number;
}

/** Replaces the graph a graph view shows. */
export interface ShowGraph {
  readonly type: 'showGraph';
  readonly title: string;
  readonly graph: ArchGraph;
  readonly supernet?: ArchGraph;
  readonly experiment?: string;
  readonly trial?: number;
  readonly facts?: readonly (readonly [string, string])[];
}

/** Trials as rows (`TrialRow`) or, for the views that need genomes and architectures, whole records. */
export interface TrialsPage extends Page<TrialRow> {
  readonly type: 'trials';
  readonly experiment: string;
}

export interface TrialAdded {
  readonly type: 'trialAdded';
  readonly experiment: string;
  readonly trial: TrialRecord;
}

/** The learning curve so far of a trial still training (a finished trial's comes with it). */
export interface TrialCurve {
  readonly type: 'trialCurve';
  readonly experiment: string;
  readonly trial: number;
  readonly points: readonly EpochPoint[];
}

export interface SummaryChanged {
  readonly type: 'summary';
  readonly summary: RunSummary;
}

export interface TrainingPage extends Page<TrainingPoint> {
  readonly type: 'training';
  readonly experiment: string;
}

export interface HostError {
  readonly type: 'error';
  readonly message: string;
}

export type HostToWebview = GraphInit | PlotInit | ProgressInit | ProxylessInit | SpecializationInit | QuantizationInit | TableInit | AnalysisInit | LatencyInit | ShowGraph | QuantizationChanged | TrialsPage | TrialAdded | TrialCurve | SummaryChanged | TrainingPage | SelectTrial | HostError;

// ---- webview -> host -------------------------------------------------------------------

export interface Ready {
  readonly type: 'ready';
  readonly view: ViewKind;
}

export interface OpenTrial {
  readonly type: 'openTrial';
  readonly experiment: string;
  readonly trial: number;
}

export interface ExportImage {
  readonly type: 'exportImage';
  readonly view: ViewKind;
  readonly format: 'svg' | 'png';
  /** Suggested file name, without folder. */
  readonly fileName: string;
  /** SVG markup, or base64 PNG bytes. */
  readonly data: string;
}

/** The table's rows as CSV, to be saved where the user says. */
export interface ExportCsv {
  readonly type: 'exportCsv';
  /** Suggested file name, without folder. */
  readonly fileName: string;
  readonly data: string;
}

/** Something went wrong in the webview, e.g. it rejected a malformed message. */
export interface WebviewError {
  readonly type: 'error';
  readonly message: string;
}

export type WebviewToHost = Ready | OpenTrial | ExportImage | ExportCsv | WebviewError;

// ---- validators ------------------------------------------------------------------------

const metricsCheck: Check<Metrics> = recordOf(num);

const archCheck: Check<ArchJson> = object({ space: str });

/** A curve has one point per epoch: far fewer than this. */
const MAX_CURVE_POINTS = 100_000;

const epochPointCheck: Check<EpochPoint> = object({ epoch: int, loss: num, accuracy: num, valAccuracy: optional(num) });

const curveCheck = arrayOf(epochPointCheck, MAX_CURVE_POINTS);

const trialFields = {
  trial: int,
  key: str,
  metrics: metricsCheck,
  feasible: bool,
  cached: bool,
  durationMs: num,
  at: optional(str),
  description: optional(str),
  error: optional(str),
  curve: optional(curveCheck),
};

export const trialRecordCheck: Check<TrialRecord> = object({ ...trialFields, genome: arrayOf(num), arch: archCheck });

export const trialRowCheck: Check<TrialRow> = object({ ...trialFields, genome: optional(arrayOf(num)), arch: optional(archCheck) });

export const metricInfoCheck: Check<MetricInfo> = object({ title: str, unit: str, scale: optional(num), precision: optional(int), si: optional(bool) });

const objectiveCheck = object({ metric: str, goal: oneOf('maximize', 'minimize') });

export const constraintCheck: Check<ConstraintSpec> = object({ metric: str, min: optional(num), max: optional(num) });

const summaryBase = {
  id: str,
  name: str,
  dir: str,
  source: str,
  status: oneOf('pending', 'running', 'stopping', 'stopped', 'interrupted', 'finished', 'failed', 'damaged'),
  progress: object({ done: int, total: int, unit: oneOf('trials', 'epochs', 'limits', 'iterations', 'episodes') }),
  views: arrayOf(oneOf('plot', 'progress', 'training-curves', 'architecture-parameters', 'quantization')),
  error: optional(str),
  damage: optional(arrayOf(str)),
  createdAt: str,
  updatedAt: str,
};

export const searchSummaryCheck: Check<SearchRunSummary> = object({
  ...summaryBase,
  kind: oneOf('search'),
  trials: int,
  budget: num,
  objectives: arrayOf(objectiveCheck),
  constraints: arrayOf(constraintCheck),
  report: arrayOf(str),
  strategy: str,
  best: optional(object({ trial: int, arch: archCheck, description: str, metrics: metricsCheck })),
  pareto: optional(arrayOf(int)),
  warmStart: optional(object({ sources: arrayOf(str), use: oneOf('top-k', 'prior', 'both'), observations: int })),
  metricInfo: recordOf(metricInfoCheck),
});

const epochScoresCheck = object({ largest: object({ accuracy: num, loss: num }), smallest: object({ accuracy: num, loss: num }) });

export const supernetSummaryCheck: Check<SupernetRunSummary> = object({
  ...summaryBase,
  kind: oneOf('supernet'),
  training: object({
    epoch: int,
    epochs: int,
    phase: str,
    loss: optional(num),
    accuracy: optional(num),
    smallestAccuracy: optional(num),
    imagesPerSecond: optional(num),
    backend: optional(str),
    test: optional(epochScoresCheck),
  }),
});

const specializationSummaryCheck: Check<SpecializationRunSummary> = object({
  ...summaryBase,
  kind: oneOf('specialization'),
  request: object({ limits: arrayOf(num) }),
  efficiency: object({ label: str, metric: str, unit: str }),
  subnets: arrayOf(object({ limit: num, arch: archCheck, description: str, predictedAccuracy: num, efficiency: num, mflops: num, mparams: num, seconds: num, pareto: bool })),
}) as unknown as Check<SpecializationRunSummary>;

/** A bit policy and what it scored (quantization runs' episodes, baselines and result). */
export const scoredPolicyCheck = { policy: arrayOf(object({ weight: int, activation: int })), accuracy: num, cost: num, sizeBits: num, bitOps: num };

/** The best policy of a quantization run, exported and tested. */
export const quantizationResultCheck = object({
  ...scoredPolicyCheck,
  episode: int,
  testAccuracy: optional(num),
  originalTestAccuracy: optional(num),
  exportedAccuracy: num,
  exportedOn: oneOf('test', 'held-out'),
  packedBytes: num,
  floatBytes: num,
  modelDir: str,
  finetuned: bool,
});

export const quantizationSummaryCheck: Check<QuantizationRunSummary> = object({
  ...summaryBase,
  kind: oneOf('quantization'),
  model: str,
  quantizer: oneOf('linear', 'kmeans'),
  search: oneOf('ddpg', 'random'),
  budget: object({ text: str, kind: oneOf('size', 'bitops', 'latency'), unit: optional(str), target: optional(num) }),
  episodes: int,
  layers: optional(arrayOf(object({ name: str, kind: oneOf('conv', 'depthwise', 'dense'), weights: int, macs: num }))),
  originalAccuracy: optional(num),
  best: optional(object({ ...scoredPolicyCheck, episode: int, reward: num, explored: bool })),
  baselines: arrayOf(object({ ...scoredPolicyCheck, weight: int, activation: int })),
  result: optional(quantizationResultCheck),
}) as unknown as Check<QuantizationRunSummary>;

const probabilitiesCheck = arrayOf(arrayOf(num));

export const proxylessSummaryCheck: Check<ProxylessRunSummary> = object({
  ...summaryBase,
  kind: oneOf('proxyless'),
  binarization: oneOf('two', 'full_v2'),
  latencyLoss: str,
  targetMs: num,
  blocks: arrayOf(object({ label: str, candidates: arrayOf(str) })),
  epoch: int,
  epochs: int,
  probabilities: optional(probabilitiesCheck),
  curve: arrayOf(object({ epoch: int, phase: oneOf('warmup', 'search'), expectedLatencyMs: num, validationAccuracy: num, loss: num })),
  latencyTable: optional(
    object({
      source: oneOf('measured', 'file'),
      dir: str,
      backend: optional(str),
      correction: optional(object({ networks: int, raw: optional(fidelityCheck), corrected: optional(fidelityCheck) })),
    }),
  ),
  derived: optional(
    object({
      arch: archCheck,
      description: str,
      expectedLatencyMs: num,
      predictedLatencyMs: num,
      measuredLatencyMs: num,
      valAccuracy: num,
      testAccuracy: optional(num),
      params: num,
      flops: num,
      epochs: int,
      trainSeconds: num,
      modelDir: str,
      archFile: str,
    }),
  ),
});

const coefficientsCheck = object({ depth: num, width: num, resolution: num });

export const scalingSummaryCheck: Check<ScalingRunSummary> = object({
  ...summaryBase,
  kind: oneOf('scaling'),
  trials: int,
  total: int,
  base: object({ from: str, description: str, flops: num }),
  grid: arrayOf(int),
  coefficients: optional(coefficientsCheck),
  lines: arrayOf(
    object({
      rule: oneOf('compound', 'depth', 'width', 'resolution'),
      points: arrayOf(object({ trial: int, phi: int, coefficients: coefficientsCheck, description: str, flops: num, params: num, valAccuracy: num, testAccuracy: optional(num), latencyMs: num })),
    }),
  ),
});

export const ensembleSummaryCheck: Check<EnsembleRunSummary> = object({
  ...summaryBase,
  kind: oneOf('ensemble'),
  iterations: arrayOf(
    object({
      iteration: int,
      candidates: arrayOf(object({ trial: int, description: str, objective: num, heldOutObjective: num })),
      chosen: optional(int),
      objective: num,
      heldOutObjective: num,
      valAccuracy: num,
      testAccuracy: optional(num),
      params: num,
    }),
  ),
  maxIterations: int,
  members: arrayOf(object({ trial: int, description: str, depth: int, complexity: num, weights: arrayOf(num), params: num, valAccuracy: num })),
  converged: bool,
  graphFile: optional(str),
});

/** Runs a progress view overlays: searches (best-so-far), supernet trainings (training curves), AdaNet ensembles (objective per iteration). */
export const progressRunSummaryCheck = union<SearchRunSummary | SupernetRunSummary | EnsembleRunSummary>('kind', { search: searchSummaryCheck, supernet: supernetSummaryCheck, ensemble: ensembleSummaryCheck });

export const runSummaryCheck = union<RunSummary>('kind', {
  search: searchSummaryCheck,
  supernet: supernetSummaryCheck,
  specialization: specializationSummaryCheck,
  proxyless: proxylessSummaryCheck,
  scaling: scalingSummaryCheck,
  ensemble: ensembleSummaryCheck,
  quantization: quantizationSummaryCheck,
  unreadable: object({ ...summaryBase, kind: oneOf('unreadable') }),
});

const nodeMetricsCheck: Check<NodeMetrics> = object({ params: optional(num), flops: optional(num), latencyMs: optional(num) });

const pairCheck: Check<readonly [string, string]> = (v, path) => {
  const pair = arrayOf(str)(v, path);
  if (pair.length !== 2) throw new ValidationError(path, 'a [name, value] pair', v);
  return pair as unknown as readonly [string, string];
};

const nodeCheck: Check<ArchNode> = object({
  id: str,
  label: str,
  sublabel: optional(str),
  kind: oneOf('input', 'output', 'conv', 'block', 'pool', 'dense', 'op', 'tensor', 'other'),
  group: optional(str),
  inactive: optional(bool),
  metrics: nodeMetricsCheck,
  attributes: arrayOf(pairCheck),
  choices: optional(arrayOf(object({ name: str, options: arrayOf(object({ label: str, active: bool })) }))),
});

const edgeCheck: Check<ArchEdge> = object({ id: str, source: str, target: str, label: optional(str), inactive: optional(bool) });
const groupCheck: Check<ArchGroup> = object({ id: str, label: str });

/** A graph whose edges and groups refer only to nodes and groups it declares. */
export const archGraphCheck: Check<ArchGraph> = (v, path) => {
  const graph = object({
    space: str,
    title: str,
    direction: oneOf('down', 'right'),
    nodes: arrayOf(nodeCheck, maxPageItems),
    edges: arrayOf(edgeCheck, maxPageItems),
    groups: arrayOf(groupCheck),
    totals: nodeMetricsCheck,
  })(v, path);
  const ids = new Set(graph.nodes.map((n) => n.id));
  if (ids.size !== graph.nodes.length) throw new ValidationError(`${path}.nodes`, 'unique node ids', graph.nodes);
  const groups = new Set(graph.groups.map((g) => g.id));
  graph.nodes.forEach((n, i) => {
    if (n.group !== undefined && !groups.has(n.group)) throw new ValidationError(`${path}.nodes[${i}].group`, 'a declared group', n.group);
  });
  graph.edges.forEach((e, i) => {
    if (!ids.has(e.source)) throw new ValidationError(`${path}.edges[${i}].source`, 'a node id', e.source);
    if (!ids.has(e.target)) throw new ValidationError(`${path}.edges[${i}].target`, 'a node id', e.target);
  });
  return graph;
};

function pageCheck<T>(item: Check<T>): Check<Page<T>> {
  return (v, path) => {
    const page = object({ page: int, pages: int, items: arrayOf(item, maxPageItems) })(v, path);
    if (page.page >= page.pages) throw new ValidationError(`${path ? `${path}.` : ''}page`, `a page index below pages (${page.pages})`, page.page);
    return page;
  };
}

export const trainingPointCheck: Check<TrainingPoint> = object({ phase: str, epoch: num, loss: optional(num), accuracy: optional(num), smallestAccuracy: optional(num) });

const graphFields = { title: str, graph: archGraphCheck, supernet: optional(archGraphCheck), experiment: optional(str), trial: optional(int), facts: optional(arrayOf(pairCheck)) };

const decisionCheck: Check<DecisionInfo> = object({ name: str, choices: arrayOf(str) });

const quantizationFields = {
  run: quantizationSummaryCheck,
  data: object({ episodes: arrayOf(object({ ...scoredPolicyCheck, episode: int, reward: num, explored: bool })), graph: optional(archGraphCheck) }) as unknown as Check<QuantizationEpisodes>,
};

const initCheck = union<GraphInit | PlotInit | ProgressInit | ProxylessInit | SpecializationInit | QuantizationInit | TableInit | AnalysisInit | LatencyInit>('view', {
  graph: object({ type: oneOf('init'), view: oneOf('graph'), ...graphFields }),
  plot: object({ type: oneOf('init'), view: oneOf('plot'), experiment: union<SearchRunSummary | ScalingRunSummary>('kind', { search: searchSummaryCheck, scaling: scalingSummaryCheck }), x: str, y: str, constraints: arrayOf(constraintCheck) }),
  progress: object({ type: oneOf('init'), view: oneOf('progress'), runs: arrayOf(object({ experiment: progressRunSummaryCheck, label: str })) }),
  proxyless: object({ type: oneOf('init'), view: oneOf('proxyless'), run: proxylessSummaryCheck }),
  specialization: object({ type: oneOf('init'), view: oneOf('specialization'), run: specializationSummaryCheck }),
  quantization: object({ type: oneOf('init'), view: oneOf('quantization'), ...quantizationFields }),
  table: object({ type: oneOf('init'), view: oneOf('table'), experiment: searchSummaryCheck }),
  analysis: object({ type: oneOf('init'), view: oneOf('analysis'), experiment: searchSummaryCheck, decisions: arrayOf(decisionCheck) }),
  latency: object({ type: oneOf('init'), view: oneOf('latency'), title: str, validation: validationFileCheck }),
});

export const hostMessageCheck: Check<HostToWebview> = union<HostToWebview>('type', {
  init: initCheck,
  showGraph: object({ type: oneOf('showGraph'), ...graphFields }),
  quantization: object({ type: oneOf('quantization'), ...quantizationFields }),
  trials: (v, path) => ({ ...object({ type: oneOf('trials'), experiment: str })(v, path), ...pageCheck(trialRowCheck)(v, path) }) as TrialsPage,
  trialAdded: object({ type: oneOf('trialAdded'), experiment: str, trial: trialRecordCheck }),
  trialCurve: object({ type: oneOf('trialCurve'), experiment: str, trial: int, points: curveCheck }),
  summary: object({ type: oneOf('summary'), summary: runSummaryCheck }),
  training: (v, path) => ({ ...object({ type: oneOf('training'), experiment: str })(v, path), ...pageCheck(trainingPointCheck)(v, path) }) as TrainingPage,
  selectTrial: object({ type: oneOf('selectTrial'), experiment: str, trial: int }),
  error: object({ type: oneOf('error'), message: str }),
});

export const webviewMessageCheck: Check<WebviewToHost> = union<WebviewToHost>('type', {
  ready: object({ type: oneOf('ready'), view: oneOf(...viewKinds) }),
  openTrial: object({ type: oneOf('openTrial'), experiment: str, trial: int }),
  exportImage: object({
    type: oneOf('exportImage'),
    view: oneOf(...viewKinds),
    format: oneOf('svg', 'png'),
    fileName: (v, path) => {
      const name = str(v, path);
      if (!/^[\w][\w .()-]*\.(svg|png)$/.test(name)) throw new ValidationError(path, 'a plain .svg or .png file name', v);
      return name;
    },
    data: str,
  }),
  exportCsv: object({
    type: oneOf('exportCsv'),
    fileName: (v, path) => {
      const name = str(v, path);
      if (!/^[\w][\w .()-]*\.csv$/.test(name)) throw new ValidationError(path, 'a plain .csv file name', v);
      return name;
    },
    data: str,
  }),
  error: object({ type: oneOf('error'), message: str }),
});

export function checkHostMessage(value: unknown): Validated<HostToWebview> {
  return validate(hostMessageCheck, value);
}

export function checkWebviewMessage(value: unknown): Validated<WebviewToHost> {
  return validate(webviewMessageCheck, value);
}

export function parseHostMessage(value: unknown): HostToWebview | undefined {
  const result = checkHostMessage(value);
  return result.ok ? result.value : undefined;
}

export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  const result = checkWebviewMessage(value);
  return result.ok ? result.value : undefined;
}
