import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const redisMissing = spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not installed (npm run setup:test)';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return { url: `redis://127.0.0.1:${port}`, process: redis };
    await new Promise((r) => setTimeout(r, 100));
  }
  redis.kill();
  throw new Error('redis-server did not start');
}

function startWorker(url: string, queue: string, log: string[]): ChildProcess {
  const worker = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--queue', queue], { stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stdout!.on('data', (d) => log.push(...String(d).trim().split('\n')));
  worker.stderr!.on('data', (d) => log.push(...String(d).trim().split('\n')));
  return worker;
}

async function waitFor(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function spec(dir: string, redis: string, queue: string, trials: number): string {
  const file = join(dir, 'queued.nas.json');
  writeFileSync(
    file,
    JSON.stringify({
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
      evaluator: { type: 'train', trainSamples: 1500, validationSamples: 256, testSamples: 0, latencyRepeats: 3, workers: 1 },
      strategy: { type: 'regularized-evolution', population: 4, sampleSize: 2 },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      budget: { trials },
      execution: { queue: { redis, name: queue, concurrency: 2 } },
      seed: 2,
    }),
  );
  return file;
}

test('an experiment on a BullMQ queue: two workers share the trials, one is killed -9 mid-run, every trial finishes exactly once', { skip: redisMissing, timeout: 240_000 }, async () => {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'nas-queue-'));
  const logA: string[] = [];
  const logB: string[] = [];
  const a = startWorker(redis.url, 'q1', logA);
  const b = startWorker(redis.url, 'q1', logB);
  try {
    await waitFor('workers', () => logA.some((l) => l.includes('listening')) && logB.some((l) => l.includes('listening')));
    const run = spawn(process.execPath, [CLI, 'run', spec(dir, redis.url, 'q1', 10), '--out', join(dir, 'exp'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    run.stdout!.on('data', (d) => (stdout += d));
    run.stderr!.on('data', (d) => (stderr += d));
    // Kill worker A as soon as it has finished one job and started another.
    await waitFor('worker A to take a second job', () => logA.filter((l) => / job .*trial \d+$/.test(l)).length >= 2);
    a.kill('SIGKILL');
    const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    assert.equal(result.trials, 10);
    assert.match(stderr, /evaluations go to queue "q1"/);
    const journal = readFileSync(join(dir, 'exp/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const finished = journal.filter((r) => r.type === 'trial_finished');
    assert.deepEqual(finished.map((r) => r.trial).sort((x: number, y: number) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(finished.every((r) => !r.error && typeof r.metrics.val_accuracy === 'number'));
    // Both workers did real work: B took over what A left.
    assert.ok(logA.some((l) => / job .*trial \d+$/.test(l)) && logB.filter((l) => / job .*trial \d+$/.test(l)).length >= 2);
  } finally {
    for (const p of [a, b, redis.process]) p.kill('SIGKILL');
  }
});

test('an unreachable Redis fails the experiment with a clear message', { skip: redisMissing, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-queue-'));
  const port = await freePort();
  const r = spawnSync(process.execPath, [CLI, 'run', spec(dir, `redis://127.0.0.1:${port}`, 'q2', 2)], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}`));
});
