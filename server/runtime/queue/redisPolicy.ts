/**
 * How long a run or a worker waits for Redis and how it retries. The defaults are documented in
 * docs/reliability.md ("Distributed runs"); tests pass shorter ones.
 */
export interface RedisPolicy {
  /** At startup, connecting plus the first PING (and the database check) must finish within this. */
  readonly connectTimeoutMs: number;
  /** A PING or a non-blocking command (adding a job, reading its state) fails after this. */
  readonly commandTimeoutMs: number;
  /** While Redis answers, it is PINGed this often. */
  readonly heartbeatMs: number;
  /** Retries after Redis stops answering, each logged as "retrying (k/N)", before giving up. */
  readonly retries: number;
  /** The delay before retry k doubles from this... */
  readonly firstRetryDelayMs: number;
  /** ...up to this. */
  readonly maxRetryDelayMs: number;
}

/**
 * Retries span 31.5 s of delays (0.5, 1, 2, then 4 s): about half a minute when Redis refuses
 * connections, about a minute when it accepts them but never answers (each PING waits 3 s).
 */
export const DEFAULT_REDIS_POLICY: RedisPolicy = {
  connectTimeoutMs: 5000,
  commandTimeoutMs: 3000,
  heartbeatMs: 2000,
  retries: 10,
  firstRetryDelayMs: 500,
  maxRetryDelayMs: 4000,
};

/** Delay before retry `k` (1-based); also the reconnect delay of every connection after `k` failed attempts. */
export function retryDelayMs(policy: RedisPolicy, k: number): number {
  return Math.min(policy.maxRetryDelayMs, policy.firstRetryDelayMs * 2 ** Math.max(0, k - 1));
}

