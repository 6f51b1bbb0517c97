import type { Metrics } from '../../../contract/metrics';
import type { Component } from '../../experiment/spec';

/** Where an experiment sends its evaluations when it runs on a queue (spec `execution.queue`). */
export interface QueueSettings {
  /** redis:// or rediss:// URL of the Redis server BullMQ runs on. */
  readonly redis: string;
  /** Queue name; workers must listen on the same one. */
  readonly name: string;
  /** Evaluations the experiment keeps in flight (the workers decide how many run where). */
  readonly concurrency: number;
}

/** One evaluation, self-contained: a worker on another machine rebuilds space and evaluator from it. */
export interface EvaluationJob {
  readonly experiment: string;
  readonly trial: number;
  readonly seed: number;
  readonly genome: readonly number[];
  readonly space: Component;
  readonly evaluator: Component;
  /** Folder relative paths in the evaluator options resolve against (shared storage, or the same paths on every machine). */
  readonly baseDir: string;
  readonly experimentSeed: number;
  readonly metrics: readonly string[];
}

export interface EvaluationResult {
  readonly metrics: Metrics;
  /** `host:pid` of the worker that evaluated it. */
  readonly worker: string;
}

/** Progress a worker reports for a job (BullMQ job progress). */
export interface EvaluationProgress {
  readonly fraction: number;
  readonly message: string;
}

/** Redis pub/sub channel on which experiments ask workers to cancel running jobs (payload: job id). */
export function cancelChannel(queue: string): string {
  return `nas-studio:${queue}:cancel`;
}

export const DEFAULT_QUEUE = 'nas-studio';

/**
 * A job whose worker stops renewing its lock (killed, out of memory, cut off from Redis) is put
 * back on the queue this many times (BullMQ `maxStalledCount`); the next stall fails it with
 * STALLED_TOO_OFTEN. So a trial loses at most MAX_STALLS + 1 workers before the run stops.
 */
export const MAX_STALLS = 2;

/** BullMQ's failure reason for a job that stalled more than MAX_STALLS times. */
export const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

/**
 * How often an experiment gives one trial to the queue when its job disappears from Redis
 * (Redis restarted without persistence, or evicted keys) before the run stops.
 */
export const MAX_SUBMISSIONS = 3;
