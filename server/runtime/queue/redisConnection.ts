import { Redis } from 'ioredis';
import { NasError } from '../../core/errors';

/**
 * An ioredis connection as BullMQ needs it (no per-request retry limit). Connection problems
 * surface as one clear error instead of endless retries.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: (n) => (n > 3 ? null : 200 * n) });
  redis.on('error', () => undefined); // reported through connect()/commands below
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new NasError('unavailable', `cannot reach Redis at ${url}: ${(e as Error).message}`);
  }
  return redis;
}
