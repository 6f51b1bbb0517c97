import type { JsonSchema } from '../core/jsonSchema';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH, pathSchema } from '../core/specBounds';
import { datasetSchema } from '../data/datasetSpec';
import { trainOptionsSchema } from '../evaluators/train/trainOptions';

const { dataset: _dataset, ...trainingOptions } = trainOptionsSchema.properties ?? {};

/** JSON Schema of `*.scaling.json` compound scaling specs. */
export function buildScalingSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nas-studio.dev/schemas/scaling.schema.json',
    title: 'NAS Studio compound scaling (EfficientNet)',
    type: 'object',
    required: ['base'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name. Default: the file name.' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      base: {
        type: 'object',
        additionalProperties: false,
        description:
          'The network to grow: one of "file", "run" or "architecture". A layer stack (space "layers") or an MBConv network: a derived ProxylessNAS network (space "proxyless") or a sub-network of an ofa-small supernet.',
        properties: {
          file: pathSchema(
            'An architecture file: a layer stack or derived network (*.arch.json, e.g. a search\'s exports/best.arch.json or a ProxylessNAS run\'s exports/derived.arch.json), or the subnet.json export-subnet writes.',
          ),
          run: pathSchema('A run folder: a search (its best trial, or "trial"), a ProxylessNAS search (its derived network) or a supernet training ("subnet").'),
          trial: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'With a search "run": this trial instead of the best.' },
          subnet: {
            description: 'With a supernet "run": the sub-network to grow.',
            oneOf: [
              { enum: ['largest', 'smallest'] },
              {
                type: 'object',
                required: ['ks', 'e', 'd', 'r'],
                properties: {
                  ks: { type: 'array', maxItems: 1024, items: { type: 'integer', minimum: 1, maximum: 15 }, description: 'Kernel size per block slot.' },
                  e: { type: 'array', maxItems: 1024, items: { type: 'number', minimum: 1, maximum: 16 }, description: 'Expand ratio per block slot.' },
                  d: { type: 'array', maxItems: 64, items: { type: 'integer', minimum: 1, maximum: 64 }, description: 'Depth per stage.' },
                  r: { type: 'integer', minimum: 1, maximum: 1024, description: 'Input resolution.' },
                },
              },
            ],
          },
          architecture: { type: 'object', description: 'The architecture itself (as in an *.arch.json file: space "layers" or "proxyless").' },
        },
      },
      dataset: datasetSchema,
      training: {
        type: 'object',
        additionalProperties: false,
        description: 'How every candidate trains (as the train evaluator; equal for all, so rules compare fairly).',
        properties: trainingOptions,
      },
      grid: {
        type: 'object',
        additionalProperties: false,
        description: 'The grid search of depth α, width β and resolution γ at φ = 1 (the paper found 1.2, 1.1, 1.15 for B0).',
        properties: {
          step: { type: 'number', minimum: 0.01, maximum: 1, default: 0.1, description: 'Grid spacing of each coefficient, from 1 upward.' },
          tolerance: { type: 'number', minimum: 0, maximum: 1, default: 0.1, description: 'Largest |α·β²·γ² − 2| kept.' },
        },
      },
      maxPhi: { type: 'integer', minimum: 1, maximum: 6, default: 2, description: 'The compound family φ = 1..maxPhi (FLOPs ≈ 2^φ times the base).' },
      baselines: {
        type: 'array',
        items: { enum: ['depth', 'width', 'resolution'] },
        maxItems: 3,
        default: ['depth', 'width', 'resolution'],
        description: 'Single-dimension rules trained at each compound member\'s counted FLOPs, for comparison ([] = none).',
      },
      rounding: {
        type: 'object',
        additionalProperties: false,
        properties: {
          divisor: { type: 'integer', minimum: 1, maximum: 256, default: 8, description: 'Channels are rounded to multiples of this (the reference\'s depth_divisor, 8).' },
          resolutionMultiple: {
            type: 'integer',
            minimum: 1,
            maximum: 256,
            description: 'Input sides are rounded to multiples of this. Default: how much the base network downsamples (its pool sizes times its strides).',
          },
        },
      },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Same seed, same run (data split, initial weights).' },
    },
  };
}
