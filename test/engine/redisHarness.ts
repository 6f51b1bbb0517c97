// Helpers for the queue tests: a real redis-server on a free port that tests kill and restart,
// CLI processes with collected output, and small specs (a tabular one whose trials take no
// time, a training one whose trials take seconds).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatArchString, NB201_EDGES, NB201_OPS } from '../../server/spaces/nb201/archString';

export const CLI = join(__dirname, '../../bin/nas-studio.js');

/** Queue tests run wherever the engine tests run (scripts/setup-test-env.sh installs redis-server). */
export const redisMissing = spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not installed (npm run setup:test)';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nas-queue-'));
}

export function waitFor(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  return eventually(what, async () => ok(), timeoutMs);
}

/** Like waitFor, for a condition that has to ask Redis. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A redis-server without persistence (a restart loses every job), on one port across restarts. */
export class RedisServer {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tempDir()], { stdio: 'ignore' });
    await waitFor(`redis-server on port ${this.port}`, () => spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG', 10_000);
  }

  /** kill -9: connections drop at once, the data is gone. */
  async kill(): Promise<void> {
    const p = this.process;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
  }
}

/** A TCP server that accepts connections and never answers (a wrong port, a hung proxy). */
export async function silentServer(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A CLI process whose stdout and stderr lines are collected as they arrive. */
export class CliProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[], cwd?: string) {
    this.child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let partial = '';
      stream.on('data', (d) => {
        const parts = (partial + String(d)).split('\n');
        partial = parts.pop()!;
        this.lines.push(...parts);
      });
      stream.on('end', () => partial && this.lines.push(partial));
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get output(): string {
    return this.lines.join('\n');
  }

  has(pattern: RegExp): boolean {
    return this.lines.some((l) => pattern.test(l));
  }

  count(pattern: RegExp): number {
    return this.lines.filter((l) => pattern.test(l)).length;
  }

  signal(name: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(name);
  }
}

export function startWorker(url: string, queue: string): CliProcess {
  return new CliProcess(['worker', '--redis', url, '--queue', queue]);
}

/** Jobs a worker took, as "trial N" lines. */
export const TOOK_JOB = / job \S+: \S+ trial \d+$/;

/**
 * A NAS-Bench-201 style table covering the whole space (15,625 architectures) with an accuracy
 * that is a plain function of the operations, so trials are instant lookups.
 */
function writeTable(dir: string): string {
  const file = join(dir, 'table.csv');
  const rows = ['arch,accuracy'];
  const total = NB201_OPS.length ** NB201_EDGES.length;
  for (let n = 0; n < total; n++) {
    const genome = NB201_EDGES.map((_, i) => Math.floor(n / NB201_OPS.length ** i) % NB201_OPS.length);
    rows.push(`${formatArchString(genome)},${50 + genome.reduce((a, b) => a + b, 0)}`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
  return 'table.csv';
}

export interface QueueSpecOptions {
  readonly redis: string;
  readonly queue: string;
  readonly trials: number;
  readonly concurrency: number;
}

/** A spec whose trials are table lookups: they stay queued exactly as long as no worker runs. */
export function tabularSpec(dir: string, o: QueueSpecOptions): string {
  const file = join(dir, 'tabular.nas.json');
  writeFileSync(
    file,
    JSON.stringify({
      space: { type: 'nb201' },
      evaluator: { type: 'tabular', table: writeTable(dir) },
      strategy: { type: 'random' },
      objectives: [{ metric: 'accuracy', goal: 'maximize' }],
      budget: { trials: o.trials },
      execution: { queue: { redis: o.redis, name: o.queue, concurrency: o.concurrency } },
      seed: 3,
    }),
  );
  return file;
}

/** A spec whose trials train a small network for a few seconds each (reporting progress). */
export function trainingSpec(dir: string, o: QueueSpecOptions & { readonly trainSamples?: number }): string {
  const file = join(dir, 'queued.nas.json');
  writeFileSync(
    file,
    JSON.stringify({
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
      evaluator: { type: 'train', trainSamples: o.trainSamples ?? 1500, validationSamples: 256, testSamples: 0, latencyRepeats: 3, workers: 1 },
      strategy: { type: 'regularized-evolution', population: 4, sampleSize: 2 },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      budget: { trials: o.trials },
      execution: { queue: { redis: o.redis, name: o.queue, concurrency: o.concurrency } },
      seed: 2,
    }),
  );
  return file;
}

interface JournalRecord {
  readonly type: string;
  readonly trial?: number;
  readonly error?: string;
  readonly metrics?: Record<string, number>;
  /** trial_finished: the result of an earlier trial of the same architecture, not evaluated again. */
  readonly cached?: boolean;
  /** trial_epoch records. */
  readonly epoch?: number;
  readonly valAccuracy?: number;
}

/** The records of a run's journal; none while the run has not created it yet. */
export function readJournal(runDir: string): JournalRecord[] {
  const file = join(runDir, 'journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JournalRecord);
}

/** Trial numbers of the finished-trial records, sorted (duplicates kept, so "exactly once" is checkable). */
export function finishedTrials(journal: readonly JournalRecord[]): number[] {
  return journal
    .filter((r) => r.type === 'trial_finished')
    .map((r) => r.trial!)
    .sort((a, b) => a - b);
}
