import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EpochPoint } from '../../../contract/trialCurve';
import { CancelledError, NasError, UnavailableError, errorMessage } from '../../core/errors';
import type { RedisLink } from './redisLink';
import { cancelChannel, MAX_STALLS, MAX_SUBMISSIONS, STALLED_TOO_OFTEN, type EvaluationProgress } from './queueProtocol';

/** Jobs are also checked this often (besides their events), so a lost event or a vanished job cannot hang a wait. */
const RECONCILE_MS = 10_000;

/** What one job's wait needs from its caller: a stop signal, a name for messages, logging and progress. */
export interface JobContext {
  readonly signal: AbortSignal;
  /** How messages name the job's subject: "trial 3", "network 5". */
  readonly label: string;
  /** Unique within the run: part of the job id ("<run>-t3"). */
  readonly key: string;
  log(message: string): void;
  progress(fraction: number, message: string): void;
  /** A point of the job's learning curve, as the worker reports it. */
  epoch?(point: EpochPoint): void;
}

/** How a job left the queue, as far as the experiment can tell. */
type JobOutcome<R = unknown> =
  | { readonly kind: 'completed'; readonly result: R }
  | { readonly kind: 'failed'; readonly reason: string }
  /** Redis no longer knows the job: it restarted without its data or evicted the keys. */
  | { readonly kind: 'vanished' };

interface PendingJob<R> {
  /** Set once `queue.add` returned: from then on a job Redis does not know has vanished. */
  submitted: boolean;
  settle(outcome: JobOutcome<R>): void;
  progress(p: EvaluationProgress): void;
  /** BullMQ found the job's worker gone and put the job back on the queue. */
  stalled(): void;
}

/**
 * Jobs on one BullMQ queue, each awaited to its end: a job whose worker dies goes back on the
 * queue (BullMQ stalls, at most MAX_STALLS times), a job that vanished from Redis is queued
 * again (at most MAX_SUBMISSIONS times), a stopped wait removes or cancels the job, and Redis
 * unreachable through every retry fails the wait with an UnavailableError.
 */
export class QueueJobs<J, R> {
  private readonly queue: Queue<J, R>;
  private readonly events: QueueEvents;
  private readonly publisher: Redis;
  private readonly pending = new Map<string, PendingJob<R>>();
  /** Aborted by dispose(): every pending evaluation stops. */
  private readonly closing = new AbortController();
  /** Remote cancellations in flight (dispose waits for them while Redis answers). */
  private readonly cancellations = new Set<Promise<unknown>>();
  private readonly reconcileTimer: NodeJS.Timeout;
  private readonly stopReconcilingOnRestore: () => void;
  private reconciling = false;
  private submissions = 0;

  constructor(
    private readonly name: string,
    private readonly jobName: string,
    private readonly link: RedisLink,
  ) {
    this.queue = new Queue(name, { connection: link.connection('commands') });
    this.events = new QueueEvents(name, { connection: link.connection('blocking') });
    this.publisher = link.connection('commands');
    this.queue.on('error', link.errorLogger('queue'));
    this.events.on('error', link.errorLogger('queue events'));
    this.events.on('completed', ({ jobId, returnvalue }) => this.pending.get(jobId)?.settle({ kind: 'completed', result: returnvalue as unknown as R }));
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

  /** Runs `data` on a worker and returns its result, through stalls and vanished jobs (see the class). */
  async run(data: J, context: JobContext): Promise<R> {
    for (let submission = 1; ; submission++) {
      const outcome = await this.runJob(data, context);
      if (outcome.kind === 'completed') return outcome.result;
      if (outcome.kind === 'failed') {
        if (outcome.reason === STALLED_TOO_OFTEN) {
          throw new UnavailableError(
            `${context.label}: ${MAX_STALLS + 1} workers stopped responding while evaluating it (killed, out of memory, or cut off from Redis); ` +
              `the run stops here and resuming it evaluates the ${context.label.split(' ')[0]} again`,
          );
        }
        throw new NasError('failed', `the worker failed: ${outcome.reason}`);
      }
      if (submission === MAX_SUBMISSIONS) {
        throw new UnavailableError(
          `${context.label}: its job vanished from Redis ${MAX_SUBMISSIONS} times (Redis restarted without persistence, or evicts keys: set maxmemory-policy noeviction); ` +
            `the run stops here and resuming it evaluates the ${context.label.split(' ')[0]} again`,
        );
      }
      context.log(`its job vanished from Redis (restarted without its data?); queueing it again (${submission + 1}/${MAX_SUBMISSIONS})`);
    }
  }

  /** Queues one job and waits for its outcome; a stopped wait cancels the job. */
  private async runJob(data: J, context: JobContext): Promise<JobOutcome<R>> {
    // Unique per submission: a resumed experiment or a vanished job is queued as a new job.
    const jobId = `${context.key}-p${process.pid}-a${++this.submissions}`;
    let settled = false;
    let stalls = 0;
    const outcome = new Promise<JobOutcome<R>>((resolve) => {
      this.pending.set(jobId, {
        submitted: false,
        settle: (o) => {
          settled = true;
          resolve(o);
        },
        progress: (p) => {
          context.progress(p.fraction, p.message);
          if (p.epoch) context.epoch?.(p.epoch);
        },
        stalled: () => context.log(`its worker stopped responding (${++stalls}/${MAX_STALLS + 1}); the job goes back on the queue`),
      });
    });
    try {
      await this.submit(jobId, data, context);
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
  private async submit(jobId: string, data: J, context: JobContext): Promise<void> {
    const signal = context.signal;
    for (let failures = 1; ; failures++) {
      try {
        // BullMQ's types want the job name as a literal of the data's type.
        await this.untilStopped(this.queue.add(this.jobName as never, data as never, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: 1000, removeOnFail: 1000 }), signal);
        return;
      } catch (e) {
        if (e instanceof CancelledError || e instanceof UnavailableError) throw e;
        if (failures > this.link.policy.retries) {
          throw new UnavailableError(`cannot queue ${context.label} on Redis at ${this.link.address.display}: ${errorMessage(e)}`);
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
      .then((removed) => (removed ? undefined : this.publisher.publish(cancelChannel(this.name), jobId)))
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
        else if (state === 'completed') job.settle({ kind: 'completed', result: finished.returnvalue as R });
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
