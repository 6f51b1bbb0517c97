import { NasError } from '../../core/errors';
import { QueueJobs } from './queueJobs';
import { deviceNameProblem, deviceQueue, type LatencyJob, type LatencyResult } from './queueProtocol';
import { RedisLink } from './redisLink';
import type { RedisPolicy } from './redisPolicy';
import { parseRedisUrl } from './redisUrl';

/** Where a device's workers listen: the Redis server and queue they were started with, and the device name. */
export interface DeviceSettings {
  readonly redis: string;
  readonly queue: string;
  readonly device: string;
}

export function checkDeviceName(device: string): void {
  const problem = deviceNameProblem(device);
  if (problem) throw new NasError('invalid-request', problem);
}

/**
 * Latency measured on a named device (`nas-studio worker --device NAME` running there): each
 * measurement is a job on that device's own queue, so only its workers take it, with the
 * queue's guarantees (a worker that dies hands the job to another worker of the device; Redis
 * outages are ridden out, then reported).
 */
export class DeviceLatency {
  private constructor(
    readonly device: string,
    private readonly jobs: QueueJobs<LatencyJob, LatencyResult>,
  ) {}

  /** Throws RedisConfigError (bad URL), UnavailableError (Redis unreachable) or NasError (bad device name). */
  static async open(settings: DeviceSettings, log: (message: string) => void, policy?: RedisPolicy): Promise<DeviceLatency> {
    checkDeviceName(settings.device);
    const link = await RedisLink.open(parseRedisUrl(settings.redis), log, policy);
    const jobs = new QueueJobs<LatencyJob, LatencyResult>(deviceQueue(settings.queue, settings.device), 'latency', link);
    try {
      await jobs.ready();
    } catch (e) {
      await jobs.dispose();
      throw e;
    }
    return new DeviceLatency(settings.device, jobs);
  }

  /** Measures on the device; `label` and `key` name the measurement in messages and job ids. */
  measure(job: LatencyJob, what: { readonly label: string; readonly key: string; readonly signal: AbortSignal; log(m: string): void; progress?(fraction: number, message: string): void }): Promise<LatencyResult> {
    return this.jobs.run(job, { ...what, progress: what.progress ?? (() => undefined) });
  }

  dispose(): Promise<void> {
    return this.jobs.dispose();
  }
}
