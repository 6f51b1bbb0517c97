import type { JsonSchema } from '../../core/jsonSchema';
import { BACKEND_CHOICES, type BackendChoice } from '../../../contract/backends';
import { datasetSchema, type DatasetSpec } from '../../data/datasetSpec';
import { MAX_LATENCY_REPEATS, MAX_SAMPLES } from '../../core/specBounds';

export interface TrainOptions {
  dataset?: DatasetSpec;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  trainSamples?: number;
  validationSamples?: number;
  testSamples?: number;
  latencyRepeats?: number;
  workers?: number;
  backend?: BackendChoice;
}

export type ResolvedTrainOptions = Required<TrainOptions>;

export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  return {
    dataset: o.dataset ?? { type: 'mnist' },
    epochs: o.epochs ?? 1,
    batchSize: o.batchSize ?? 64,
    learningRate: o.learningRate ?? 0.002,
    trainSamples: o.trainSamples ?? 6000,
    validationSamples: o.validationSamples ?? 2000,
    testSamples: o.testSamples ?? 2000,
    latencyRepeats: o.latencyRepeats ?? 20,
    workers: o.workers ?? 2,
    backend: o.backend ?? 'auto',
  };
}

export const trainOptionsSchema: JsonSchema = {
  type: 'object',
  properties: {
    dataset: datasetSchema,
    epochs: { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'Training epochs per architecture.' },
    batchSize: { type: 'integer', minimum: 1, maximum: 4096, default: 64, description: 'Minibatch size.' },
    learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.002, description: 'Adam learning rate.' },
    trainSamples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES, default: 6000, description: 'Training examples used (drawn from the training split).' },
    validationSamples: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_SAMPLES,
      default: 2000,
      description: 'Held-out training examples for val_accuracy, the usual search signal. The split is fixed by the experiment seed.',
    },
    testSamples: { type: 'integer', minimum: 0, maximum: MAX_SAMPLES, default: 2000, description: 'Test examples for test_accuracy (report only); 0 = skip.' },
    latencyRepeats: { type: 'integer', minimum: 1, maximum: MAX_LATENCY_REPEATS, default: 20, description: 'Timed batch-1 predictions for latency_ms (median).' },
    workers: { type: 'integer', minimum: 1, maximum: 64, default: 2, description: 'Architectures trained at the same time, one worker thread each.' },
    backend: { enum: [...BACKEND_CHOICES], default: 'auto', description: 'TensorFlow.js backend; auto = tfjs-node if installed, else wasm.' },
  },
};

/** Metrics every training evaluation returns. */
export const TRAIN_METRICS = ['val_accuracy', 'val_loss', 'train_loss', 'test_accuracy', 'params', 'flops', 'latency_ms', 'train_seconds'] as const;
