import { hostname } from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import { CancelledError, NasError } from '../../core/errors';
import type { Evaluator, EvaluationContext } from '../../core/evaluator';
import type { Metrics } from '../../../contract/metrics';
import type { Genome } from '../../core/searchSpace';
import { connectRedis } from './redisConnection';
import { cancelChannel, type EvaluationJob, type EvaluationProgress, type EvaluationResult, type QueueSettings } from './queueProtocol';

/** What the experiment contributes to every job besides the genome. */
export type JobTemplate = Omit<EvaluationJob, 'trial' | 'seed' | 'genome'>;

/**
 * Sends evaluations to BullMQ workers (`nas-studio worker`) instead of running them here.
 * A worker that dies mid-job is detected by BullMQ and the job runs again elsewhere; stopping
 * the experiment removes waiting jobs and asks workers to cancel running ones.
 */
export async function createQueueEvaluator(settings: QueueSettings, template: JobTemplate, metrics: readonly string[], log: (m: string) => void): Promise<Evaluator> {
  const connection = await connectRedis(settings.redis);
  const publisher = connection.duplicate();
  const queue = new Queue<EvaluationJob, EvaluationResult>(settings.name, { connection });
  const events = new QueueEvents(settings.name, { connection: connection.duplicate() });
  await events.waitUntilReady();
  const progressHandlers = new Map<string, (p: EvaluationProgress) => void>();
  events.on('progress', ({ jobId, data }) => progressHandlers.get(jobId)?.(data as EvaluationProgress));
  let attempt = 0;
  log(`evaluations go to queue "${settings.name}" on ${settings.redis} (from ${hostname()}:${process.pid})`);

  return {
    metrics,
    concurrency: settings.concurrency,
    async evaluate(genome: Genome, context: EvaluationContext): Promise<Metrics> {
      // Unique per attempt: a resumed experiment re-submits unfinished trials as new jobs.
      const jobId = `${template.experiment}-t${context.trial}-p${process.pid}-a${++attempt}`;
      const data: EvaluationJob = { ...template, trial: context.trial, seed: context.seed, genome: [...genome] };
      progressHandlers.set(jobId, (p) => context.progress(p.fraction, p.message));
      const job = await queue.add('evaluate', data, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: 1000, removeOnFail: 1000 });
      const onAbort = () => {
        void job.remove().catch(() => publisher.publish(cancelChannel(settings.name), jobId));
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await job.waitUntilFinished(events);
        context.log(`evaluated by ${result.worker}`);
        return result.metrics;
      } catch (e) {
        if (context.signal.aborted) throw new CancelledError();
        throw new NasError('failed', `queue job ${jobId} failed: ${(e as Error).message}`);
      } finally {
        context.signal.removeEventListener('abort', onAbort);
        progressHandlers.delete(jobId);
      }
    },
    async dispose() {
      await events.close();
      await queue.close();
      publisher.disconnect();
      connection.disconnect();
    },
  };
}
