import { hostname } from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelledError, NasError, SpecError, UnavailableError, errorMessage } from '../../core/errors';
import type { Metrics } from '../../../contract/metrics';
import type { Evaluator, EvaluationContext } from '../../core/evaluator';
import type { Genome } from '../../core/searchSpace';
import { RedisLink } from './redisLink';
import type { RedisPolicy } from './redisPolicy';
import { parseRedisUrl, RedisConfigError } from './redisUrl';
import {
  cancelChannel,
  MAX_STALLS,
  MAX_SUBMISSIONS,
  STALLED_TOO_OFTEN,
  type EvaluationJob,
  type EvaluationProgress,
  type EvaluationResult,
  type QueueSettings,
} from './queueProtocol';

/** What the experiment contributes to every job besides the genome. */
export type JobTemplate = Omit<EvaluationJob, 'trial' | 'seed' | 'genome'>;

/** Where the Redis URL sits in a spec, for errors about it. */
const REDIS_SPEC_PATH = ['execution', 'queue', 'redis'];

/** Jobs are also checked this often (besides their events), so a lost event or a vanished job cannot hang a trial. */
const RECONCILE_MS = 10_000;

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

/** How a job left the queue, as far as the experiment can tell. */
type JobOutcome =
  | { readonly kind: 'completed'; readonly result: EvaluationResult }
  | { readonly kind: 'failed'; readonly reason: string }
  /** Redis no longer knows the job: it restarted without its data or evicted the keys. */
  | { readonly kind: 'vanished' };

interface PendingJob {
  /** Set once `queue.add` returned: from then on a job Redis does not know has vanished. */
  submitted: boolean;
  settle(outcome: JobOutcome): void;
  progress(p: EvaluationProgress): void;
  /** BullMQ found the job's worker gone and put the job back on the queue. */
  stalled(): void;
}

class QueueEvaluator implements Evaluator {
  readonly concurrency: number;
  private readonly queue: Queue<EvaluationJob, EvaluationResult>;
  private readonly events: QueueEvents;
  private readonly publisher: Redis;
  private readonly pending = new Map<string, PendingJob>();
  /** Aborted by dispose(): every pending evaluation stops. */
  private readonly closing = new AbortController();
  /** Remote cancellations in flight (dispose waits for them while Redis answers). */
  private readonly cancellations = new Set<Promise<unknown>>();
  private readonly reconcileTimer: NodeJS.Timeout;
  private readonly stopReconcilingOnRestore: () => void;
  private reconciling = false;
  private submissions = 0;

  constructor(
    private readonly settings: QueueSettings,
    private readonly template: JobTemplate,
    readonly metrics: readonly string[],
    private readonly link: RedisLink,
  ) {
    this.concurrency = settings.concurrency;
    this.queue = new Queue(settings.name, { connection: link.connection('commands') });
    this.events = new QueueEvents(settings.name, { connection: link.connection('blocking') });
    this.publisher = link.connection('commands');
    this.queue.on('error', link.errorLogger('queue'));
    this.events.on('error', link.errorLogger('queue events'));
    this.events.on('completed', ({ jobId, returnvalue }) => this.pending.get(jobId)?.settle({ kind: 'completed', result: returnvalue as unknown as EvaluationResult }));
    this.events.on('failed', ({ jobId, failedReason }) => this.pending.get(jobId)?.settle({ kind: 'failed', reason: failedReason }));
    this.events.on('progress', ({ jobId, data }) => this.pending.get(jobId)?.progress(data as EvaluationProgress));
    this.events.on('stalled', ({ jobId }) => this.pending.get(jobId)?.stalled());
    this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.stopReconcilingOnRestore = link.onRestored(() => void this.reconcile());
  }

  /** Resolves once the queue and its event stream are connected (or rejects when Redis is lost first). */
  ready(): Promise<unknown> {
    return this.untilStopped(Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]), this.closing.signal);
  }

  async evaluate(genome: Genome, context: EvaluationContext): Promise<Metrics> {
    const data: EvaluationJob = { ...this.template, trial: context.trial, seed: context.seed, genome: [...genome] };
    for (let submission = 1; ; submission++) {
      const outcome = await this.runJob(data, context);
      if (outcome.kind === 'completed') {
        context.log(`evaluated by ${outcome.result.worker}`);
        return outcome.result.metrics;
      }
      if (outcome.kind === 'failed') {
        if (outcome.reason === STALLED_TOO_OFTEN) {
          throw new UnavailableError(
            `trial ${data.trial}: ${MAX_STALLS + 1} workers stopped responding while evaluating it (killed, out of memory, or cut off from Redis); ` +
              'the run stops here and resuming it evaluates the trial again',
          );
        }
        throw new NasError('failed', `the worker failed: ${outcome.reason}`);
      }
      if (submission === MAX_SUBMISSIONS) {
        throw new UnavailableError(
          `trial ${data.trial}: its job vanished from Redis ${MAX_SUBMISSIONS} times (Redis restarted without persistence, or evicts keys: set maxmemory-policy noeviction); ` +
            'the run stops here and resuming it evaluates the trial again',
        );
      }
      context.log(`its job vanished from Redis (restarted without its data?); queueing it again (${submission + 1}/${MAX_SUBMISSIONS})`);
    }
  }

  /** Queues one job for the trial and waits for its outcome; a stopped wait cancels the job. */
  private async runJob(data: EvaluationJob, context: EvaluationContext): Promise<JobOutcome> {
    // Unique per submission: a resumed experiment or a vanished job is queued as a new job.
    const jobId = `${data.experiment}-t${data.trial}-p${process.pid}-a${++this.submissions}`;
    let settled = false;
    let stalls = 0;
    const outcome = new Promise<JobOutcome>((resolve) => {
      this.pending.set(jobId, {
        submitted: false,
        settle: (o) => {
          settled = true;
          resolve(o);
        },
        progress: (p) => context.progress(p.fraction, p.message),
        stalled: () => context.log(`its worker stopped responding (${++stalls}/${MAX_STALLS + 1}); the job goes back on the queue`),
      });
    });
    try {
      await this.submit(jobId, data, context.signal);
      this.pending.get(jobId)!.submitted = true;
      return await this.untilStopped(outcome, context.signal);
    } finally {
      this.pending.delete(jobId);
      // dispose() cancels the jobs it cuts off itself.
      if (!settled && !this.closing.signal.aborted) this.cancelRemote(jobId);
    }
  }

  /**
   * Adds the job. Adding fails only for infrastructure reasons (Redis away or out of memory), so
   * a failed add is retried once Redis answers again, up to the policy's retries; adding the
   * same job id twice never queues it twice.
   */
  private async submit(jobId: string, data: EvaluationJob, signal: AbortSignal): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        await this.untilStopped(this.queue.add('evaluate', data, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: 1000, removeOnFail: 1000 }), signal);
        return;
      } catch (e) {
        if (e instanceof CancelledError || e instanceof UnavailableError) throw e;
        if (failures > this.link.policy.retries) {
          throw new UnavailableError(`cannot queue trial ${data.trial} on Redis at ${this.link.address.display}: ${errorMessage(e)}`);
        }
        await this.untilStopped(this.link.answering(), signal);
      }
    }
  }

  /**
   * `work`, unless the evaluation is stopped first: CancelledError when the user or dispose()
   * stops it, the link's UnavailableError when Redis stayed unreachable through every retry.
   */
  private untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    const signals = [signal, this.closing.signal, this.link.lost];
    return new Promise<T>((resolve, reject) => {
      const stop = () => {
        cleanup();
        reject(signal.aborted || this.closing.signal.aborted ? new CancelledError() : (this.link.lost.reason as UnavailableError));
      };
      const cleanup = () => signals.forEach((s) => s.removeEventListener('abort', stop));
      if (signals.some((s) => s.aborted)) return stop();
      signals.forEach((s) => s.addEventListener('abort', stop, { once: true }));
      work.then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    });
  }

  /** A waiting job is removed; a running one is locked, so its worker is asked to stop it. */
  private cancelRemote(jobId: string): void {
    const cancellation = this.queue
      .remove(jobId)
      .then((removed) => (removed ? undefined : this.publisher.publish(cancelChannel(this.settings.name), jobId)))
      .catch(() => undefined) // best effort: a job nobody waits for is only wasted work
      .finally(() => this.cancellations.delete(cancellation));
    this.cancellations.add(cancellation);
  }

  /**
   * Settles pending jobs from Redis's own state, for what events cannot tell: a job that
   * vanished (Redis restarted empty) or an event missed while the connection was down.
   */
  private async reconcile(): Promise<void> {
    if (this.reconciling || !this.link.reachable) return;
    this.reconciling = true;
    try {
      for (const [jobId, job] of this.pending) {
        if (!job.submitted) continue;
        const state = await this.queue.getJobState(jobId);
        if (state === 'unknown') job.settle({ kind: 'vanished' });
        if (state !== 'completed' && state !== 'failed') continue; // still queued or running
        const finished = await this.queue.getJob(jobId);
        if (!finished) job.settle({ kind: 'vanished' });
        else if (state === 'completed') job.settle({ kind: 'completed', result: finished.returnvalue });
        else job.settle({ kind: 'failed', reason: finished.failedReason });
      }
    } catch {
      // Redis went away mid-check: the heartbeat reports it, the next round checks again.
    } finally {
      this.reconciling = false;
    }
  }

  async dispose(): Promise<void> {
    clearInterval(this.reconcileTimer);
    this.stopReconcilingOnRestore();
    for (const [jobId, job] of this.pending) if (job.submitted) this.cancelRemote(jobId);
    this.closing.abort();
    // Cancellations are bounded by the command timeout; with Redis gone there is nothing to tell.
    if (this.link.reachable) await Promise.all(this.cancellations);
    // Dropping the connections first means closing never waits for an absent server.
    this.link.close();
    await this.events.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}
