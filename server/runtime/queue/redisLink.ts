import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { UnavailableError, errorMessage } from '../../core/errors';
import { DEFAULT_REDIS_POLICY, retryDelayMs, type RedisPolicy } from './redisPolicy';
import { RedisConfigError, type RedisAddress } from './redisUrl';

/**
 * A process's tie to one Redis server: it hands out the ioredis connections BullMQ runs on and
 * decides, alone, when Redis counts as gone. The connections reconnect on their own without
 * limit and stay quiet; a heartbeat PINGs Redis, logs each retry once ("Redis at … unreachable,
 * retrying (k/N)…") and, after the last one, aborts `lost` with an UnavailableError.
 */
export class RedisLink {
  /** Aborted, with an UnavailableError as its reason, once Redis stayed unreachable through every retry. */
  readonly lost: AbortSignal;
  private readonly lose = new AbortController();
  private readonly stop = new AbortController();
  private readonly connections = new Set<Redis>();
  private readonly restoredListeners = new Set<() => void>();
  /** Waiting for the next successful PING (see answering()). */
  private answerWaiters: (() => void)[] = [];
  /** The last connection error of the heartbeat's connection, for messages. */
  private lastError = '';
  /** Failed PINGs in a row. */
  private failures = 0;

  private constructor(
    readonly address: RedisAddress,
    readonly policy: RedisPolicy,
    private readonly log: (message: string) => void,
    private readonly heartbeat: Redis,
  ) {
    this.lost = this.lose.signal;
    heartbeat.on('error', (e: Error) => (this.lastError = e.message));
    void this.watch();
  }

  /**
   * Connects and checks the server within `policy.connectTimeoutMs`: it answers PING and has the
   * URL's database. Throws RedisConfigError when the server rejects the address (no such
   * database, authentication), UnavailableError when it cannot be reached or does not answer.
   */
  static async open(address: RedisAddress, log: (message: string) => void, policy: RedisPolicy = DEFAULT_REDIS_POLICY): Promise<RedisLink> {
    let started = false;
    const heartbeat = new Redis(address.url, {
      ...connectionOptions(policy),
      // A PING while disconnected fails at once instead of queueing: the heartbeat counts it.
      enableOfflineQueue: false,
      commandTimeout: policy.commandTimeoutMs,
      // One attempt at startup (the error says why); after that, reconnect like every connection.
      retryStrategy: (times) => (started ? retryDelayMs(policy, times) : null),
    });
    // ioredis reports a rejected handshake (SELECT of a missing database, AUTH) only as an
    // 'error' event and then carries on in database 0: collect them to fail instead.
    const handshakeErrors: Error[] = [];
    const onError = (e: Error) => handshakeErrors.push(e);
    heartbeat.on('error', onError);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${policy.connectTimeoutMs / 1000} s (is it a Redis server, and is the port right?)`)), policy.connectTimeoutMs);
    });
    try {
      await Promise.race([heartbeat.connect().then(() => heartbeat.ping()), timeout]);
      const rejected = handshakeErrors.find(isReplyError);
      if (rejected) throw rejected;
    } catch (e) {
      // A command still pending (the ready check) fails later: keep that out of the console.
      heartbeat.on('error', () => undefined);
      heartbeat.disconnect();
      const cause = handshakeErrors.find(isReplyError) ?? (e as Error);
      if (isReplyError(cause) && !isTransientReply(cause)) throw new RedisConfigError(configProblem(address, cause.message));
      throw new UnavailableError(`cannot reach Redis at ${address.display}: ${reason(cause, handshakeErrors)}`);
    } finally {
      clearTimeout(timer);
      heartbeat.off('error', onError);
    }
    started = true;
    return new RedisLink(address, policy, log, heartbeat);
  }

  /**
   * A new, not yet connected ioredis connection for BullMQ. It waits through outages (BullMQ
   * needs `maxRetriesPerRequest: null`); the heartbeat decides when to give up. `blocking`
   * connections get no command timeout: BullMQ blocks on them for up to 10 s at a time.
   */
  connection(kind: 'commands' | 'blocking'): Redis {
    return new LinkedRedis(
      this.address.url,
      { ...connectionOptions(this.policy), maxRetriesPerRequest: null, ...(kind === 'commands' ? { commandTimeout: this.policy.commandTimeoutMs } : {}) },
      (connection) => this.adopt(connection),
    );
  }

  /** A handler for BullMQ 'error' events: logged, except connection errors (the heartbeat reports outages once). */
  errorLogger(label: string): (error: Error) => void {
    return (error) => {
      if (this.reachable && !isConnectionError(error)) this.log(`${label} error: ${error.message}`);
    };
  }

  /** Calls `listener` whenever Redis answers again after failed PINGs; returns the unsubscribe. */
  onRestored(listener: () => void): () => void {
    this.restoredListeners.add(listener);
    return () => this.restoredListeners.delete(listener);
  }

  /** `work`, or a rejection with the link's UnavailableError once Redis is lost. */
  whileReachable<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const lost = () => reject(this.lost.reason as UnavailableError);
      if (this.lost.aborted) return lost();
      this.lost.addEventListener('abort', lost, { once: true });
      work.then(resolve, reject).then(() => this.lost.removeEventListener('abort', lost));
    });
  }

  /** Resolves at the next successful PING (never, if Redis is lost: race it with `lost`). */
  answering(): Promise<void> {
    return new Promise((resolve) => this.answerWaiters.push(resolve));
  }

  /** Whether the last PING succeeded. */
  get reachable(): boolean {
    return this.failures === 0 && !this.lost.aborted;
  }

  /** Stops the heartbeat and drops every connection at once (nothing waits for an absent server). */
  close(): void {
    this.stop.abort();
    this.heartbeat.disconnect();
    for (const connection of this.connections) connection.disconnect();
    this.connections.clear();
  }

  private adopt(connection: Redis): void {
    // Outages are reported once, by the heartbeat, not by every connection (and a connection
    // BullMQ has let go of must not print "Unhandled error event").
    connection.on('error', () => undefined);
    this.connections.add(connection);
  }

  private async watch(): Promise<void> {
    const { retries } = this.policy;
    for (;;) {
      try {
        await sleep(this.failures === 0 ? this.policy.heartbeatMs : retryDelayMs(this.policy, this.failures), undefined, { signal: this.stop.signal });
      } catch {
        return; // close() aborted the sleep
      }
      try {
        await this.heartbeat.ping();
        const waiters = this.answerWaiters;
        this.answerWaiters = [];
        waiters.forEach((resolve) => resolve());
        if (this.failures > 0) {
          this.failures = 0;
          this.log(`Redis at ${this.address.display} is back`);
          for (const listener of this.restoredListeners) listener();
        }
      } catch (e) {
        if (this.stop.signal.aborted) return;
        const why = this.heartbeat.status === 'ready' ? errorMessage(e) : this.lastError || 'connection lost';
        if (this.failures === retries) {
          this.lose.abort(new UnavailableError(`Redis at ${this.address.display} unreachable, gave up after ${retries} retries (${why})`));
          return;
        }
        this.failures++;
        this.log(`Redis at ${this.address.display} unreachable, retrying (${this.failures}/${retries})… (${why})`);
      }
    }
  }
}

/**
 * An ioredis connection whose copies belong to the same link: BullMQ duplicates the connection
 * it is given (QueueEvents, a Worker's blocking connection), and closing the link must close
 * those too, or a process whose Redis is gone would never exit.
 */
class LinkedRedis extends Redis {
  constructor(
    url: string,
    options: RedisOptions,
    private readonly adopt: (connection: Redis) => void,
  ) {
    super(url, options);
    adopt(this);
  }

  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = super.duplicate(override);
    this.adopt(copy);
    return copy;
  }
}

function connectionOptions(policy: RedisPolicy): RedisOptions {
  return { lazyConnect: true, connectTimeout: policy.connectTimeoutMs, retryStrategy: (times) => retryDelayMs(policy, times) };
}

/** An error reply from the Redis server (as opposed to a network or client-side failure). */
function isReplyError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'ReplyError';
}

/** Replies that say "not now" (loading the dataset, a busy script, a replica without master): worth retrying. */
function isTransientReply(e: Error): boolean {
  return /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN)\b/.test(e.message);
}

function configProblem(address: RedisAddress, reply: string): string {
  if (/DB index is out of range/i.test(reply)) {
    return `Redis at ${address.display} has no database ${address.db} (${reply}); use a number below the server's "databases" setting (16 unless configured)`;
  }
  return `Redis at ${address.display} refused the connection: ${reply}`;
}

/** Errors that only say the connection is down or closing (the heartbeat says it better, once). */
function isConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (code !== undefined && /^E[A-Z]+$/.test(code)) ||
    /Connection is closed|Command timed out|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/.test(error.message)
  );
}

/** Why a connection attempt failed, in words (the last connection error says more than "Connection is closed."). */
function reason(cause: Error, events: readonly Error[]): string {
  const network = events.at(-1) ?? cause;
  const code = (network as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `connection refused (is redis-server running there? ${network.message})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${network.message})`;
  return network.message;
}
