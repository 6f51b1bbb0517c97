// `run` on a BullMQ queue and `nas-studio worker`, end to end through the CLI with a real
// redis-server: sharing trials, and the Redis addresses that must fail fast and clearly.
// Outages are in queueOutage.test.ts, dying workers in queueStall.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, CliProcess, eventually, finishedTrials, freePort, readJournal, RedisServer, redisMissing, silentServer, startWorker, tabularSpec, tempDir, TOOK_JOB, trainingSpec, waitFor } from './redisHarness';

const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .*:\d+:\d+$/m;

function cli(args: readonly string[], cwd?: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

test('an experiment on a BullMQ queue: two workers share the trials, one is killed -9 mid-run, every trial finishes exactly once', { skip: redisMissing, timeout: 240_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const a = startWorker(redis.url, 'q1');
  const b = startWorker(redis.url, 'q1');
  try {
    await waitFor('workers', () => a.has(/listening/) && b.has(/listening/));
    const run = new CliProcess(['run', trainingSpec(dir, { redis: redis.url, queue: 'q1', trials: 10, concurrency: 2 }), '--out', join(dir, 'exp'), '--json']);
    // Kill worker A as soon as it has finished one job and started another.
    await waitFor('worker A to take a second job', () => a.count(TOOK_JOB) >= 2);
    a.signal('SIGKILL');
    const code = await run.exited;
    assert.equal(code, 0, run.output);
    const result = JSON.parse(run.lines.at(-1)!);
    assert.equal(result.trials, 10);
    assert.ok(run.has(/evaluations go to queue "q1"/));
    const journal = readJournal(join(dir, 'exp'));
    assert.deepEqual(finishedTrials(journal), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(journal.filter((r) => r.type === 'trial_finished').every((r) => !r.error && typeof r.metrics?.val_accuracy === 'number'));
    // Learning curves come back from the workers: each trained trial's one epoch, with the validation accuracy it reports.
    for (const finished of journal.filter((r) => r.type === 'trial_finished' && !r.cached)) {
      const epochs = journal.filter((r) => r.type === 'trial_epoch' && r.trial === finished.trial);
      assert.ok(epochs.length >= 1, `trial ${finished.trial} has no curve`);
      assert.equal(epochs.at(-1)!.epoch, 1);
      assert.equal(epochs.at(-1)!.valAccuracy, finished.metrics!.val_accuracy, `trial ${finished.trial}`);
    }
    // Both workers did real work: B took over what A left.
    assert.ok(a.count(TOOK_JOB) >= 1 && b.count(TOOK_JOB) >= 2);
  } finally {
    for (const w of [a, b]) w.signal('SIGKILL');
    await redis.kill();
  }
});

test('worker --redis with a malformed URL: exit 2, what is wrong with it and the usage, no stack trace', () => {
  const cases: [string, RegExp][] = [
    ['redis://127.0.0.1:99999', /--redis: "redis:\/\/127\.0\.0\.1:99999": the port must be a number from 1 to 65535, got "99999"/],
    ['redis://127.0.0.1:0', /the port must be a number from 1 to 65535, got "0"/],
    ['http://127.0.0.1:6379', /--redis: "http:\/\/127\.0\.0\.1:6379" is not a Redis URL: it must start with redis:\/\/ or rediss:\/\//],
    ['redis://127.0.0.1:6379/zero', /the path must be a database number such as \/0, got "\/zero"/],
    ['redis://:hunter2@127.0.0.1:70000', /"redis:\/\/:\*\*\*@127\.0\.0\.1:70000": the port must be/],
  ];
  for (const [url, expected] of cases) {
    const r = cli(['worker', '--redis', url]);
    assert.equal(r.status, 2, `${url}: ${r.output}`);
    assert.match(r.output, expected);
    assert.match(r.output, /usage: nas-studio worker --redis URL/);
    assert.doesNotMatch(r.output, STACK_LINE);
    assert.doesNotMatch(r.output, /hunter2|TypeError|Invalid URL/);
  }
});

test('a database number the server does not have: worker and run exit 2 (bad input), both say so instead of looping', { skip: redisMissing, timeout: 60_000 }, async () => {
  const redis = await RedisServer.start();
  try {
    const worker = cli(['worker', '--redis', `${redis.url}/99`]);
    assert.equal(worker.status, 2, worker.output);
    assert.match(worker.output, new RegExp(`error: --redis: Redis at ${redis.url}/99 has no database 99 \\(ERR DB index is out of range\\)`));
    const dir = tempDir();
    const run = cli(['run', tabularSpec(dir, { redis: `${redis.url}/99`, queue: 'db', trials: 2, concurrency: 1 }), '--out', join(dir, 'exp')]);
    assert.equal(run.status, 2, run.output);
    assert.match(run.output, new RegExp(`failed: Redis at ${redis.url}/99 has no database 99`));
    assert.doesNotMatch(run.output, /no feasible architecture/);
    assert.doesNotMatch(run.output + worker.output, STACK_LINE);
  } finally {
    await redis.kill();
  }
});

test('nothing listening at the Redis URL: run and worker fail at once with exit 1, naming the URL', { skip: redisMissing, timeout: 60_000 }, async () => {
  const dir = tempDir();
  const url = `redis://127.0.0.1:${await freePort()}`;
  const run = cli(['run', tabularSpec(dir, { redis: url, queue: 'q2', trials: 2, concurrency: 1 })], dir);
  assert.equal(run.status, 1, run.output);
  assert.match(run.output, new RegExp(`cannot reach Redis at ${url}: connection refused \\(is redis-server running there\\?`));
  const worker = cli(['worker', '--redis', url]);
  assert.equal(worker.status, 1, worker.output);
  assert.match(worker.output, new RegExp(`^error: worker stopped: cannot reach Redis at ${url}: connection refused`, 'm'));
  assert.doesNotMatch(run.output + worker.output, STACK_LINE);
});

test('a port that accepts connections but never answers: run and worker give up after the connect timeout, naming the URL', { skip: redisMissing, timeout: 60_000 }, async () => {
  const silent = await silentServer();
  try {
    const dir = tempDir();
    const noAnswer = `cannot reach Redis at ${silent.url}: no answer within 5 s \\(is it a Redis server, and is the port right\\?\\)`;
    const run = new CliProcess(['run', tabularSpec(dir, { redis: silent.url, queue: 'q3', trials: 2, concurrency: 1 }), '--out', join(dir, 'exp')]);
    const worker = new CliProcess(['worker', '--redis', silent.url]);
    assert.equal(await run.exited, 1, run.output);
    assert.ok(run.has(new RegExp(noAnswer)), run.output);
    assert.equal(await worker.exited, 1, worker.output);
    assert.ok(worker.has(new RegExp(`^error: worker stopped: ${noAnswer}`)), worker.output);
    // The run folder records why it stopped; nothing was evaluated.
    assert.ok(existsSync(join(dir, 'exp/journal.jsonl')));
    assert.deepEqual(finishedTrials(readJournal(join(dir, 'exp'))), []);
  } finally {
    silent.close();
  }
});

test('Ctrl-C on a worker hands its job back for another worker; stopping the run cancels the running job, which is not retried', { skip: redisMissing, timeout: 240_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const first = startWorker(redis.url, 'handback');
  let second: CliProcess | undefined;
  const run = new CliProcess(['run', trainingSpec(dir, { redis: redis.url, queue: 'handback', trials: 3, concurrency: 1, trainSamples: 6000 }), '--out', join(dir, 'exp')]);
  const inspect = new Queue('handback', { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    await waitFor('the first worker to take trial 0', () => first.has(/ job \S+: exp trial 0$/), 120_000);
    first.signal('SIGINT');
    assert.equal(await first.exited, 0, first.output);
    assert.ok(first.has(/ job \S+: handed back to the queue$/), first.output);

    second = startWorker(redis.url, 'handback');
    const w = second;
    await waitFor('the second worker to take trial 1', () => w.has(/ job \S+: exp trial 1$/), 120_000);
    // The handed-back job was trial 0's: the second worker evaluated it.
    assert.equal(w.count(/ job \S+: exp trial 0$/), 1, w.output);
    run.signal('SIGINT');
    assert.equal(await run.exited, 130, run.output);
    await waitFor('the running job to be cancelled', () => w.has(/ job \S+: cancelled$/), 30_000);
    const trial1 = /job (\S+): exp trial 1$/.exec(w.lines.find((l) => / job \S+: exp trial 1$/.test(l))!)![1];
    await eventually('the cancelled job to settle', async () => (await inspect.getJobState(trial1)) === 'failed');
    assert.equal((await inspect.getJob(trial1))?.failedReason, 'cancelled by the experiment');

    const journal = readJournal(join(dir, 'exp'));
    assert.deepEqual(finishedTrials(journal), [0]);
    assert.ok(journal.every((r) => !r.error));
    assert.equal(journal.at(-1)?.type, 'stopped');
  } finally {
    await inspect.close();
    run.signal('SIGKILL');
    for (const w of [first, second]) w?.signal('SIGKILL');
    await redis.kill();
  }
});
