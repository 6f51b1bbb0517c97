// Redis killed or restarted under a running experiment and its workers, through the CLI with
// the default retry policy (10 retries, about half a minute).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CliProcess, finishedTrials, readJournal, RedisServer, redisMissing, startWorker, tabularSpec, tempDir, TOOK_JOB, trainingSpec, waitFor } from './redisHarness';

const STACK_LINE = /^\s+at .*:\d+:\d+\)?$/;
const retrying = (url: string, k: number) => new RegExp(`Redis at ${url} unreachable, retrying \\(${k}/10\\)…`);

const journalOf = (dir: string) => readJournal(join(dir, 'exp'));

test('Redis restarted mid-run (its data lost): workers and run log the retries, carry on, and every trial finishes once', { skip: redisMissing, timeout: 300_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const worker = startWorker(redis.url, 'restart');
  let run: CliProcess | undefined;
  try {
    await waitFor('the worker', () => worker.has(/listening/));
    run = new CliProcess(['run', trainingSpec(dir, { redis: redis.url, queue: 'restart', trials: 4, concurrency: 2 }), '--out', join(dir, 'exp')]);
    // Mid-job: the worker is training (and reporting progress) when Redis goes away.
    await waitFor('the worker to take a job', () => worker.has(TOOK_JOB));
    await redis.kill();
    await waitFor('the run to retry', () => run!.has(retrying(redis.url, 1)), 30_000);
    await waitFor('the worker to retry', () => worker.has(retrying(redis.url, 1)), 30_000);
    await redis.restart();

    assert.equal(await run.exited, 0, run.output);
    assert.ok(run.has(new RegExp(`Redis at ${redis.url} is back`)), run.output);
    assert.ok(run.has(/its job vanished from Redis \(restarted without its data\?\); queueing it again \(2\/3\)/), run.output);
    const journal = journalOf(dir);
    assert.deepEqual(finishedTrials(journal), [0, 1, 2, 3]);
    assert.ok(journal.every((r) => r.type !== 'trial_finished' || (!r.error && typeof r.metrics?.val_accuracy === 'number')));

    // The worker is still alive and said what happened, once, without stack traces.
    assert.equal(worker.lines.filter((l) => l.includes(`Redis at ${redis.url} is back`)).length, 1, worker.output);
    assert.ok(!worker.lines.some((l) => STACK_LINE.test(l) || /Unhandled|Connection is closed/.test(l)), worker.output);
    worker.signal('SIGINT');
    assert.equal(await worker.exited, 0, worker.output);
  } finally {
    run?.signal('SIGKILL');
    worker.signal('SIGKILL');
    await redis.kill();
  }
});

test('Redis gone for good: run and worker give up after 10 visible retries, the run stays resumable, resume finishes it', { skip: redisMissing, timeout: 300_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const spec = tabularSpec(dir, { redis: redis.url, queue: 'gone', trials: 6, concurrency: 3 });
  // No worker on the run's queue: its first three trials stay queued. An idle worker elsewhere.
  const idleWorker = startWorker(redis.url, 'elsewhere');
  const run = new CliProcess(['run', spec, '--out', join(dir, 'exp')]);
  try {
    await waitFor('the trials to be queued', () => run.has(/evaluations go to queue "gone"/) && idleWorker.has(/listening/));
    await waitFor('three trials in flight', () => journalOf(dir).filter((r) => r.type === 'trial_started').length === 3);
    await redis.kill();

    assert.equal(await run.exited, 1, run.output);
    for (let k = 1; k <= 10; k++) assert.ok(run.has(retrying(redis.url, k)), `retry ${k}:\n${run.output}`);
    assert.ok(run.has(new RegExp(`experiment exp failed: Redis at ${redis.url} unreachable, gave up after 10 retries`)), run.output);
    assert.equal(await idleWorker.exited, 1, idleWorker.output);
    assert.ok(idleWorker.has(new RegExp(`^error: worker stopped: Redis at ${redis.url} unreachable, gave up after 10 retries`)), idleWorker.output);
    for (const p of [run, idleWorker]) assert.ok(!p.lines.some((l) => STACK_LINE.test(l)), p.output);
    // The cut-off trials are not journaled as failed: they are simply unfinished.
    assert.deepEqual(finishedTrials(journalOf(dir)), []);

    await redis.restart();
    const worker = startWorker(redis.url, 'gone');
    try {
      const resumed = new CliProcess(['resume', join(dir, 'exp'), '--json']);
      assert.equal(await resumed.exited, 0, resumed.output);
      const journal = journalOf(dir);
      assert.deepEqual(finishedTrials(journal), [0, 1, 2, 3, 4, 5]);
      // Each trial's accuracy is the table's: 50 + the sum of its operation indices.
      for (const r of journal.filter((x) => x.type === 'trial_finished')) {
        const genome = (r as unknown as { genome: number[] }).genome;
        assert.equal(r.metrics?.accuracy, 50 + genome.reduce((a, b) => a + b, 0));
      }
    } finally {
      worker.signal('SIGKILL');
    }
  } finally {
    run.signal('SIGKILL');
    idleWorker.signal('SIGKILL');
    await redis.kill();
  }
});

test('Ctrl-C while Redis is unreachable stops the run at once (exit 130), without waiting for the retries', { skip: redisMissing, timeout: 120_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const run = new CliProcess(['run', tabularSpec(dir, { redis: redis.url, queue: 'ctrlc', trials: 4, concurrency: 2 }), '--out', join(dir, 'exp')]);
  try {
    await waitFor('two trials in flight', () => journalOf(dir).filter((r) => r.type === 'trial_started').length === 2);
    await redis.kill();
    await waitFor('the run to retry', () => run.has(retrying(redis.url, 2)), 30_000);
    run.signal('SIGINT');
    assert.equal(await run.exited, 130, run.output);
    assert.ok(run.has(/^interrupted$/) || run.has(/experiment exp stopped/), run.output);
    // Stopped during the retries, not after them.
    assert.ok(!run.has(retrying(redis.url, 10)), run.output);
    const journal = journalOf(dir);
    assert.equal(journal.at(-1)?.type, 'stopped');
    assert.deepEqual(finishedTrials(journal), []);
  } finally {
    run.signal('SIGKILL');
    await redis.kill();
  }
});
