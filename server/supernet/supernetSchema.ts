import { BACKEND_CHOICES } from '../../contract/backends';
import type { JsonSchema } from '../core/jsonSchema';
import { MAX_CHOICES, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH, MAX_SAMPLES } from '../core/specBounds';
import { datasetSchema } from '../data/datasetSpec';
import { OFA_SMALL_TYPE, ofaSmallOptionsSchema } from './ofaSmallOptions';

const epochs: JsonSchema = { type: 'integer', minimum: 1, maximum: 10000, description: 'Epochs (passes over the training examples).' };
const learningRate: JsonSchema = { type: 'number', exclusiveMinimum: 0, maximum: 10, description: 'SGD learning rate at the start of the cosine schedule.' };

/** Options every training mode takes. */
const commonTraining: Record<string, JsonSchema> = {
  batchSize: { type: 'integer', minimum: 2, maximum: 4096, default: 64, description: 'Images per step (divisible by workers).' },
  workers: { type: 'integer', minimum: 1, maximum: 64, default: 2, description: 'Data-parallel worker threads (one model replica each; one per core is fastest).' },
  momentum: { type: 'number', minimum: 0, maximum: 0.999, default: 0.9, description: 'SGD momentum.' },
  weightDecay: { type: 'number', minimum: 0, maximum: 0.1, default: 3e-5, description: 'L2 weight decay.' },
  validation: {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: MAX_SAMPLES,
    default: 0.1,
    description: 'Training examples held out for validation: a count, or a fraction when below 1. Fixed by the seed.',
  },
  trainSamples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES, description: 'Train on at most this many examples (default: all not held out).' },
  testSamples: { type: 'integer', minimum: 0, maximum: MAX_SAMPLES, default: 10000, description: "Test examples for the final test accuracy (when the dataset has a test split); 0 = skip." },
  calibrationSamples: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_SAMPLES,
    default: 2000,
    description: 'Training examples the batch norms are recalibrated on before a sub-network is evaluated (OFA uses 2000).',
  },
  augment: {
    type: 'object',
    additionalProperties: false,
    description: 'Training augmentation.',
    properties: {
      crop: { type: 'integer', minimum: 0, maximum: 64, default: 0, description: 'Random shifts of up to this many pixels (zero padding).' },
      flip: { type: 'boolean', default: false, description: 'Random horizontal flips (not for digits or text).' },
    },
  },
  normalize: { type: 'boolean', default: true, description: "Normalize inputs with the training split's per-channel mean and standard deviation." },
  backend: { enum: [...BACKEND_CHOICES], default: 'auto', description: 'TensorFlow.js backend; auto = tfjs-node if installed, else wasm.' },
};

/** OFA trains four phases (full, kernel, depth, expand); a few more allow staged choices within one. */
const MAX_PHASES = 16;

const phase: JsonSchema = {
  type: 'object',
  required: ['phase', 'epochs', 'learningRate'],
  additionalProperties: false,
  properties: {
    phase: {
      enum: ['full', 'kernel', 'depth', 'expand'],
      description: 'full: the largest network; kernel, depth, expand: enable that dimension\'s choices (OFA order: full, kernel, depth, expand).',
    },
    epochs,
    learningRate,
    subnetsPerStep: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      description: 'Sub-networks per step, gradients summed (default: full 1, kernel 3, depth 3, expand 4 with the sandwich rule; OFA\'s 1, 1, 2, 4 without).',
    },
    choices: {
      type: 'array',
      // Kernel sizes, depths and expand ratios all lie in 1..16 (see ofaSmallOptions).
      items: { type: 'number', minimum: 1, maximum: 16 },
      minItems: 1,
      maxItems: MAX_CHOICES,
      description: 'Choices this phase enables (e.g. depths [3, 4] before [2, 3, 4]); must include the largest. Default: all.',
    },
  },
};

/** JSON Schema of `*.supernet.json` supernet training specs. */
export function buildSupernetSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nas-studio.dev/schemas/supernet.schema.json',
    title: 'NAS Studio supernet training',
    type: 'object',
    required: ['supernet', 'dataset', 'training'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name. Default: the file name.' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      supernet: {
        ...ofaSmallOptionsSchema,
        required: ['type', ...(ofaSmallOptionsSchema.required ?? [])],
        additionalProperties: false,
        description: 'The elastic network (also usable as the "ofa-small" search space of the trained supernet).',
        properties: { type: { const: OFA_SMALL_TYPE, description: 'OFA MobileNetV3-style supernet for small inputs.' }, ...ofaSmallOptionsSchema.properties },
      },
      dataset: datasetSchema,
      training: {
        type: 'object',
        required: ['mode'],
        discriminator: { propertyName: 'mode' },
        description: 'How the supernet is trained.',
        oneOf: [
          {
            type: 'object',
            title: 'Progressive shrinking',
            required: ['mode', 'phases'],
            additionalProperties: false,
            properties: {
              mode: { const: 'progressive-shrinking', description: "Once-for-All's progressive shrinking with knowledge distillation." },
              phases: { type: 'array', minItems: 1, maxItems: MAX_PHASES, items: phase, description: 'Training phases in order.' },
              distillation: {
                type: 'number',
                minimum: 0,
                maximum: 100,
                default: 1,
                description: 'Weight of the distillation loss from the largest network (trained in the first, full phase); 0 = off.',
              },
              teacher: {
                enum: ['inplace', 'frozen'],
                description:
                  'Distillation teacher: "inplace" (BigNAS; default with the sandwich rule) = the largest sub-network of the same step, which keeps training; "frozen" (OFA; default without it) = the largest network as trained in the first, full phase.',
              },
              sandwich: {
                type: 'boolean',
                default: true,
                description:
                  'Sandwich rule (BigNAS): every step of a kernel, depth or expand phase trains the largest and the smallest sub-network of the enabled choices besides random ones, so both ends keep up. false = OFA\'s uniform sampling only.',
              },
              ...commonTraining,
            },
          },
          {
            type: 'object',
            title: 'FairNAS',
            required: ['mode', 'epochs', 'learningRate'],
            additionalProperties: false,
            properties: {
              mode: { const: 'fairnas', description: 'FairNAS strict fairness: every choice of every block trained exactly once per step.' },
              epochs,
              learningRate,
              ...commonTraining,
            },
          },
        ],
      },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Same seed, same training.' },
    },
  };
}
