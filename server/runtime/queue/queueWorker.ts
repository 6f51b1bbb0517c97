import { mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import type { BackendChoice } from '../../../contract/backends';
import { CancelledError, NasError } from '../../core/errors';
import type { Evaluator } from '../../core/evaluator';
import { evaluators, spaces } from '../../experiment/registry';
import { optionsOf } from '../../experiment/spec';
import { connectRedis } from './redisConnection';
import { cancelChannel, type EvaluationJob, type EvaluationResult } from './queueProtocol';

export interface WorkerSettings {
  readonly redis: string;
  readonly queue: string;
  /** Jobs evaluated at once by this process. */
  readonly concurrency: number;
  /** TensorFlow.js backend preference (--backend) for evaluators whose options say 'auto'. */
  readonly backend: BackendChoice;
  log(message: string): void;
}

export interface QueueWorkerHandle {
  /** Finishes or cancels the jobs in hand and disconnects. */
  close(): Promise<void>;
}

/**
 * A `nas-studio worker`: takes evaluation jobs from a BullMQ queue, builds the job's space and
 * evaluator from the registries (once per experiment) and returns the metrics.
 */
export async function startQueueWorker(settings: WorkerSettings): Promise<QueueWorkerHandle> {
  const connection = await connectRedis(settings.redis);
  const subscriber = connection.duplicate();
  const me = `${hostname()}:${process.pid}`;
  const cache = new Map<string, Promise<Evaluator>>();

  const evaluatorFor = (job: EvaluationJob): Promise<Evaluator> => {
    const key = JSON.stringify([job.experiment, job.space, job.evaluator, job.baseDir, job.experimentSeed]);
    let evaluator = cache.get(key);
    if (!evaluator) {
      const spaceDef = spaces.find((s) => s.type === job.space.type);
      const evaluatorDef = evaluators.find((e) => e.type === job.evaluator.type);
      if (!spaceDef || !evaluatorDef) throw new NasError('invalid-request', `this worker does not know space "${job.space.type}" or evaluator "${job.evaluator.type}"`);
      const workDir = join(tmpdir(), 'nas-studio-worker', job.experiment.replace(/[^\w.-]/g, '_'));
      mkdirSync(workDir, { recursive: true });
      evaluator = evaluatorDef.create(optionsOf(job.evaluator), {
        space: spaceDef.create(optionsOf(job.space)),
        baseDir: job.baseDir,
        workDir,
        seed: job.experimentSeed,
        metrics: job.metrics,
        backend: settings.backend,
        log: (m) => settings.log(`${job.experiment}: ${m}`),
      });
      evaluator.catch(() => cache.delete(key));
      cache.set(key, evaluator);
    }
    return evaluator;
  };

  const worker = new Worker<EvaluationJob, EvaluationResult>(
    settings.queue,
    async (job: Job<EvaluationJob, EvaluationResult>, _token?: string, signal?: AbortSignal) => {
      const data = job.data;
      settings.log(`job ${job.id}: ${data.experiment} trial ${data.trial}`);
      const evaluator = await evaluatorFor(data);
      try {
        const metrics = await evaluator.evaluate(data.genome, {
          signal: signal ?? new AbortController().signal,
          seed: data.seed,
          trial: data.trial,
          progress: (fraction, message) => void job.updateProgress({ fraction, message: message ?? '' }),
          log: (m) => settings.log(`job ${job.id}: ${m}`),
        });
        return { metrics, worker: me };
      } catch (e) {
        if (e instanceof CancelledError) settings.log(`job ${job.id}: cancelled`);
        throw e;
      }
    },
    { connection: connection.duplicate(), concurrency: settings.concurrency, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 2 },
  );
  worker.on('error', (e) => settings.log(`worker error: ${e.message}`));
  await worker.waitUntilReady();
  await subscriber.subscribe(cancelChannel(settings.queue));
  subscriber.on('message', (_channel, jobId: string) => {
    if (worker.cancelJob(jobId, 'cancelled by the experiment')) settings.log(`job ${jobId}: cancel requested`);
  });
  settings.log(`worker ${me} listening on queue "${settings.queue}" at ${settings.redis} (concurrency ${settings.concurrency})`);

  return {
    async close() {
      await worker.close();
      for (const evaluator of cache.values()) await (await evaluator.catch(() => undefined))?.dispose();
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}
