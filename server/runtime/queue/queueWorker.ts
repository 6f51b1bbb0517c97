import type { BackendChoice } from '../../../contract/backends';
import type { EpochPoint } from '../../../contract/trialCurve';
import { mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { CancelledError, NasError } from '../../core/errors';
import type { Evaluator } from '../../core/evaluator';
import { evaluators, spaces } from '../../experiment/registry';
import { optionsOf } from '../../experiment/spec';
import { RedisLink } from './redisLink';
import type { RedisPolicy } from './redisPolicy';
import type { RedisAddress } from './redisUrl';
import { runLatencyJob } from './latencyJob';
import { cancelChannel, deviceQueue, MAX_STALLS, type EvaluationJob, type EvaluationProgress, type EvaluationResult, type LatencyJob, type LatencyResult } from './queueProtocol';

export interface WorkerSettings {
  readonly redis: RedisAddress;
  readonly queue: string;
  /** Jobs evaluated at once by this process. */
  readonly concurrency: number;
  /** TensorFlow.js backend preference (--backend) for evaluators whose options say 'auto'. */
  readonly backend: BackendChoice;
  /** Serve the latency jobs of this device (its own queue) instead of evaluations. */
  readonly device?: string;
  log(message: string): void;
  readonly policy?: RedisPolicy;
}

export interface QueueWorkerHandle {
  /**
   * Aborted, with an UnavailableError as its reason, when Redis stayed unreachable through every
   * retry; the worker has then stopped its jobs (their locks expire and another worker takes
   * them over).
   */
  readonly lost: AbortSignal;
  /** Hands the jobs in progress back to the queue (for another worker) and disconnects. */
  close(): Promise<void>;
}

/**
 * A `nas-studio worker`: takes evaluation jobs from a BullMQ queue, builds the job's space and
 * evaluator from the registries (once per experiment) and returns the metrics. It outlives
 * Redis restarts: connections reconnect, and only after the link's last retry does it stop.
 * Throws RedisConfigError when Redis rejects the address, UnavailableError when it cannot be reached.
 */
export async function startQueueWorker(settings: WorkerSettings): Promise<QueueWorkerHandle> {
  const link = await RedisLink.open(settings.redis, settings.log, settings.policy);
  const me = `${hostname()}:${process.pid}`;
  const cache = new Map<string, Promise<Evaluator>>();
  /** Set when the worker stops: `handBack` when Redis answers and the jobs can be returned to the queue. */
  let stopping: { readonly handBack: boolean } | undefined;

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

  const { device } = settings;
  const queueName = device ? deviceQueue(settings.queue, device) : settings.queue;

  /** An evaluation (trial) job, or with --device a latency job, evaluated here. */
  const work = async (job: Job<EvaluationJob | LatencyJob, EvaluationResult | LatencyResult>, signal: AbortSignal): Promise<EvaluationResult | LatencyResult> => {
    // Progress is best effort: skipped while Redis is away, a failed update is not the job's failure.
    let last: EvaluationProgress = { fraction: 0, message: '' };
    const report = (update: EvaluationProgress) => {
      if (link.reachable) job.updateProgress(update).catch(() => undefined);
    };
    const progress = (fraction: number, message?: string) => {
      last = { fraction, message: message ?? '' };
      report(last);
    };
    if (device) {
      const data = job.data as LatencyJob;
      settings.log(`job ${job.id}: latency of ${data.kind === 'table' ? `a table at ${data.resolutions.join(', ')}` : data.kind === 'model' ? 'a model' : `an OFA network at r${data.arch.r}`}`);
      return runLatencyJob(data, { backend: settings.backend, signal, worker: me, device, progress });
    }
    const data = job.data as EvaluationJob;
    settings.log(`job ${job.id}: ${data.experiment} trial ${data.trial}`);
    const evaluator = await evaluatorFor(data);
    const curve: EpochPoint[] = [];
    const epoch = (point: EpochPoint) => {
      curve.push(point);
      report({ ...last, epoch: point });
    };
    const metrics = await evaluator.evaluate(data.genome, { signal, seed: data.seed, trial: data.trial, progress, epoch, log: (m) => settings.log(`job ${job.id}: ${m}`) });
    return { metrics, worker: me, ...(curve.length > 0 ? { curve } : {}) };
  };

  const worker = new Worker<EvaluationJob | LatencyJob, EvaluationResult | LatencyResult>(
    queueName,
    async (job, token?: string, signal?: AbortSignal) => {
      try {
        return await work(job, signal ?? new AbortController().signal);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (stopping) {
          // Back to the queue at once for another worker; if that fails (Redis gone) the lock
          // expires and the job is taken over as stalled. WaitingError tells BullMQ that the job
          // neither completed nor failed, so nothing more is written for it.
          const handedBack = stopping.handBack && token !== undefined && (await link.whileReachable(job.moveToWait(token)).then(() => true, () => false));
          settings.log(`job ${job.id}: ${handedBack ? 'handed back to the queue' : 'stopped'}`);
          throw new WaitingError();
        }
        settings.log(`job ${job.id}: cancelled`);
        // Not retried: the experiment that asked for it has stopped waiting.
        throw new UnrecoverableError('cancelled by the experiment');
      }
    },
    { connection: link.connection('blocking'), concurrency: settings.concurrency, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: MAX_STALLS },
  );
  worker.on('error', link.errorLogger('worker'));

  const subscriber = link.connection('blocking');
  subscriber.on('message', (_channel: string, jobId: string) => {
    if (worker.cancelJob(jobId, 'cancelled by the experiment')) settings.log(`job ${jobId}: cancel requested`);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopping = { handBack: link.reachable };
      // Closing first keeps the worker from taking new jobs while the current ones stop; without
      // Redis it must not wait for them to report back.
      const closed = worker.close(!stopping.handBack);
      worker.cancelAllJobs('worker stopping');
      // If Redis goes away meanwhile, stop waiting for the jobs to report back.
      await link.whileReachable(closed).catch(() => undefined);
      for (const evaluator of cache.values()) await (await evaluator.catch(() => undefined))?.dispose();
      link.close();
    })());
  link.lost.addEventListener('abort', () => void close(), { once: true });

  try {
    await link.whileReachable(Promise.all([worker.waitUntilReady(), subscriber.subscribe(cancelChannel(queueName))]));
  } catch (e) {
    await close();
    throw e;
  }
  settings.log(`worker ${me} listening on queue "${queueName}"${device ? ` (latency jobs of device "${device}")` : ''} at ${link.address.display} (concurrency ${settings.concurrency})`);
  return { lost: link.lost, close };
}
