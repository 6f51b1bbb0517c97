import { hostname } from 'node:os';
import { SpecError } from '../../core/errors';
import type { Metrics } from '../../../contract/metrics';
import { extendCurve, type EpochPoint } from '../../../contract/trialCurve';
import type { Evaluator, EvaluationContext } from '../../core/evaluator';
import type { Genome } from '../../core/searchSpace';
import { RedisLink } from './redisLink';
import type { RedisPolicy } from './redisPolicy';
import { parseRedisUrl, RedisConfigError } from './redisUrl';
import { QueueJobs } from './queueJobs';
import type { EvaluationJob, EvaluationResult, QueueSettings } from './queueProtocol';

/** What the experiment contributes to every job besides the genome. */
export type JobTemplate = Omit<EvaluationJob, 'trial' | 'seed' | 'genome'>;

/** Where the Redis URL sits in a spec, for errors about it. */
const REDIS_SPEC_PATH = ['execution', 'queue', 'redis'];

/**
 * Sends evaluations to BullMQ workers (`nas-studio worker`) instead of running them here.
 * A worker that dies mid-job is detected by BullMQ and the job runs again elsewhere; stopping
 * the experiment removes waiting jobs and asks workers to cancel running ones. When Redis
 * becomes unreachable the evaluations wait through the link's retries, then fail with an
 * UnavailableError: the run stops resumable and the cut-off trials run again on resume.
 */
export async function createQueueEvaluator(
  settings: QueueSettings,
  template: JobTemplate,
  metrics: readonly string[],
  log: (m: string) => void,
  policy?: RedisPolicy,
): Promise<Evaluator> {
  let link: RedisLink;
  try {
    link = await RedisLink.open(parseRedisUrl(settings.redis), log, policy);
  } catch (e) {
    if (e instanceof RedisConfigError) throw new SpecError(e.message, REDIS_SPEC_PATH);
    throw e;
  }
  const evaluator = new QueueEvaluator(settings, template, metrics, link);
  try {
    await evaluator.ready();
  } catch (e) {
    await evaluator.dispose();
    throw e;
  }
  log(`evaluations go to queue "${settings.name}" on ${link.address.display} (from ${hostname()}:${process.pid})`);
  return evaluator;
}

/** An Evaluator whose evaluations are jobs on the queue. */
class QueueEvaluator implements Evaluator {
  readonly concurrency: number;
  private readonly jobs: QueueJobs<EvaluationJob, EvaluationResult>;

  constructor(
    settings: QueueSettings,
    private readonly template: JobTemplate,
    readonly metrics: readonly string[],
    link: RedisLink,
  ) {
    this.concurrency = settings.concurrency;
    this.jobs = new QueueJobs(settings.name, 'evaluate', link);
  }

  ready(): Promise<unknown> {
    return this.jobs.ready();
  }

  async evaluate(genome: Genome, context: EvaluationContext): Promise<Metrics> {
    const data: EvaluationJob = { ...this.template, trial: context.trial, seed: context.seed, genome: [...genome] };
    // The curve as shown so far: live points may be missed (best effort) or come from a worker that died.
    let shown: EpochPoint[] = [];
    const epoch = (point: EpochPoint) => {
      shown = extendCurve(shown, point);
      context.epoch?.(point);
    };
    const result = await this.jobs.run(data, {
      signal: context.signal,
      label: `trial ${data.trial}`,
      key: `${data.experiment}-t${data.trial}`,
      log: (m) => context.log(m),
      progress: (fraction, message) => context.progress(fraction, message),
      epoch,
    });
    context.log(`evaluated by ${result.worker}`);
    // The result's curve is the evaluation's own: shown again when what arrived live differs from it.
    if (result.curve && JSON.stringify(result.curve) !== JSON.stringify(shown)) for (const point of result.curve) epoch(point);
    return result.metrics;
  }

  dispose(): Promise<void> {
    return this.jobs.dispose();
  }
}
