import type { JsonSchema } from '../core/jsonSchema';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH } from '../core/specBounds';
import { datasetSchema } from '../data/datasetSpec';
import { trainOptionsSchema } from '../evaluators/train/trainOptions';
import { spaces, strategies } from '../experiment/registry';
import { componentSchema } from '../experiment/schema';
import { MAX_SEARCH_CANDIDATES } from './ensembleSpec';
import { TRAINABLE_SPACES } from './searchGenerator';

const { dataset: _dataset, ...trainingOptions } = trainOptionsSchema.properties ?? {};

const block: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  description: 'What each block of a subnetwork is.',
  oneOf: [
    {
      type: 'object',
      title: 'Dense',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { const: 'dense', description: 'A hidden dense layer with ReLU (the reference\'s simple DNN).' },
        units: { type: 'integer', minimum: 1, maximum: 16384, default: 64, description: 'Units of each hidden layer (the reference\'s layer_size).' },
      },
    },
    {
      type: 'object',
      title: 'Conv',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { const: 'conv', description: 'A conv block of the layers space: conv2d (same padding, ReLU) + 2×2 max-pool.' },
        filters: { type: 'integer', minimum: 1, maximum: 4096, default: 16, description: 'Filters of each convolution.' },
        kernel: { type: 'integer', minimum: 1, maximum: 31, default: 3, description: 'Kernel size of each convolution.' },
      },
    },
  ],
};

/** JSON Schema of `*.ensemble.json` AdaNet specs. */
export function buildEnsembleSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nas-studio.dev/schemas/ensemble.schema.json',
    title: 'NAS Studio AdaNet ensemble',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name. Default: the file name.' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      network: {
        type: 'object',
        additionalProperties: false,
        description: 'What every subnetwork takes and outputs.',
        properties: {
          input: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 1024 }, minItems: 3, maxItems: 3, description: 'Input shape [height, width, channels]. Default [28, 28, 1].' },
          classes: { type: 'integer', minimum: 2, maximum: 10000, description: 'Number of classes. Default 10.' },
        },
      },
      dataset: datasetSchema,
      training: {
        type: 'object',
        additionalProperties: false,
        description: 'How every candidate subnetwork trains on its own loss (as the train evaluator).',
        properties: trainingOptions,
      },
      generator: {
        type: 'object',
        additionalProperties: false,
        description:
          'Candidates of each iteration. "blocks" (default): one as deep as the last subnetwork chosen, one a block deeper (AdaNet\'s simple DNN generator). "search": "candidates" architectures a search strategy proposes over a trainable search space, told each candidate ensemble\'s held-out objective.',
        properties: {
          type: { enum: ['blocks', 'search'], default: 'blocks', description: '"blocks": stacks of the layers space\'s blocks; "search": a strategy over a search space.' },
          space: componentSchema('search space the candidates come from (with "type": "search"; its networks take the spec\'s "network" input and classes by default)', spaces.filter((s) => TRAINABLE_SPACES.includes(s.type))),
          strategy: componentSchema('search strategy that proposes each iteration\'s candidates (with "type": "search")', strategies),
          candidates: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_CANDIDATES, default: 2, description: 'With "type": "search": candidates the strategy proposes per iteration.' },
          block,
          initialDepth: { type: 'integer', minimum: 0, maximum: 16, default: 0, description: 'Depth of the first, shallower candidate (0 = a linear model).' },
          maxDepth: { type: 'integer', minimum: 1, maximum: 16, default: 8, description: 'No deeper candidate (conv blocks are also limited by the input size).' },
          dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description: 'Dropout after each block.' },
        },
      },
      objective: {
        type: 'object',
        additionalProperties: false,
        description: 'F(w) = mean loss(Σ w_j h_j(x), y) + Σ (λ·√depth_j + β)·|w_j|, minimized over the mixture weights; candidates are selected by F on the held-out examples.',
        properties: {
          lambda: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'λ: penalty per unit of complexity √depth (the reference\'s adanet_lambda, default 0).' },
          beta: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'β: penalty every member pays (adanet_beta, default 0).' },
          mixtureWeights: { enum: ['scalar', 'vector'], default: 'scalar', description: 'One weight per member, or one per member and class.' },
          learnMixtureWeights: { type: 'boolean', default: true, description: 'Learn the weights (false: a uniform average, 1/N each).' },
          useBias: { type: 'boolean', default: false, description: 'Learn a bias for the ensemble\'s logits.' },
          warmStart: { type: 'boolean', default: false, description: 'Start the previous members from their learned weights (else 1/N).' },
          steps: { type: 'integer', minimum: 1, maximum: 100000, default: 300, description: 'Full-batch Adam steps on the mixture weights.' },
          learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.01, description: 'Adam learning rate of the mixture weights.' },
        },
      },
      maxIterations: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'Most iterations (subnetworks); growth also stops when the previous ensemble beats every candidate.' },
      forceGrow: { type: 'boolean', default: false, description: 'Add the best candidate every iteration even when the previous ensemble scores better.' },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Same seed, same run (data split, initial weights).' },
    },
  };
}
