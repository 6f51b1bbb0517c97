import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_REDIS_POLICY, retryDelayMs } from '../../../server/runtime/queue/redisPolicy';
import { parseRedisUrl, RedisConfigError } from '../../../server/runtime/queue/redisUrl';

test('valid Redis URLs parse with their database number; passwords are hidden in the display form', () => {
  assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6379'), { url: 'redis://127.0.0.1:6379', display: 'redis://127.0.0.1:6379', db: 0 });
  assert.deepEqual(parseRedisUrl('redis://cache.internal'), { url: 'redis://cache.internal', display: 'redis://cache.internal', db: 0 });
  assert.equal(parseRedisUrl('redis://127.0.0.1:6379/').db, 0);
  assert.equal(parseRedisUrl('rediss://host:6380/15').db, 15);
  assert.equal(parseRedisUrl('redis://[::1]:6379/2').db, 2);
  assert.equal(parseRedisUrl('REDIS://host:1').db, 0);
  assert.equal(parseRedisUrl('redis://host:65535?family=6').db, 0);
  assert.equal(parseRedisUrl('redis://:s3cret@host:6379/1').display, 'redis://:***@host:6379/1');
  assert.equal(parseRedisUrl('redis://alice:s3cret@host:6379').display, 'redis://alice:***@host:6379');
  assert.equal(parseRedisUrl('redis://alice@host').display, 'redis://alice@host');
});

test('malformed Redis URLs are rejected with what is wrong, never a bare "Invalid URL"', () => {
  const cases: [string, string][] = [
    ['redis://127.0.0.1:99999', '"redis://127.0.0.1:99999": the port must be a number from 1 to 65535, got "99999"'],
    ['redis://127.0.0.1:0', '"redis://127.0.0.1:0": the port must be a number from 1 to 65535, got "0"'],
    ['redis://host:6379x', '"redis://host:6379x": the port must be a number from 1 to 65535, got "6379x"'],
    ['redis://[::1]:70000', '"redis://[::1]:70000": the port must be a number from 1 to 65535, got "70000"'],
    ['redis://:pw@host:123456/0', '"redis://:***@host:123456/0": the port must be a number from 1 to 65535, got "123456"'],
    ['127.0.0.1:6379', '"127.0.0.1:6379" is not a Redis URL: it must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379 or rediss://:password@host:6380/1)'],
    ['http://host:6379', '"http://host:6379" is not a Redis URL: it must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379 or rediss://:password@host:6380/1)'],
    ['redis://', '"redis://" names no host (e.g. redis://127.0.0.1:6379 or rediss://:password@host:6380/1)'],
    ['redis://host:6379/one', '"redis://host:6379/one": the path must be a database number such as /0, got "/one"'],
    ['redis://host:6379/1/2', '"redis://host:6379/1/2": the path must be a database number such as /0, got "/1/2"'],
    ['redis://ho st:6379', '"redis://ho st:6379" is not a valid URL (e.g. redis://127.0.0.1:6379 or rediss://:password@host:6380/1)'],
  ];
  for (const [url, message] of cases) {
    assert.throws(
      () => parseRedisUrl(url),
      (e: unknown) => e instanceof RedisConfigError && e.message === message,
      url,
    );
  }
});

test('retry delays double from the first delay up to the cap; the documented defaults add up to 31.5 s', () => {
  const policy = { ...DEFAULT_REDIS_POLICY, firstRetryDelayMs: 100, maxRetryDelayMs: 1000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((k) => retryDelayMs(policy, k)), [100, 200, 400, 800, 1000, 1000]);
  let total = 0;
  for (let k = 1; k <= DEFAULT_REDIS_POLICY.retries; k++) total += retryDelayMs(DEFAULT_REDIS_POLICY, k);
  assert.equal(DEFAULT_REDIS_POLICY.retries, 10);
  assert.equal(total, 500 + 1000 + 2000 + 7 * 4000);
});
