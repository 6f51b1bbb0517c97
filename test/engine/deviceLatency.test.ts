// Latency measured on target devices: `nas-studio worker --device NAME` serving latency jobs from
// the BullMQ queue (tables, whole networks, trials of runs with "latency": {"device"}), with a
// real redis-server and workers of two devices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliProcess, readJournal, RedisServer, redisMissing, tempDir, waitFor } from './redisHarness';

const TABLE_JOB = /job \S+: latency of a table at /;
const NETWORK_JOB = /job \S+: latency of an OFA network at r\d+$/;
const MODEL_JOB = /job \S+: latency of a model$/;

function deviceWorker(url: string, device: string): CliProcess {
  return new CliProcess(['worker', '--redis', url, '--queue', 'dev', '--device', device]);
}

/** `host:pid` a worker announced when it started listening. */
function workerId(worker: CliProcess): string {
  const line = worker.lines.find((l) => / listening on queue /.test(l));
  return /worker (\S+) listening/.exec(line ?? '')![1];
}

test('latency jobs go to the workers of the device they name: a table on "pi", networks on "laptop", trials of a run on "pi"', { skip: redisMissing, timeout: 300_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const laptop = deviceWorker(redis.url, 'laptop');
  const pi = deviceWorker(redis.url, 'pi');
  try {
    await waitFor('device workers', () => laptop.has(/listening on queue "dev-device-laptop" \(latency jobs of device "laptop"\)/) && pi.has(/listening on queue "dev-device-pi" \(latency jobs of device "pi"\)/));

    const table = new CliProcess(['lut', '--device', 'pi', '--redis', redis.url, '--queue', 'dev', '--out', join(dir, 'lut'), '--resolutions', '64', '--repeats', '2', '--warmup', '0']);
    assert.equal(await table.exited, 0, table.output);
    const yaml = readFileSync(join(dir, 'lut', '64_lookup_table.yaml'), 'utf8');
    assert.match(yaml.split('\n')[0], new RegExp(`^# measured by NAS Studio on device pi \\(${workerId(pi)}, TensorFlow\\.js .*\\)`));
    assert.match(table.output, new RegExp(`measured 96 layers on device pi \\(${workerId(pi)}, `));
    assert.equal(pi.count(TABLE_JOB), 1);
    assert.equal(laptop.count(TABLE_JOB), 0);

    const validate = new CliProcess(['lut', '--validate', '3', '--lut', join(dir, 'lut'), '--device', 'laptop', '--redis', redis.url, '--queue', 'dev', '--repeats', '2', '--warmup', '0', '--json']);
    assert.equal(await validate.exited, 0, validate.output);
    const figures = JSON.parse(validate.lines.filter((l) => l.startsWith('{')).at(-1)!);
    assert.equal(figures.networks, 3);
    const report = JSON.parse(readFileSync(join(dir, 'lut', 'validation.json'), 'utf8'));
    assert.match(report.backend, new RegExp(`^device laptop \\(${workerId(laptop)}, `));
    assert.equal(report.networks.length, 3);
    assert.ok(report.networks.every((n: { measured: number; predicted: number }) => n.measured > 0 && n.predicted > 0));
    assert.equal(laptop.count(NETWORK_JOB), 3);
    assert.equal(pi.count(NETWORK_JOB), 0);

    // A search whose spec names the device: each trial trains here, its latency is timed on "pi".
    writeFileSync(
      join(dir, 'device.nas.json'),
      JSON.stringify({
        space: { type: 'layers', convBlocks: { max: 1, filters: [4], kernels: [3] }, denseLayers: { max: 0 }, dropout: [0] },
        evaluator: { type: 'train', trainSamples: 256, validationSamples: 128, testSamples: 0, latencyRepeats: 2, workers: 1 },
        strategy: { type: 'random' },
        objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
        report: ['latency_ms'],
        budget: { trials: 2 },
        latency: { device: 'pi', redis: redis.url, queue: 'dev', repeats: 3 },
      }),
    );
    const run = new CliProcess(['run', join(dir, 'device.nas.json'), '--out', join(dir, 'exp')]);
    assert.equal(await run.exited, 0, run.output);
    assert.equal(run.count(new RegExp(`latency \\d+\\.\\d\\d ms on device pi \\(${workerId(pi)}, `)), 2, run.output);
    assert.equal(pi.count(MODEL_JOB), 2);
    assert.equal(laptop.count(MODEL_JOB), 0);
    const trials = readJournal(join(dir, 'exp')).filter((r) => r.type === 'trial_finished');
    assert.ok(trials.length === 2 && trials.every((t) => (t.metrics?.latency_ms ?? 0) > 0));
  } finally {
    for (const w of [laptop, pi]) w.signal('SIGKILL');
    await redis.kill();
  }
});

test('a device worker killed -9 mid-job: its job is retried by another worker of the same device, never by another device', { skip: redisMissing, timeout: 300_000 }, async () => {
  const redis = await RedisServer.start();
  const dir = tempDir();
  const piA = deviceWorker(redis.url, 'pi');
  const piB = deviceWorker(redis.url, 'pi');
  const laptop = deviceWorker(redis.url, 'laptop');
  try {
    await waitFor('device workers', () => [piA, piB, laptop].every((w) => w.has(/listening on queue/)));
    // A full table at 160 pixels takes seconds: long enough to kill the worker measuring it.
    const table = new CliProcess(['lut', '--device', 'pi', '--redis', redis.url, '--queue', 'dev', '--out', join(dir, 'lut'), '--resolutions', '160', '--repeats', '3', '--warmup', '1']);
    await waitFor('a pi worker to take the table', () => piA.has(TABLE_JOB) || piB.has(TABLE_JOB));
    const [victim, survivor] = piA.has(TABLE_JOB) ? [piA, piB] : [piB, piA];
    victim.signal('SIGKILL');
    assert.equal(await table.exited, 0, table.output);
    assert.match(table.output, /its worker stopped responding \(1\/3\); the job goes back on the queue/);
    assert.match(table.output, new RegExp(`measured 96 layers on device pi \\(${workerId(survivor)}, `));
    assert.equal(survivor.count(TABLE_JOB), 1);
    assert.equal(laptop.count(TABLE_JOB), 0);
  } finally {
    for (const w of [piA, piB, laptop]) w.signal('SIGKILL');
    await redis.kill();
  }
});
