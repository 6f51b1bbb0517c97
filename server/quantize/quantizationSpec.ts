/**
 * A quantization run's spec: the request the CLI or the editor builds (model, dataset, quantizer,
 * budget, episodes, ...), validated once and resolved into everything the run will ever read:
 * the model source with its dataset, split and input format, the parsed budget, the agent's
 * settings. Defaults are the reference's (mit-han-lab/haq rl_quantize.py).
 */
import { isAbsolute, resolve } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../../contract/backends';
import { parseBudget, type BudgetSpec, type ModelSource, type QuantizerKind } from '../../contract/quantization';
import { SpecError } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH, MAX_SAMPLES } from '../core/specBounds';
import { absoluteDataset, datasetSchema, type DatasetSpec } from '../data/datasetSpec';
import { defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext } from '../experiment/specText';
import type { BitRange } from './bitPolicy';
import type { ClipMethod } from './clipThreshold';
import { FINETUNE_DEFAULTS, type FinetuneOptions } from './finetune';
import { TABLE_BITS } from './latencyTable';
import { resolveModelSource, type HeldOutSplit, type InputScale, type ResolvedModel } from './modelSource';
import { DDPG_DEFAULTS, type DdpgConfig } from './rl/ddpgAgent';

/** The resolved spec: absolute paths, defaults filled in. */
export interface QuantizationSpec {
  readonly name: string;
  readonly model: ResolvedModel;
  readonly dataset: DatasetSpec;
  readonly input: InputScale;
  readonly split: HeldOutSplit;
  readonly quantizer: QuantizerKind;
  readonly clip: ClipMethod;
  readonly bits: BitRange;
  /** Linear only: the activation bit widths, when they differ from `bits` (absent: the same range, the reference's). */
  readonly activationBits?: BitRange;
  readonly budget: BudgetSpec;
  /** 'ddpg': HAQ's agent; 'random': random policies (every episode explores), the baseline. */
  readonly search: 'ddpg' | 'random';
  readonly episodes: number;
  readonly agent: DdpgConfig;
  /** Held-out training examples each policy is scored on (the reward); images the activation ranges are calibrated on; test images (touched once, at the end). */
  readonly samples: { readonly heldOut: number; readonly calibration: number; readonly test: number };
  /** A short fine-tune before each policy is scored (and before the final test), when set. */
  readonly finetune?: FinetuneOptions;
  readonly seed: number;
  readonly backend: BackendChoice;
}

/** The reference's bit ranges: its linear search script uses 2..8 (1 bit has no symmetric grid), k-means 1..8. */
export const DEFAULT_BITS: Readonly<Record<QuantizerKind, BitRange>> = { linear: { min: 2, max: 8 }, kmeans: { min: 1, max: 8 } };

/** The reference's 600 episodes; 20 warm-up episodes, fewer for short runs. */
export const DEFAULT_EPISODES = 600;

export function defaultWarmup(episodes: number): number {
  return Math.min(DDPG_DEFAULTS.warmup, Math.floor(episodes / 5));
}

const MAX_EPISODES = 100_000;

const path = { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH } as const;

/** JSON Schema of `*.quantize.json` quantization specs. */
export function buildQuantizationSchema(): JsonSchema {
  const count = (description: string, minimum = 1): JsonSchema => ({ type: 'integer', minimum, maximum: MAX_SAMPLES, description });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nas-studio.dev/schemas/quantization.schema.json',
    title: 'NAS Studio mixed-precision quantization (HAQ)',
    type: 'object',
    required: ['model', 'budget'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name. Default: the file name.' },
      model: {
        type: 'object',
        required: ['type'],
        description: 'The trained model to quantize: "folder" (a TF.js Layers model folder or an exported sub-network) or "trial" (a trial of a layers search).',
        discriminator: { propertyName: 'type' },
        oneOf: [
          { type: 'object', required: ['type', 'dir'], additionalProperties: false, properties: { type: { const: 'folder' }, dir: { ...path, description: 'A TF.js Layers model folder (model.json + weights); an exported sub-network brings its dataset.' } } },
          {
            type: 'object',
            required: ['type', 'run', 'trial'],
            additionalProperties: false,
            properties: { type: { const: 'trial' }, run: { ...path, description: 'A search run folder.' }, trial: { oneOf: [{ type: 'integer', minimum: 0, maximum: 1_000_000 }, { const: 'best' }] } },
          },
        ],
      },
      dataset: datasetSchema,
      quantizer: { enum: ['linear', 'kmeans'], default: 'linear', description: 'linear: weights and activations on uniform grids; kmeans: weights only, a codebook per layer.' },
      clip: { enum: ['kl', 'mse'], default: 'kl', description: 'How linear quantization below 5 bits clips its range: KL divergence (the reference) or least MSE.' },
      bits: {
        type: 'object',
        additionalProperties: false,
        properties: { min: { type: 'integer', minimum: 1, maximum: 16 }, max: { type: 'integer', minimum: 1, maximum: 16 } },
        description: 'Bit widths the agent chooses from (default 2..8 linear, 1..8 k-means).',
      },
      activationBits: {
        type: 'object',
        additionalProperties: false,
        properties: { min: { type: 'integer', minimum: 2, maximum: 16 }, max: { type: 'integer', minimum: 2, maximum: 16 } },
        description: 'Linear only: activation bit widths, when they differ from "bits" (e.g. {"min": 8, "max": 8} keeps activations at 8 bits).',
      },
      budget: { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH + 64, description: 'size:FRACTION|size:wN, bitops:FRACTION|bitops:wNaM, latency:TABLE:MS|latency:TABLE:wNaM.' },
      search: { enum: ['ddpg', 'random'], default: 'ddpg', description: "ddpg: HAQ's agent; random: random policies fitted to the budget (a baseline)." },
      episodes: { type: 'integer', minimum: 1, maximum: MAX_EPISODES, default: DEFAULT_EPISODES, description: 'Policies the agent tries (the reference: 600).' },
      warmup: { type: 'integer', minimum: 0, maximum: MAX_EPISODES, description: 'Episodes of random actions before the agent learns (default min(20, episodes / 5)).' },
      heldOutSamples: count('Held-out training examples each policy is scored on.'),
      calibrationSamples: count('Training images the activation ranges are calibrated on.'),
      testSamples: count('Test images for the final accuracy (0 = none).', 0),
      finetune: {
        type: 'object',
        required: ['samples'],
        additionalProperties: false,
        description: 'A short fine-tune through the quantization before each policy is scored.',
        properties: {
          samples: count('Training examples per fine-tune epoch.'),
          epochs: { type: 'integer', minimum: 1, maximum: 100 },
          learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
          batchSize: { type: 'integer', minimum: 1, maximum: 4096 },
        },
      },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Same seed, same run.' },
      backend: { enum: [...BACKEND_CHOICES], default: 'auto', description: 'TensorFlow.js backend; auto = tfjs-node if installed, else wasm.' },
    },
  };
}

const schemaValidator = lazyValidator(buildQuantizationSchema);

interface Request {
  name?: string;
  model: ModelSource;
  dataset?: DatasetSpec;
  quantizer?: QuantizerKind;
  clip?: ClipMethod;
  bits?: { min?: number; max?: number };
  activationBits?: { min?: number; max?: number };
  budget: string;
  search?: 'ddpg' | 'random';
  episodes?: number;
  warmup?: number;
  heldOutSamples?: number;
  calibrationSamples?: number;
  testSamples?: number;
  finetune?: { samples: number; epochs?: number; learningRate?: number; batchSize?: number };
  seed?: number;
  backend?: BackendChoice;
}

/** Checks what the schema cannot: bit ranges per quantizer, the budget text, a dataset for a bare model folder. */
function resolveRequest(raw: Request, baseDir: string): QuantizationSpec {
  const quantizer = raw.quantizer ?? 'linear';
  const bits = { ...DEFAULT_BITS[quantizer], ...raw.bits };
  if (bits.min > bits.max) throw new SpecError(`bits.min (${bits.min}) is above bits.max (${bits.max})`, ['bits']);
  if (quantizer === 'linear' && bits.min < 2) throw new SpecError('linear quantization needs at least 2 bits (a symmetric grid has 2^(b-1) - 1 levels each side)', ['bits', 'min']);
  if (quantizer === 'kmeans' && bits.max > 8) throw new SpecError('k-means codebooks go up to 8 bits (256 centroids)', ['bits', 'max']);
  const activationBits = raw.activationBits && { ...bits, ...raw.activationBits };
  if (activationBits && quantizer !== 'linear') throw new SpecError('activationBits needs the linear quantizer (k-means leaves activations in float)', ['activationBits']);
  if (activationBits && activationBits.min > activationBits.max) throw new SpecError(`activationBits.min (${activationBits.min}) is above activationBits.max (${activationBits.max})`, ['activationBits']);
  const parsed = parseBudget(raw.budget);
  if (typeof parsed === 'string') throw new SpecError(parsed, ['budget']);
  const budget = parsed.table !== undefined ? { ...parsed, table: isAbsolute(parsed.table) ? parsed.table : resolve(baseDir, parsed.table) } : parsed;
  if (budget.kind === 'latency' && (quantizer !== 'linear' || Math.max(bits.max, activationBits?.max ?? 0) > TABLE_BITS)) {
    throw new SpecError(`a latency budget needs the linear quantizer and at most ${TABLE_BITS} bits (its table covers weights and activations of 1..${TABLE_BITS} bits)`, ['budget']);
  }
  const source = resolveModelSource(raw.model, baseDir);
  const given = raw.dataset && absoluteDataset(raw.dataset, baseDir);
  const dataset = given ?? source.dataset;
  if (!dataset) throw new SpecError('a model folder needs a dataset to measure accuracy on (or quantize an exported sub-network or a search trial, which bring theirs)', ['dataset']);
  const episodes = raw.episodes ?? DEFAULT_EPISODES;
  const finetune = raw.finetune && { ...FINETUNE_DEFAULTS, ...raw.finetune };
  const describe = raw.model.type === 'trial' ? `trial-${String(raw.model.trial)}` : (raw.model.dir.split(/[\\/]/).filter(Boolean).pop() ?? 'model');
  return {
    name: raw.name ?? `${describe}-${quantizer}-${raw.budget.split(':')[0]}`.slice(0, MAX_NAME_LENGTH),
    model: source.model,
    dataset,
    // A dataset given for an exported sub-network keeps its raw-byte input but not its supernet's split.
    input: source.input,
    split: given ? { kind: 'seeded' } : source.split,
    quantizer,
    clip: raw.clip ?? 'kl',
    bits,
    ...(activationBits ? { activationBits } : {}),
    budget,
    search: raw.search ?? 'ddpg',
    episodes,
    agent: { ...DDPG_DEFAULTS, warmup: raw.warmup ?? defaultWarmup(episodes) },
    samples: { heldOut: raw.heldOutSamples ?? 2000, calibration: raw.calibrationSamples ?? 256, test: raw.testSamples ?? 10000 },
    ...(finetune ? { finetune } : {}),
    seed: raw.seed ?? 0,
    backend: raw.backend ?? 'auto',
  };
}

/**
 * Validates a quantization request (built by the CLI or the editor): its shape, then the model it
 * names (a model folder, an exported sub-network's supernet run, a search and its trial) and the
 * budget. Relative paths resolve against `baseDir`. The model's layers, its input against the
 * dataset and whether the budget is reachable are checked when the run is created (preflight).
 */
export function validateQuantizationText(text: string, context: ValidationContext): { spec?: QuantizationSpec; diagnostics: readonly SpecDiagnostic[] } {
  const parsed = parseSpecText(text, schemaValidator(), 'a quantization spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as unknown as Request;
  try {
    const spec = resolveRequest(raw, context.baseDir);
    return { spec: { ...spec, name: defaultSpecName(raw.name, context.file, /\.quantize\.json$/i, spec.name) }, diagnostics: parsed.warnings };
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return { diagnostics: [parsed.anchor.error(e.message, e.path, e.atKey), ...parsed.warnings] };
  }
}
