import type { Metrics } from '../../../contract/metrics';
import type { EpochPoint } from '../../../contract/trialCurve';
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
  /** The trial's learning curve (evaluators that train): kept with the result, as progress events are best effort. */
  readonly curve?: readonly EpochPoint[];
}

/** Progress a worker reports for a job (BullMQ job progress); with the epoch that just ended, if one did. */
export interface EvaluationProgress {
  readonly fraction: number;
  readonly message: string;
  readonly epoch?: EpochPoint;
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

/** Device names (`nas-studio worker --device NAME`): what latency jobs are routed by. */
const DEVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** What is wrong with a device name, if anything. */
export function deviceNameProblem(device: string): string | undefined {
  return DEVICE_NAME_PATTERN.test(device) ? undefined : `device name "${device}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`;
}

/**
 * The queue a device's workers serve: one per device, so a latency job only ever reaches a
 * worker on the device it names (BullMQ queue names cannot hold ':').
 */
export function deviceQueue(queue: string, device: string): string {
  return `${queue}-device-${device}`;
}

/** A latency measurement for one device: a whole latency table, or one network end to end. */
export type LatencyJob =
  | { readonly kind: 'table'; readonly resolutions: readonly number[]; readonly repeats?: number; readonly warmup?: number }
  /** An OFA MobileNetV3 sub-network, random weights (what `lut --validate` checks tables against). */
  | { readonly kind: 'ofa-network'; readonly arch: { readonly ks: readonly number[]; readonly e: readonly number[]; readonly d: readonly number[]; readonly r: number }; readonly repeats?: number; readonly warmup?: number }
  /** A TF.js Layers model topology (model.json's `modelTopology`), random weights, batch 1. */
  | { readonly kind: 'model'; readonly topology: unknown; readonly inputShape: readonly number[]; readonly repeats: number };

export interface LatencyResult {
  /** Milliseconds (networks, models). */
  readonly ms?: number;
  /** Per resolution, the table's entries by layer key (tables). */
  readonly tables?: readonly (readonly [number, readonly (readonly [string, { mean: number; std?: number; count?: number }])[]])[];
  /** The TensorFlow.js backend the device measured on. */
  readonly backend: string;
  /** `host:pid` of the worker, and its device name. */
  readonly worker: string;
  readonly device: string;
}
