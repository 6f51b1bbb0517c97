import type { BackendChoice } from '../../contract/backends';
import type { JsonPath } from '../core/errors';
import type { DatasetSpec } from '../data/datasetSpec';
import { defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext, withParseWarnings } from '../experiment/specText';
import type { Binarization } from './archParameters';
import type { LatencyLossType } from './latencyLoss';
import { buildProxylessSchema } from './proxylessSchema';
import { blockLabel, mixedBlocks, type ProxylessConfig } from './proxylessSpace';
import { MIN_CORRECTION_NETWORKS, type DerivedTrainingSpec, type LatencySpec, type ProxylessSpec, type SearchSpec } from './proxylessSpec';

/** Spec files of ProxylessNAS searches. */
export const PROXYLESS_SPEC_SUFFIX = /\.proxyless\.json$/i;

const schemaValidator = lazyValidator(buildProxylessSchema);

type Raw<T> = { -readonly [K in keyof T]?: T[K] };

interface RawSpec {
  name?: string;
  description?: string;
  supernet: Omit<Raw<ProxylessConfig>, 'stages'> & { input: [number, number, number]; classes: number; stages: { width: number; stride?: number; blocks?: number }[] };
  dataset: DatasetSpec;
  search?: Raw<SearchSpec>;
  latency: Omit<Raw<LatencySpec>, 'type'> & { target: number; loss?: LatencyLossType };
  derived?: Raw<DerivedTrainingSpec>;
  seed?: number;
}

/** Sorted distinct choices; a repeated or even kernel is an error at its position. */
function choices(values: readonly number[] | undefined, fallback: number[], key: 'kernels' | 'expandRatios', error: (message: string, path: JsonPath) => void): number[] {
  const list = values ?? fallback;
  list.forEach((v, i) => {
    if (list.indexOf(v) !== i) error(`${v} is listed twice`, ['supernet', key, i]);
    if (key === 'kernels' && v % 2 === 0) error(`kernel size ${v} must be odd ('same' padding centres it)`, ['supernet', key, i]);
  });
  return [...list].sort((a, b) => a - b);
}

/**
 * Validates `*.proxyless.json` text like the other spec files (same parser, schema machinery and
 * anchored diagnostics), then the semantics: a square input, distinct odd kernels, a batch that
 * splits over the workers, two candidates in every block for `two`, and a target mul#log can use.
 */
export function validateProxylessSpecText(text: string, context: ValidationContext): { readonly spec?: ProxylessSpec; readonly diagnostics: readonly SpecDiagnostic[] } {
  const parsed = parseSpecText(text, schemaValidator(), 'a ProxylessNAS spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as unknown as RawSpec;
  const diagnostics: SpecDiagnostic[] = [];
  const error = (message: string, path: JsonPath) => diagnostics.push(parsed.anchor.error(message, path));

  const s = raw.supernet;
  if (s.input[0] !== s.input[1]) error(`the input is ${s.input[0]}x${s.input[1]}: ProxylessNAS searches square images (resize an image folder with "imageSize")`, ['supernet', 'input']);
  const supernet: ProxylessConfig = {
    input: s.input,
    classes: s.classes,
    stem: s.stem ?? 16,
    stemStride: s.stemStride ?? 1,
    stages: s.stages.map((stage) => ({ width: stage.width, stride: stage.stride ?? 1, blocks: stage.blocks ?? 4 })),
    kernels: choices(s.kernels, [3, 5, 7], 'kernels', error),
    expandRatios: choices(s.expandRatios, [3, 6], 'expandRatios', error),
    zero: s.zero ?? true,
  };

  const r = raw.search ?? {};
  const workers = r.workers ?? 1;
  const batchSize = r.batchSize ?? 64;
  if (batchSize % workers !== 0) error(`batchSize ${batchSize} must be divisible by the ${workers} workers (each trains an equal share)`, ['search', 'batchSize']);
  if (r.validation !== undefined && r.validation >= 1 && !Number.isInteger(r.validation)) error('validation must be a whole number of examples, or a fraction below 1', ['search', 'validation']);
  const binarization: Binarization = r.binarization ?? 'full_v2';
  if (binarization === 'two' && diagnostics.length === 0) {
    const single = mixedBlocks(supernet).find((b) => b.candidates.length < 2);
    if (single) error(`"two" samples two candidates per block, but ${blockLabel(single)} has only one: add kernels or expand ratios, or use "full_v2"`, ['search', 'binarization']);
  }
  const search: SearchSpec = {
    warmupEpochs: r.warmupEpochs ?? 10,
    epochs: r.epochs ?? 30,
    batchSize,
    workers,
    warmupLearningRate: r.warmupLearningRate ?? 0.05,
    learningRate: r.learningRate ?? 0.025,
    momentum: r.momentum ?? 0.9,
    weightDecay: r.weightDecay ?? 4e-5,
    labelSmoothing: r.labelSmoothing ?? 0.1,
    binarization,
    archLearningRate: r.archLearningRate ?? 1e-3,
    archUpdateEvery: r.archUpdateEvery ?? 5,
    archInitStd: r.archInitStd ?? 1e-3,
    validation: r.validation ?? 0.1,
    ...(r.trainSamples !== undefined ? { trainSamples: r.trainSamples } : {}),
    backend: (r.backend ?? 'auto') as BackendChoice,
  };

  const l = raw.latency;
  const loss: LatencyLossType = l.loss ?? 'mul#log';
  if (loss === 'mul#log' && l.target <= 1) {
    error(`mul#log compares log E[lat] with log T, which needs latencies above 1 ms; for a ${l.target} ms target use "add#linear"`, ['latency', 'target']);
  }
  const latency: LatencySpec = {
    type: loss,
    target: l.target,
    alpha: l.alpha ?? 0.2,
    beta: l.beta ?? 0.3,
    lambda: l.lambda ?? 0.1,
    ...(l.table !== undefined ? { table: l.table } : {}),
    repeats: l.repeats ?? 20,
    warmup: l.warmup ?? 5,
    correctionNetworks: l.correctionNetworks ?? 60,
  };
  if (l.correctionNetworks !== undefined && l.correctionNetworks > 0 && l.correctionNetworks < MIN_CORRECTION_NETWORKS) {
    error(`a correction is fitted on networks and cross-validated over 5 folds: measure at least ${MIN_CORRECTION_NETWORKS} networks, or 0 for none`, ['latency', 'correctionNetworks']);
  }

  const d = raw.derived ?? {};
  const derived: DerivedTrainingSpec = {
    epochs: d.epochs ?? 5,
    batchSize: d.batchSize ?? 64,
    learningRate: d.learningRate ?? 0.002,
    trainSamples: d.trainSamples ?? 6000,
    validationSamples: d.validationSamples ?? 2000,
    testSamples: d.testSamples ?? 2000,
    latencyRepeats: d.latencyRepeats ?? 50,
    selection: d.selection ?? 'argmax',
    targetTolerance: d.targetTolerance ?? 0.1,
  };

  if (diagnostics.length > 0) return withParseWarnings(parsed, { diagnostics });
  return withParseWarnings(parsed, {
    diagnostics,
    spec: {
      name: defaultSpecName(raw.name, context.file, PROXYLESS_SPEC_SUFFIX, 'proxyless'),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      supernet,
      dataset: raw.dataset,
      search,
      latency,
      derived,
      seed: raw.seed ?? 0,
    },
  });
}
