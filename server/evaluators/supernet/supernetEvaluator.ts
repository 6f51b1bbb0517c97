import { isAbsolute, resolve } from 'node:path';
import { SpecError } from '../../core/errors';
import type { Evaluator, EvaluatorDefinition } from '../../core/evaluator';
import type { Metrics } from '../../../contract/metrics';
import { WorkerPool } from '../../runtime/workerPool';
import { OfaSmallSpace } from '../../supernet/ofaSmallSpace';
import { OFA_SMALL_TYPE } from '../../supernet/ofaSmallOptions';
import { openTrainedSupernet, type TrainedSupernet } from '../../supernet/trainedSupernet';
import type { SearchSpace } from '../../core/searchSpace';
import type { SubnetEvalJob } from './subnetEvalJob';
import { describeTrainedMetric } from '../trainedMetrics';
import { resolveSupernetOptions, supernetOptionsSchema, type SupernetEvaluatorOptions } from './supernetOptions';

const METRICS = ['val_accuracy', 'val_loss', 'params', 'flops', 'latency_ms'] as const;

/**
 * Searches the sub-networks of a trained `ofa-small` supernet (nas-studio train): each
 * architecture is evaluated with the supernet's shared weights after batch-norm recalibration -
 * no training - plus its params, FLOPs and measured latency. Any strategy can drive it.
 */
export const supernetEvaluator: EvaluatorDefinition<SupernetEvaluatorOptions> = {
  type: 'supernet',
  title: 'Trained supernet (weight sharing)',
  description: 'Accuracy of sub-networks of a supernet trained with nas-studio train (batch norms recalibrated), params, FLOPs and measured latency.',
  optionsSchema: supernetOptionsSchema,
  spaces: [OFA_SMALL_TYPE],
  metricNames: (options) => [...METRICS, ...((options.testSamples ?? 0) > 0 ? ['test_accuracy'] : [])],
  taskData(raw, baseDir) {
    if (raw.dataset) return { dataset: raw.dataset, baseDir };
    // Without one of its own it scores on the supernet's training data (when the run can still be read).
    try {
      const trained = openTrainedSupernet(isAbsolute(raw.run) ? raw.run : resolve(baseDir, raw.run));
      return { dataset: trained.spec.dataset, baseDir: trained.baseDir };
    } catch {
      return undefined;
    }
  },
  describeMetric: describeTrainedMetric,
  async preflight(raw, { space, baseDir }) {
    openMatchingSupernet(resolveSupernetOptions(raw).run, space, baseDir);
  },
  async create(raw, setup): Promise<Evaluator> {
    const resolved = resolveSupernetOptions(raw);
    // The spec's backend wins; 'auto' defers to the user's preference (setting, --backend).
    const options = { ...resolved, backend: resolved.backend === 'auto' ? setup.backend : resolved.backend };
    const { trained, space } = openMatchingSupernet(options.run, setup.space, setup.baseDir);
    setup.log(`searching the supernet of ${trained.folder.dir} after ${trained.checkpoint.epochsDone} epochs`);
    const pool = new WorkerPool<SubnetEvalJob, Metrics>('subnetEvalWorker', options.workers, setup.log);
    return {
      metrics: supernetEvaluator.metricNames(options, setup.baseDir),
      concurrency: options.workers,
      evaluate: (genome, context) =>
        pool.run({ run: trained.folder.dir, options, baseDir: setup.baseDir, arch: space.toSubnet(genome) }, { signal: context.signal, progress: (f, m) => context.progress(f, m) }),
      dispose: () => pool.close(),
    };
  },
};

/** The trained supernet run the options name, checked to be the one the space searches (missing, untrained or another supernet: a clear error). */
function openMatchingSupernet(runOption: string, space: SearchSpace, baseDir: string): { trained: TrainedSupernet; space: OfaSmallSpace } {
  if (!(space instanceof OfaSmallSpace)) throw new SpecError(`the supernet evaluator needs the ${OFA_SMALL_TYPE} space`, ['type']);
  const trained = openTrainedSupernet(isAbsolute(runOption) ? runOption : resolve(baseDir, runOption));
  if (JSON.stringify(trained.spec.supernet) !== JSON.stringify(space.config)) {
    throw new SpecError(`the space must be the run's supernet: the run ${trained.folder.id} was trained with ${JSON.stringify(trained.spec.supernet)}`, ['run']);
  }
  return { trained, space };
}
