// The queue's Redis handling in-process, against a real redis-server that the tests kill and
// restart, with a short retry policy so outages play out in seconds (the CLI tests in
// queue*.test.ts use the defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { CancelledError, SpecError, UnavailableError } from '../../server/core/errors';
import type { EvaluationContext } from '../../server/core/evaluator';
import { createQueueEvaluator, type JobTemplate } from '../../server/runtime/queue/queueEvaluator';
import { startQueueWorker } from '../../server/runtime/queue/queueWorker';
import { RedisLink } from '../../server/runtime/queue/redisLink';
import type { RedisPolicy } from '../../server/runtime/queue/redisPolicy';
import { parseRedisUrl, RedisConfigError } from '../../server/runtime/queue/redisUrl';
import { eventually, freePort, RedisServer, redisMissing, silentServer, tabularSpec, tempDir, waitFor } from './redisHarness';

const FAST: RedisPolicy = { connectTimeoutMs: 1000, commandTimeoutMs: 500, heartbeatMs: 100, retries: 4, firstRetryDelayMs: 100, maxRetryDelayMs: 400 };
const opts = { skip: redisMissing, timeout: 60_000 };


function context(trial: number, signal = new AbortController().signal): EvaluationContext & { logs: string[] } {
  const logs: string[] = [];
  return { signal, seed: trial, trial, progress: () => undefined, log: (m) => logs.push(m), logs };
}

/** A tabular experiment's job template (trials are instant lookups once a worker runs). */
function tabularTemplate(redis: string, queue: string): JobTemplate {
  const dir = tempDir();
  tabularSpec(dir, { redis, queue, trials: 1, concurrency: 1 });
  return { experiment: `exp-${queue}`, space: { type: 'nb201' }, evaluator: { type: 'tabular', table: 'table.csv' }, baseDir: dir, experimentSeed: 0, metrics: ['accuracy'] };
}

/** Jobs waiting for a worker on `queue`, read by a separate client. */
async function waitingJobs(redis: RedisServer, queue: string): Promise<number> {
  const inspect = new Queue(queue, { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 } });
  try {
    return await inspect.getWaitingCount();
  } finally {
    await inspect.close();
  }
}

/** Genome [a..f] scores 50 + a + ... + f in the harness's table. */
const GENOME = [1, 2, 3, 4, 0, 1];
const EXPECTED_ACCURACY = 50 + GENOME.reduce((a, b) => a + b, 0);

test('a killed Redis is retried visibly, once per retry, then the link is lost with an UnavailableError', opts, async () => {
  const redis = await RedisServer.start();
  const log: string[] = [];
  const link = await RedisLink.open(parseRedisUrl(redis.url), (m) => log.push(m), FAST);
  try {
    await redis.kill();
    await waitFor('the link to give up', () => link.lost.aborted, 20_000);
    const retries = log.filter((l) => l.includes('unreachable'));
    assert.deepEqual(
      retries.map((l) => l.slice(0, l.indexOf('…') + 1)),
      [1, 2, 3, 4].map((k) => `Redis at ${redis.url} unreachable, retrying (${k}/4)…`),
    );
    assert.match(retries[0], /ECONNREFUSED|connection lost/);
    const reason = link.lost.reason as unknown;
    assert.ok(reason instanceof UnavailableError);
    assert.match(reason.message, new RegExp(`^Redis at ${redis.url} unreachable, gave up after 4 retries`));
    assert.equal(link.reachable, false);
  } finally {
    link.close();
    await redis.kill();
  }
});

test('a Redis restart within the retries: the link says it is back, tells its listeners, and is not lost', opts, async () => {
  const redis = await RedisServer.start();
  const log: string[] = [];
  const link = await RedisLink.open(parseRedisUrl(redis.url), (m) => log.push(m), { ...FAST, retries: 50 });
  let restored = 0;
  link.onRestored(() => restored++);
  try {
    await redis.kill();
    await waitFor('a retry', () => log.some((l) => l.includes('retrying (2/50)')), 10_000);
    await redis.restart();
    await waitFor('Redis to be back', () => restored === 1, 10_000);
    assert.ok(log.includes(`Redis at ${redis.url} is back`));
    assert.equal(link.lost.aborted, false);
    assert.equal(link.reachable, true);
  } finally {
    link.close();
    await redis.kill();
  }
});

test('opening a link: a missing database, a rejected password and a refused or silent port fail at once, naming the URL', opts, async () => {
  const redis = await RedisServer.start();
  const silent = await silentServer();
  try {
    await assert.rejects(RedisLink.open(parseRedisUrl(`${redis.url}/99`), () => undefined, FAST), (e: unknown) => {
      assert.ok(e instanceof RedisConfigError);
      assert.match(e.message, new RegExp(`Redis at ${redis.url}/99 has no database 99 \\(ERR DB index is out of range\\)`));
      return true;
    });
    const refused = `redis://127.0.0.1:${await freePort()}`;
    await assert.rejects(RedisLink.open(parseRedisUrl(refused), () => undefined, FAST), (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.match(e.message, new RegExp(`^cannot reach Redis at ${refused}: connection refused`));
      return true;
    });
    await assert.rejects(RedisLink.open(parseRedisUrl(silent.url), () => undefined, FAST), (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.equal(e.message, `cannot reach Redis at ${silent.url}: no answer within 1 s (is it a Redis server, and is the port right?)`);
      return true;
    });
    // The evaluator reports a bad address as a problem of the spec's execution.queue.redis.
    await assert.rejects(createQueueEvaluator({ redis: `${redis.url}/99`, name: 'q', concurrency: 1 }, tabularTemplate(redis.url, 'q'), ['accuracy'], () => undefined, FAST), (e: unknown) => {
      assert.ok(e instanceof SpecError);
      assert.deepEqual(e.path, ['execution', 'queue', 'redis']);
      return true;
    });
    // A password the server rejects, or none where it wants one: the server's reply, not retries.
    spawnSync('redis-cli', ['-p', String(redis.port), 'config', 'set', 'requirepass', 's3cret']);
    for (const [url, reply] of [
      [redis.url, 'NOAUTH Authentication required.'],
      [`redis://:wrong@127.0.0.1:${redis.port}`, 'WRONGPASS invalid username-password pair or user is disabled.'],
    ]) {
      await assert.rejects(RedisLink.open(parseRedisUrl(url), () => undefined, FAST), (e: unknown) => {
        assert.ok(e instanceof RedisConfigError);
        assert.equal(e.message, `Redis at ${parseRedisUrl(url).display} refused the connection: ${reply}`);
        return true;
      });
    }
  } finally {
    silent.close();
    await redis.kill();
  }
});

test('cancelling a queued evaluation removes its job; while Redis is down the abort still ends the wait at once', opts, async () => {
  const redis = await RedisServer.start();
  // So many retries that only the abort can end the second wait within the test's timeout.
  const patient = { ...FAST, retries: 1000 };
  const evaluator = await createQueueEvaluator({ redis: redis.url, name: 'cancel', concurrency: 1 }, tabularTemplate(redis.url, 'cancel'), ['accuracy'], () => undefined, patient);
  try {
    const first = new AbortController();
    const queued = evaluator.evaluate(GENOME, context(0, first.signal));
    await eventually('the job to be queued', () => waitingJobs(redis, 'cancel').then((n) => n === 1));
    first.abort();
    await assert.rejects(queued, CancelledError);
    await eventually('the job to leave the queue', () => waitingJobs(redis, 'cancel').then((n) => n === 0));

    const second = new AbortController();
    const stranded = evaluator.evaluate(GENOME, context(1, second.signal));
    await eventually('the second job to be queued', () => waitingJobs(redis, 'cancel').then((n) => n === 1));
    await redis.kill();
    second.abort();
    await assert.rejects(stranded, CancelledError);
  } finally {
    await evaluator.dispose();
    await redis.kill();
  }
});

test('Redis gone for good: a waiting evaluation fails with an UnavailableError after the retries, naming the URL', opts, async () => {
  const redis = await RedisServer.start();
  const log: string[] = [];
  const evaluator = await createQueueEvaluator({ redis: redis.url, name: 'gone', concurrency: 1 }, tabularTemplate(redis.url, 'gone'), ['accuracy'], (m) => log.push(m), FAST);
  try {
    const waiting = evaluator.evaluate(GENOME, context(0));
    await eventually('the job to be queued', () => waitingJobs(redis, 'gone').then((n) => n === 1));
    await redis.kill();
    await assert.rejects(waiting, (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.match(e.message, new RegExp(`^Redis at ${redis.url} unreachable, gave up after 4 retries`));
      return true;
    });
    assert.equal(log.filter((l) => /unreachable, retrying \(\d\/4\)…/.test(l)).length, 4);
  } finally {
    await evaluator.dispose();
  }
});

test('Redis restarted without its data: the vanished job is queued again and a worker completes it', opts, async () => {
  const redis = await RedisServer.start();
  const log: string[] = [];
  const template = tabularTemplate(redis.url, 'vanish');
  const evaluator = await createQueueEvaluator({ redis: redis.url, name: 'vanish', concurrency: 1 }, template, ['accuracy'], (m) => log.push(m), { ...FAST, retries: 50 });
  const trial = context(7);
  const workerLog: string[] = [];
  let worker: Awaited<ReturnType<typeof startQueueWorker>> | undefined;
  try {
    const result = evaluator.evaluate(GENOME, trial);
    await eventually('the job to be queued', () => waitingJobs(redis, 'vanish').then((n) => n === 1));
    await redis.kill();
    await waitFor('a retry', () => log.some((l) => l.includes('retrying (1/50)')));
    // Queued during the outage: the add waits for Redis instead of failing the trial.
    const duringOutage = evaluator.evaluate([0, 0, 0, 0, 0, 4], context(8));
    await redis.restart();
    await waitFor('the job to be queued again', () => trial.logs.some((l) => l.includes('vanished')), 30_000);
    assert.deepEqual(trial.logs, ['its job vanished from Redis (restarted without its data?); queueing it again (2/3)']);
    worker = await startQueueWorker({ redis: parseRedisUrl(redis.url), queue: 'vanish', concurrency: 1, backend: 'auto', log: (m) => workerLog.push(m), policy: FAST });
    assert.deepEqual(await result, { accuracy: EXPECTED_ACCURACY });
    assert.deepEqual(await duringOutage, { accuracy: 54 });
    assert.equal(workerLog.filter((l) => / trial 7$/.test(l)).length, 1);
    assert.equal(workerLog.filter((l) => / trial 8$/.test(l)).length, 1);
  } finally {
    await worker?.close();
    await evaluator.dispose();
    await redis.kill();
  }
});

test('a worker rides out a Redis restart, then takes jobs again; after the last retry it stops with lost', opts, async () => {
  const redis = await RedisServer.start();
  const log: string[] = [];
  const worker = await startQueueWorker({ redis: parseRedisUrl(redis.url), queue: 'ride', concurrency: 1, backend: 'auto', log: (m) => log.push(m), policy: FAST });
  const evaluator = await createQueueEvaluator({ redis: redis.url, name: 'ride', concurrency: 1 }, tabularTemplate(redis.url, 'ride'), ['accuracy'], () => undefined, { ...FAST, retries: 50 });
  try {
    await redis.kill();
    await waitFor('the worker to retry', () => log.some((l) => l.includes('retrying (1/4)')));
    await redis.restart();
    await waitFor('the worker to see Redis back', () => log.includes(`Redis at ${redis.url} is back`), 10_000);
    assert.deepEqual(await evaluator.evaluate(GENOME, context(0)), { accuracy: EXPECTED_ACCURACY });
    assert.equal(worker.lost.aborted, false);
    // Connection errors are not logged one by one: the retry lines say it all.
    assert.deepEqual(log.filter((l) => /error/i.test(l)), []);

    const before = log.length;
    await redis.kill();
    await waitFor('the worker to give up', () => worker.lost.aborted, 20_000);
    assert.ok(worker.lost.reason instanceof UnavailableError);
    assert.equal(log.slice(before).filter((l) => /unreachable, retrying \(\d\/4\)…/.test(l)).length, 4);
  } finally {
    await evaluator.dispose();
    await worker.close();
    await redis.kill();
  }
});
