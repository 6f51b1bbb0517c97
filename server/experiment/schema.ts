import type { JsonSchema } from '../core/jsonSchema';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH } from '../core/specBounds';
import { evaluators, spaces, strategies } from './registry';
import { warmStartSchema } from './warmStartSpec';

interface Described {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly optionsSchema: JsonSchema;
}

/** `{ type, ...options }` alternatives for one kind of component, discriminated by `type`. */
export function componentSchema(kind: string, definitions: readonly Described[]): JsonSchema {
  return {
    description: `The ${kind}: { "type": ..., options }. Types: ${definitions.map((d) => d.type).join(', ')}.`,
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: definitions.map((d) => ({
      type: 'object',
      title: d.title,
      description: d.description,
      required: ['type', ...(d.optionsSchema.required ?? [])],
      additionalProperties: false,
      properties: {
        type: { const: d.type, description: `${d.title}: ${d.description}` },
        ...d.optionsSchema.properties,
      },
    })),
  };
}

const metricName: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$',
  patternErrorMessage: 'must be a metric name: letters, digits, "_", "." and "-", starting with a letter or "_"',
};

/** More objectives than this is no longer a trade-off anyone can read off a Pareto front. */
const MAX_OBJECTIVES = 16;
/** Constraints and report-only metrics: far more than any evaluator or benchmark table produces. */
const MAX_METRIC_LIST = 256;

/** JSON Schema of `*.nas.json` experiment specs, assembled from the registries. */
export function buildExperimentSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nas-studio.dev/schemas/experiment.schema.json',
    title: 'NAS Studio experiment',
    type: 'object',
    required: ['space', 'evaluator', 'strategy', 'objectives', 'budget'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name. Default: the file name.' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      space: componentSchema('search space', spaces),
      evaluator: componentSchema('evaluator', evaluators),
      strategy: componentSchema('search strategy', strategies),
      objectives: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_OBJECTIVES,
        description: 'Metrics to optimize. The strategy sees only these (and constraint feasibility).',
        items: {
          type: 'object',
          required: ['metric', 'goal'],
          additionalProperties: false,
          properties: {
            metric: { ...metricName, description: 'A metric the evaluator produces.' },
            goal: { enum: ['maximize', 'minimize'] },
          },
        },
      },
      constraints: {
        type: 'array',
        maxItems: MAX_METRIC_LIST,
        description: 'Bounds an architecture must meet to count as a result (inclusive).',
        items: {
          type: 'object',
          required: ['metric'],
          additionalProperties: false,
          properties: { metric: metricName, min: { type: 'number' }, max: { type: 'number' } },
        },
      },
      report: {
        type: 'array',
        maxItems: MAX_METRIC_LIST,
        items: metricName,
        description: 'Metrics recorded with every result but never shown to the strategy (e.g. test accuracy).',
      },
      budget: {
        type: 'object',
        required: ['trials'],
        additionalProperties: false,
        properties: {
          trials: { type: 'integer', minimum: 1, maximum: 1000000, description: 'Architectures to evaluate.' },
          minutes: { type: 'number', exclusiveMinimum: 0, maximum: 525600, description: 'Stop starting new trials after this much search time (at most a year).' },
        },
      },
      execution: {
        type: 'object',
        additionalProperties: false,
        description: 'Where evaluations run. Default: in the engine (worker threads).',
        properties: {
          queue: {
            type: 'object',
            required: ['redis'],
            additionalProperties: false,
            description: 'Send evaluations to `nas-studio worker` processes through a BullMQ queue on Redis (other machines need the same dataset paths).',
            properties: {
              redis: { type: 'string', maxLength: 2048, pattern: '^rediss?://', patternErrorMessage: 'must be a redis:// or rediss:// URL', description: 'Redis URL, e.g. redis://127.0.0.1:6379.' },
              name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, default: 'nas-studio', description: 'Queue name the workers listen on.' },
              concurrency: { type: 'integer', minimum: 1, maximum: 1024, default: 4, description: 'Evaluations kept in flight.' },
            },
          },
        },
      },
      latency: {
        type: 'object',
        required: ['device'],
        additionalProperties: false,
        description: 'Measure each trained trial\'s latency_ms on a target device (a laptop, a Raspberry Pi) running `nas-studio worker --redis URL --device NAME`, instead of on this machine.',
        properties: {
          device: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', patternErrorMessage: "letters, digits, '.', '_' or '-'", description: 'The device name its workers were started with (--device NAME).' },
          redis: { type: 'string', maxLength: 2048, pattern: '^rediss?://', patternErrorMessage: 'must be a redis:// or rediss:// URL', description: 'Redis URL the device\'s workers use; default: execution.queue.redis.' },
          queue: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Queue name the device\'s workers were started with (--queue); default: execution.queue.name, else nas-studio.' },
          repeats: { type: 'integer', minimum: 1, maximum: 10000, default: 20, description: 'Timed batch-1 predictions on the device (median).' },
        },
      },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'Same seed, same search.' },
      warmStart: warmStartSchema,
    },
  };
}
