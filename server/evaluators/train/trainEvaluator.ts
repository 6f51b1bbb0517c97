import type { Evaluator, EvaluatorDefinition } from '../../core/evaluator';
import type { Metrics } from '../../../contract/metrics';
import { Rng, hashString } from '../../core/rng';
import { WorkerPool } from '../../runtime/workerPool';
import { trialModelDir } from '../../store/runFolder';
import type { LayerStackArch } from '../../spaces/layers/layerSpec';
import type { TrainJob } from './trainJob';
import { inspectDataset } from '../../data/inspectDataset';
import { prepareDataset } from './trainData';
import { describeTrainedMetric } from '../trainedMetrics';
import { resolveTrainOptions, TRAIN_METRICS, trainOptionsSchema, type TrainOptions } from './trainOptions';

/**
 * Trains every architecture for a short budget with TensorFlow.js in worker threads and
 * reports validation accuracy (the usual signal), test accuracy, params, FLOPs and measured
 * batch-1 latency.
 */
export const trainEvaluator: EvaluatorDefinition<TrainOptions> = {
  type: 'train',
  title: 'Train with TensorFlow.js',
  description: 'Trains each architecture briefly on a dataset (default: embedded MNIST) and measures accuracy, params, FLOPs and latency.',
  optionsSchema: trainOptionsSchema,
  spaces: ['layers'],
  metricNames: () => TRAIN_METRICS,
  taskData: (raw, baseDir) => ({ dataset: resolveTrainOptions(raw).dataset, baseDir }),
  describeMetric: describeTrainedMetric,
  async preflight(raw, { space, baseDir }) {
    const options = resolveTrainOptions(raw);
    const arch = space.toArch(space.sample(new Rng(0))) as LayerStackArch;
    inspectDataset(options.dataset, baseDir, {
      samples: { count: options.trainSamples + options.validationSamples, setting: 'trainSamples + validationSamples' },
      input: { shape: arch.input, setting: "the search space's input" },
    });
  },
  async create(raw, setup): Promise<Evaluator> {
    const resolved = resolveTrainOptions(raw);
    // The spec's backend wins; 'auto' defers to the user's preference (setting, --backend).
    const options = { ...resolved, backend: resolved.backend === 'auto' ? setup.backend : resolved.backend };
    const splitSeed = hashString(`split/${setup.seed}`);
    // Fail before the first trial when the dataset is missing, corrupt or does not fit the space.
    const someArch = setup.space.toArch(setup.space.sample(new Rng(0))) as LayerStackArch;
    prepareDataset({ arch: someArch, options, baseDir: setup.baseDir });
    const pool = new WorkerPool<TrainJob, Metrics>('trainingWorker', options.workers, setup.log);
    return {
      metrics: TRAIN_METRICS,
      concurrency: options.workers,
      evaluate: (genome, context) =>
        pool.run(
          {
            arch: setup.space.toArch(genome) as LayerStackArch,
            options,
            baseDir: setup.baseDir,
            splitSeed,
            seed: context.seed,
            ...(setup.modelsDir ? { modelDir: trialModelDir(setup.modelsDir, context.trial) } : {}),
          },
          { signal: context.signal, progress: (f, m) => context.progress(f, m), epoch: (point) => context.epoch?.(point) },
        ),
      dispose: () => pool.close(),
    };
  },
};
