// A queued trial whose workers keep dying: BullMQ re-queues it MAX_STALLS times, then the run
// stops resumable (not a failed trial), and resume evaluates it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MAX_STALLS } from '../../server/runtime/queue/queueProtocol';
import { CliProcess, finishedTrials, readJournal, RedisServer, redisMissing, startWorker, tempDir, trainingSpec, waitFor } from './redisHarness';

test('a trial whose worker is killed three times stops the run resumable; resume evaluates it with a healthy worker', { skip: redisMissing, timeout: 400_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  // Large enough that a worker is always killed mid-training.
  const spec = trainingSpec(dir, { redis: redis.url, queue: 'stall', trials: 2, concurrency: 1, trainSamples: 6000 });
  const run = new CliProcess(['run', spec, '--out', join(dir, 'exp')]);
  const workers: CliProcess[] = [];
  try {
    // Each worker takes trial 0 (the stalled job comes back to the next one) and is killed -9.
    for (let death = 1; death <= MAX_STALLS + 1; death++) {
      const worker = startWorker(redis.url, 'stall');
      workers.push(worker);
      await waitFor(`worker ${death} to take trial 0`, () => worker.has(/ job \S+: exp trial 0$/), 120_000);
      worker.signal('SIGKILL');
      await worker.exited;
    }
    // The next worker finds the job stalled too often: BullMQ fails it, and the run stops.
    const healthy = startWorker(redis.url, 'stall');
    workers.push(healthy);
    assert.equal(await run.exited, 1, run.output);
    for (let k = 1; k <= MAX_STALLS + 1; k++) {
      assert.ok(run.has(new RegExp(`trial 0: its worker stopped responding \\(${k}/${MAX_STALLS + 1}\\); the job goes back on the queue`)), run.output);
    }
    assert.ok(
      run.has(/experiment exp failed: trial 0: 3 workers stopped responding while evaluating it .*; the run stops here and resuming it evaluates the trial again/),
      run.output,
    );
    // Not journaled as a failed trial: trial 0 is unfinished, so resume runs it.
    assert.deepEqual(finishedTrials(readJournal(join(dir, 'exp'))), []);

    const resumed = new CliProcess(['resume', join(dir, 'exp')]);
    assert.equal(await resumed.exited, 0, resumed.output);
    const journal = readJournal(join(dir, 'exp'));
    assert.deepEqual(finishedTrials(journal), [0, 1]);
    assert.ok(journal.filter((r) => r.type === 'trial_finished').every((r) => !r.error && typeof r.metrics?.val_accuracy === 'number'));
    assert.ok(healthy.has(/ job \S+: exp trial 0$/) && healthy.has(/ job \S+: exp trial 1$/), healthy.output);
  } finally {
    run.signal('SIGKILL');
    for (const w of workers) w.signal('SIGKILL');
    await redis.kill();
  }
});
