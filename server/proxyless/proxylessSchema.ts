import { BACKEND_CHOICES } from '../../contract/backends';
import type { JsonSchema } from '../core/jsonSchema';
import { MAX_CHOICES, MAX_DESCRIPTION_LENGTH, MAX_LATENCY_REPEATS, MAX_NAME_LENGTH, MAX_SAMPLES, pathSchema } from '../core/specBounds';
import { datasetSchema } from '../data/datasetSpec';
import { trainOptionsSchema } from '../evaluators/train/trainOptions';

const choiceList = (items: JsonSchema, description: string, fallback: number[]): JsonSchema => ({ type: 'array', items, minItems: 1, maxItems: MAX_CHOICES, default: fallback, description });

/** The supernet: `ofa-small`'s shape, with a number of mixed blocks per stage. */
const supernetSchema: JsonSchema = {
  type: 'object',
  required: ['input', 'classes', 'stages'],
  additionalProperties: false,
  description: 'The over-parameterized network: stem, stages of mixed blocks, pooling and classifier.',
  properties: {
    input: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 1024 },
      minItems: 3,
      maxItems: 3,
      description: 'Input images [height, width, channels], as the dataset stores them (square).',
    },
    classes: { type: 'integer', minimum: 2, maximum: 256, description: 'Number of classes (labels 0..classes-1).' },
    stem: { type: 'integer', minimum: 1, maximum: 1024, default: 16, description: 'Channels of the 3x3 stem convolution.' },
    stemStride: { type: 'integer', minimum: 1, maximum: 4, default: 1, description: 'Stride of the stem convolution.' },
    stages: {
      type: 'array',
      minItems: 1,
      maxItems: 8,
      description: 'Stages of mixed blocks, each with a fixed output width.',
      items: {
        type: 'object',
        required: ['width'],
        additionalProperties: false,
        properties: {
          width: { type: 'integer', minimum: 1, maximum: 2048, description: 'Output channels of every block of the stage.' },
          stride: { type: 'integer', minimum: 1, maximum: 2, default: 1, description: "Stride of the stage's first block." },
          blocks: { type: 'integer', minimum: 1, maximum: 16, default: 4, description: 'Mixed blocks in the stage (the reference uses 4).' },
        },
      },
    },
    kernels: choiceList({ type: 'integer', minimum: 1, maximum: 15 }, 'Depthwise kernel sizes of the MBConv candidates (odd).', [3, 5, 7]),
    expandRatios: choiceList({ type: 'integer', minimum: 1, maximum: 16 }, 'Expand ratios of the MBConv candidates.', [3, 6]),
    zero: { type: 'boolean', default: true, description: 'Offer Zero (skip the block) where a block has stride 1 and as many channels out as in.' },
  },
};

const learningRate = (fallback: number, description: string): JsonSchema => ({ type: 'number', exclusiveMinimum: 0, maximum: 10, default: fallback, description });

const searchSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'The search (the reference: 40 warm-up and 120 search epochs on ImageNet; scale down for small data).',
  properties: {
    warmupEpochs: { type: 'integer', minimum: 0, maximum: 10000, default: 10, description: 'Epochs training the weights only, every path sampled from the untrained (uniform) α.' },
    epochs: { type: 'integer', minimum: 1, maximum: 10000, default: 30, description: 'Epochs alternating weight and architecture steps (none in the first of them, as in the reference).' },
    batchSize: { type: 'integer', minimum: 2, maximum: 4096, default: 64, description: 'Images per weight and per architecture step (divisible by workers).' },
    workers: { type: 'integer', minimum: 1, maximum: 64, default: 1, description: 'Data-parallel worker threads (one supernet replica each).' },
    warmupLearningRate: learningRate(0.05, 'SGD learning rate at the start of the warm-up cosine schedule.'),
    learningRate: learningRate(0.025, 'SGD learning rate at the start of the search epochs\' cosine schedule.'),
    momentum: { type: 'number', minimum: 0, maximum: 0.999, default: 0.9, description: 'SGD momentum.' },
    weightDecay: { type: 'number', minimum: 0, maximum: 0.1, default: 4e-5, description: 'L2 weight decay of the weight steps.' },
    labelSmoothing: { type: 'number', minimum: 0, maximum: 0.5, default: 0.1, description: "Label smoothing of the weight steps' loss." },
    binarization: {
      enum: ['two', 'full_v2'],
      default: 'full_v2',
      description: 'Path binarization of architecture steps. two: two candidates sampled, only their α updated (then rescaled so the others keep their probabilities). full_v2 (the reference default): one path, every α updated.',
    },
    archLearningRate: learningRate(1e-3, 'Adam learning rate of the architecture parameters (betas 0, 0.999).'),
    archUpdateEvery: { type: 'integer', minimum: 1, maximum: 10000, default: 5, description: 'One architecture step after every this many weight steps.' },
    archInitStd: { type: 'number', minimum: 0, maximum: 10, default: 1e-3, description: 'Architecture parameters start from N(0, archInitStd²).' },
    validation: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: MAX_SAMPLES,
      default: 0.1,
      description: 'Training examples held out for architecture steps and validation: a count, or a fraction when below 1. Fixed by the seed.',
    },
    trainSamples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES, description: 'Train the weights on at most this many examples (default: all not held out).' },
    backend: { enum: [...BACKEND_CHOICES], default: 'auto', description: 'TensorFlow.js backend; auto = tfjs-node if installed, else wasm.' },
  },
};

/** Each takes well under a second to build and time; 40-80 pin the correction's per-layer adjustments on a space of 30 layers. */
const MAX_CORRECTION_NETWORKS = 500;

const latencySchema: JsonSchema = {
  type: 'object',
  required: ['target'],
  additionalProperties: false,
  description: 'The latency term of the architecture loss and the lookup table it is computed from.',
  properties: {
    target: { type: 'number', exclusiveMinimum: 0, maximum: 1000000, description: 'Target latency T in milliseconds, batch 1.' },
    loss: {
      enum: ['mul#log', 'add#linear', 'add#abs'],
      default: 'mul#log',
      description:
        'mul#log: alpha · CE · (log E[lat] / log T)^beta (needs latencies above 1 ms). add#linear: CE + lambda · (E[lat] − T) / T. Both are the reference\'s and only penalize latency. add#abs (NAS Studio\'s, not in the reference): CE + lambda · |E[lat] − T| / T, which pulls E[lat] towards T from both sides.',
    },
    alpha: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.2, description: 'mul#log: the loss scale alpha.' },
    beta: { type: 'number', minimum: 0, maximum: 100, default: 0.3, description: 'mul#log: the exponent beta.' },
    lambda: { type: 'number', minimum: 0, maximum: 100, default: 0.1, description: 'add#linear and add#abs: the weight lambda.' },
    table: pathSchema('Folder of a latency table measured on the target device (nas-studio lut --proxyless SPEC); default: measured on this machine when the run starts.'),
    repeats: { type: 'integer', minimum: 1, maximum: MAX_LATENCY_REPEATS, default: 20, description: 'Timed runs per layer when the table is measured here (their 10th percentile counts, by process CPU time on the wasm and cpu backends).' },
    warmup: { type: 'integer', minimum: 0, maximum: MAX_LATENCY_REPEATS, default: 5, description: 'Untimed runs per layer before them.' },
    correctionNetworks: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_CORRECTION_NETWORKS,
      default: 60,
      description:
        "When the table is measured here: random networks of the space then measured end to end, as the derived network is, to learn a correction of the table's sums (a network is not the sum of its layers timed alone); 0: none, else at least 8. A table folder named in 'table' uses its own proxyless_correction.json (nas-studio lut --proxyless SPEC --validate N).",
    },
  },
};

const train = trainOptionsSchema.properties!;

const derivedSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: "Training the derived network from scratch (the train evaluator's job) before it is exported and measured.",
  properties: {
    epochs: { ...train.epochs, default: 5, description: 'Epochs of training from scratch.' },
    batchSize: train.batchSize,
    learningRate: train.learningRate,
    trainSamples: train.trainSamples,
    validationSamples: train.validationSamples,
    testSamples: train.testSamples,
    latencyRepeats: { ...train.latencyRepeats, default: 50 },
    selection: {
      enum: ['argmax', 'near-target'],
      default: 'argmax',
      description:
        "Which network the search hands over. argmax: every block's most likely candidate (the reference). near-target (NAS Studio's, not in the reference): the most likely network whose latency by the table is within ±targetTolerance of the target — the same network whenever argmax lands there; otherwise the one that gives up the least probability to land there (a search stopped before α settles can leave argmax far from the target even when E[lat] is on it).",
    },
    targetTolerance: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.1, description: 'near-target: the band around the target latency, as a fraction of it (0.1: ±10 %).' },
  },
};

/** JSON Schema of `*.proxyless.json` ProxylessNAS search specs. */
export function buildProxylessSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nas-studio.dev/schemas/proxyless.schema.json',
    title: 'NAS Studio ProxylessNAS search',
    type: 'object',
    required: ['supernet', 'dataset', 'latency'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', maxLength: 4096 },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name. Default: the file name.' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      supernet: supernetSchema,
      dataset: datasetSchema,
      search: searchSchema,
      latency: latencySchema,
      derived: derivedSchema,
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Same seed, same search.' },
    },
  };
}
