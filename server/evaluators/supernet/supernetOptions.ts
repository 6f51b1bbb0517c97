import type { JsonSchema } from '../../core/jsonSchema';
import { datasetSchema, type DatasetSpec } from '../../data/datasetSpec';
import { BACKEND_CHOICES, type BackendChoice } from '../../../contract/backends';
import { MAX_LATENCY_REPEATS, MAX_SAMPLES, pathSchema } from '../../core/specBounds';

export type SupernetEvaluatorOptions = {
  /** The supernet training run folder (or a file in its checkpoints folder), relative to the spec's folder. */
  run: string;
  /** Validate on this dataset's images instead of the run's validation split. */
  dataset?: DatasetSpec;
  calibrationSamples?: number;
  validationSamples?: number;
  testSamples?: number;
  latencyRepeats?: number;
  workers?: number;
  backend?: BackendChoice;
};

export type ResolvedSupernetOptions = Required<Omit<SupernetEvaluatorOptions, 'dataset' | 'validationSamples'>> & Pick<SupernetEvaluatorOptions, 'dataset' | 'validationSamples'>;

export function resolveSupernetOptions(o: SupernetEvaluatorOptions): ResolvedSupernetOptions {
  return {
    run: o.run,
    ...(o.dataset ? { dataset: o.dataset } : {}),
    calibrationSamples: o.calibrationSamples ?? 2000,
    ...(o.validationSamples !== undefined ? { validationSamples: o.validationSamples } : {}),
    testSamples: o.testSamples ?? 0,
    latencyRepeats: o.latencyRepeats ?? 20,
    workers: o.workers ?? 1,
    backend: o.backend ?? 'auto',
  };
}

export const supernetOptionsSchema: JsonSchema = {
  type: 'object',
  required: ['run'],
  properties: {
    run: pathSchema('The trained supernet: its run folder (nas-studio train --out DIR), or a file in its checkpoints folder.'),
    dataset: { ...datasetSchema, description: "Validate on this dataset's images (its test split if it has one) instead of the run's validation split." },
    calibrationSamples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES, default: 2000, description: 'Training examples each sub-network\'s batch norms are recalibrated on (OFA uses 2000).' },
    validationSamples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES, description: 'Validation examples for val_accuracy (default: the whole validation split).' },
    testSamples: { type: 'integer', minimum: 0, maximum: MAX_SAMPLES, default: 0, description: "Test examples for test_accuracy (report only; the run's dataset needs a test split); 0 = skip." },
    latencyRepeats: { type: 'integer', minimum: 1, maximum: MAX_LATENCY_REPEATS, default: 20, description: 'Timed batch-1 predictions of the extracted model for latency_ms (median).' },
    workers: { type: 'integer', minimum: 1, maximum: 64, default: 1, description: 'Sub-networks evaluated at the same time, one worker thread (and supernet copy) each.' },
    backend: { enum: [...BACKEND_CHOICES], default: 'auto', description: 'TensorFlow.js backend; auto = tfjs-node if installed, else wasm.' },
  },
};
