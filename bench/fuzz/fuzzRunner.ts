/**
 * Runs hostile spec files through NAS Studio and counts what must never happen: a stack trace
 * (or a process killed by a fatal error) and a hang. Every case is validated the way the CLI
 * validates, in child processes with a timeout; a share of the cases that pass validation and
 * of those that do not then runs through the real CLI (`nas-studio run` / `train`, tiny
 * budgets), also with a timeout: a CLI process costs seconds, validation milliseconds.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { hashString } from '../../server/core/rng';
import { type HostileSpec, hostileSpec, type Json, loadBases, tinyBudget } from './hostileSpecs';
import type { ValidateReply, ValidateRequest } from './validateWorker';

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** Shares of the specs that pass validation and of those that fail it that also run through the CLI. */
  readonly cliShareOfValid: number;
  readonly cliShareOfInvalid: number;
  readonly validationTimeoutMs: number;
  readonly cliTimeoutMs: number;
  /** Processes at a time. */
  readonly concurrency: number;
  readonly examplesDir: string;
  /** bin/nas-studio.js of a build. */
  readonly cli: string;
  /** A trained supernet run for the supernet-search example (else its runs fail for want of one). */
  readonly supernetRun?: string;
  /** Point some file options at a named pipe. */
  readonly fifo: boolean;
  readonly log: (line: string) => void;
}

export interface CaseResult {
  readonly id: number;
  readonly base: string;
  readonly mutation: string;
  /** Passed validation. */
  readonly valid: boolean;
  /** How far it went: validation only, or a CLI run too. */
  readonly via: 'validation' | 'cli';
  /** Of the CLI when it ran, else of validation as the CLI maps it (0 valid, 2 invalid); null when killed. */
  readonly exitCode: number | null;
  readonly stackTrace: boolean;
  readonly hang: boolean;
  /** The spec passed validation but would run long: the CLI ran it with tiny budgets. */
  readonly capped: boolean;
  /** The case's spec file (kept when the case failed). */
  readonly file: string;
  /** Time taken by validation and the CLI run. */
  readonly seconds: number;
  /** The ends of what validation and the CLI printed. */
  readonly validationOutput: string;
  readonly cliOutput?: string;
}

export interface FuzzSummary {
  readonly cases: number;
  readonly stack_traces: number;
  readonly hangs: number;
  readonly exit_codes: Record<string, number>;
  readonly valid: number;
  readonly cli_runs: number;
  readonly seconds: number;
  readonly failures: readonly { case: number; mutation: string; base: string; file: string; problem: string }[];
}

/** A stack frame, a fatal V8 error or an uncaught error name: never acceptable on a user's terminal. */
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$|Fatal JavaScript|FATAL ERROR|Uncaught|\b(TypeError|RangeError|ReferenceError)\b/m;

export function hasStackTrace(output: string): boolean {
  return STACK_TRACE.test(output);
}

export interface Outcome {
  readonly exitCode: number | null;
  readonly output: string;
  readonly hang: boolean;
  readonly seconds: number;
}

export async function runFuzz(options: FuzzOptions): Promise<{ summary: FuzzSummary; results: CaseResult[] }> {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'nas-fuzz-'));
  const fifo = options.fifo ? makeFifo(join(workDir, 'fifo')) : undefined;
  const bases = loadBases(options.examplesDir, options.supernetRun);
  const validator = new ValidatorPool(options.concurrency, options.validationTimeoutMs);
  const results: CaseResult[] = [];
  try {
    const validated = await mapLimit(range(options.cases), options.concurrency, async (id) => {
      const spec = hostileSpec(bases, id, { seed: options.seed, fifo });
      const dir = join(workDir, `case-${id}`);
      mkdirSync(dir);
      const file = join(dir, `spec.${spec.kind === 'supernet' ? 'supernet' : 'nas'}.json`);
      writeFileSync(file, spec.bytes);
      return { spec, dir, file, outcome: await validator.validate({ id, kind: spec.kind, file }) };
    });
    options.log(`validated ${options.cases} specs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const throughCli = validated.filter(
      ({ spec, outcome }) => (outcome.exitCode === 0 && sampled(spec.id, options.seed, options.cliShareOfValid)) || (outcome.exitCode === 2 && sampled(spec.id, options.seed, options.cliShareOfInvalid)),
    );
    const cliResults = new Map<number, { outcome: Outcome; capped: boolean }>();
    let done = 0;
    await mapLimit(throughCli, options.concurrency, async ({ spec, dir, file, outcome }) => {
      const capped = outcome.exitCode === 0 && capBudget(file);
      cliResults.set(spec.id, { outcome: await runCli(spec, file, join(dir, 'root'), options), capped });
      if (++done % 20 === 0) options.log(`CLI: ${done}/${throughCli.length}`);
    });
    for (const { spec, dir, file, outcome } of validated) {
      const cli = cliResults.get(spec.id);
      const final = cli?.outcome ?? outcome;
      const result: CaseResult = {
        id: spec.id,
        base: spec.base,
        mutation: spec.mutation,
        valid: outcome.exitCode === 0,
        via: cli ? 'cli' : 'validation',
        exitCode: final.exitCode,
        // Validation's own verdict counts too: a case may crash there and not in the CLI sample.
        stackTrace: isCrash(outcome) || (cli !== undefined && isCrash(cli.outcome)),
        hang: outcome.hang || (cli?.outcome.hang ?? false),
        capped: cli?.capped ?? false,
        seconds: outcome.seconds + (cli?.outcome.seconds ?? 0),
        file,
        validationOutput: outcome.output.slice(-4000),
        ...(cli ? { cliOutput: cli.outcome.output.slice(-4000) } : {}),
      };
      results.push(result);
      if (!result.stackTrace && !result.hang) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    validator.close();
  }
  const failed = results.filter((r) => r.stackTrace || r.hang);
  if (failed.length === 0) rmSync(workDir, { recursive: true, force: true });
  const exitCodes: Record<string, number> = {};
  for (const r of results) exitCodes[String(r.exitCode)] = (exitCodes[String(r.exitCode)] ?? 0) + 1;
  return {
    results,
    summary: {
      cases: results.length,
      stack_traces: results.filter((r) => r.stackTrace).length,
      hangs: results.filter((r) => r.hang).length,
      exit_codes: exitCodes,
      valid: results.filter((r) => r.valid).length,
      cli_runs: results.filter((r) => r.via === 'cli').length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      failures: failed.map((r) => ({ case: r.id, mutation: r.mutation, base: r.base, file: r.file, problem: r.hang ? 'hang' : 'stack trace' })),
    },
  };
}

function isCrash(outcome: Outcome): boolean {
  return hasStackTrace(outcome.output) || (outcome.exitCode === null && !outcome.hang);
}

/** A fixed share of the cases, by a hash of the case number. */
function sampled(id: number, seed: number, share: number): boolean {
  return (hashString(`${seed}/${id}`) % 10_000) / 10_000 < share;
}

/**
 * A valid spec whose run would take long (a mutation removed a budget) gets tiny budgets; the
 * original stays next to it. Returns whether the file changed.
 */
function capBudget(file: string): boolean {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const value = parse(text, [], { allowTrailingComma: true }) as Json;
  const tiny = tinyBudget(value);
  if (JSON.stringify(tiny) === JSON.stringify(value)) return false;
  writeFileSync(`${file}.original`, readFileSync(file));
  writeFileSync(file, JSON.stringify(tiny, null, 2));
  return true;
}

function runCli(spec: HostileSpec, file: string, root: string, options: FuzzOptions): Promise<Outcome> {
  const command = spec.kind === 'supernet' ? 'train' : 'run';
  // Some runs override the seed, which edits the spec text before validation.
  const seed = spec.kind === 'experiment' && spec.id % 3 === 0 ? ['--seed', String(spec.id % 7)] : [];
  return runProcess(process.execPath, [options.cli, command, file, '--root', root, ...seed], options.cliTimeoutMs);
}

/** Runs a process to its end or the timeout (then kills it): exit code and the tail of its output. */
export function runProcess(command: string, args: string[], timeoutMs: number): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let hang = false;
    const timer = setTimeout(() => {
      hang = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: hang ? null : code, output, hang, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Forked validators, one request each at a time; a request past the timeout kills its process. */
class ValidatorPool {
  private readonly idle: ChildProcess[] = [];
  private readonly workerPath = join(__dirname, 'validateWorker.ts');

  constructor(
    size: number,
    private readonly timeoutMs: number,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.start());
  }

  private start(): ChildProcess {
    return fork(this.workerPath, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  }

  /** Callers keep at most `size` requests in flight, so a process is always idle. */
  validate(request: ValidateRequest): Promise<Outcome> {
    const worker = this.idle.pop()!;
    let stderr = '';
    const onStderr = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    };
    worker.stderr?.on('data', onStderr);
    const started = Date.now();
    return new Promise<Outcome>((resolve) => {
      const finish = (result: Omit<Outcome, 'seconds'>, healthy: boolean) => {
        const outcome = { ...result, seconds: (Date.now() - started) / 1000 };
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.stderr?.off('data', onStderr);
        if (!healthy) worker.kill('SIGKILL');
        this.idle.push(healthy ? worker : this.start());
        resolve(outcome);
      };
      const onMessage = (reply: ValidateReply) => finish({ exitCode: reply.exitCode, output: reply.stderr, hang: false }, true);
      // A fatal error (out of memory, a V8 abort) ends the process without a reply.
      const onExit = (code: number | null, signal: string | null) => finish({ exitCode: null, output: `${stderr}\nvalidator died (${signal ?? code})`, hang: false }, false);
      const timer = setTimeout(() => finish({ exitCode: null, output: `${stderr}\nvalidation did not finish in ${this.timeoutMs} ms`, hang: true }, false), this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.send(request);
    });
  }

  close(): void {
    for (const worker of this.idle.splice(0)) worker.kill();
  }
}

/** A named pipe, when the platform has mkfifo. */
function makeFifo(path: string): string | undefined {
  return spawnSync('mkfifo', [path]).status === 0 ? path : undefined;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Maps with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}
