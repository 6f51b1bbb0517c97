import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { NasError } from '../core/errors';

/** Who holds a run's lock: enough to tell a live holder from a dead one whose PID was reused. */
export interface LockOwner {
  readonly host: string;
  readonly pid: number;
  /** Boot id and start time of the process (Linux), so a reused PID is not mistaken for the holder. */
  readonly process?: string;
  readonly since: string;
  readonly token: string;
}

/** Longest a takeover can hold its mutex; an older mutex was left by a process that died in it. */
const TAKEOVER_STALE_MS = 10_000;
const ATTEMPTS = 50;

/**
 * The lock that makes one process the only writer of a run. Created with exclusive `link`, so
 * it appears with its full content or not at all. A lock whose holder is dead (its PID gone, or
 * reused by another process since) is taken over under a second, short-lived lock, so racing
 * processes cannot both remove it; `holds` lets the owner check before each write that it still
 * owns the run.
 */
export class RunLock {
  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {}

  /** The lock, or the live process that holds it. */
  static acquire(file: string): RunLock | { readonly heldBy: LockOwner } {
    const owner: LockOwner = { host: hostname(), pid: process.pid, process: processIdentity(process.pid), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    const content = JSON.stringify(owner);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (createExclusive(file, content)) return new RunLock(file, owner);
      const seen = readLock(file);
      if (seen === undefined) continue; // released meanwhile
      if (isAlive(seen.owner, seen.mtimeMs)) return { heldBy: seen.owner };
      takeOver(file, seen.raw, content);
    }
    throw new NasError('busy', `could not lock ${file}: other processes keep taking it over`);
  }

  /** Whether this process still holds the lock (false once another process took it over). */
  holds(): boolean {
    return readLock(this.file)?.owner.token === this.owner.token;
  }

  release(): void {
    if (this.holds()) unlinkQuietly(this.file);
  }
}

/** The live holder of a run's lock, if any. */
export function liveLockHolder(file: string): LockOwner | undefined {
  const seen = readLock(file);
  return seen && isAlive(seen.owner, seen.mtimeMs) ? seen.owner : undefined;
}

/** "pid 4242 on host build-7 since 2026-12-06T11:00:00Z" */
export function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid}${owner.host === hostname() ? '' : ` on host ${owner.host}`}${owner.since ? ` since ${owner.since}` : ''}`;
}

/** Removes a dead holder's lock, unless it changed since it was read; only one process at a time does this. */
function takeOver(file: string, staleRaw: string, content: string): void {
  const mutex = `${file}.takeover`;
  if (!createExclusive(mutex, content)) {
    const holder = readLock(mutex);
    if (holder && !isAlive(holder.owner, holder.mtimeMs) && Date.now() - holder.mtimeMs > TAKEOVER_STALE_MS) unlinkQuietly(mutex);
    sleep(5 + Math.random() * 10);
    return;
  }
  try {
    if (readLock(file)?.raw === staleRaw) unlinkQuietly(file);
  } finally {
    unlinkQuietly(mutex);
  }
}

/** Creates `file` with `content` only if it does not exist, atomically (write a private file, then link it). */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkQuietly(tmp);
  }
}

function readLock(file: string): { owner: LockOwner; raw: string; mtimeMs: number } | undefined {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = readFileSync(file, 'utf8');
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  return { owner: parseOwner(raw), raw, mtimeMs };
}

/** A lock's content; older versions wrote the bare PID. */
function parseOwner(raw: string): LockOwner {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (value && typeof value === 'object' && typeof value.pid === 'number') {
      return { host: String(value.host ?? hostname()), pid: value.pid, process: value.process, since: String(value.since ?? ''), token: String(value.token ?? '') };
    }
  } catch {
    // Fall through: a bare PID, or garbage.
  }
  const pid = Number(raw.trim());
  return { host: hostname(), pid: Number.isInteger(pid) && pid > 0 ? pid : 0, since: '', token: '' };
}

/**
 * Whether the lock's holder still runs. Another host's process cannot be checked: assumed
 * alive. A PID that exists but belongs to a process started after the lock was written (or with
 * another recorded start time) is a reused PID: the holder is dead.
 */
function isAlive(owner: LockOwner, lockWrittenMs: number): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const identity = processIdentity(owner.pid);
  if (owner.process && identity) return identity === owner.process;
  const started = processStartMs(owner.pid);
  return started === undefined || started <= lockWrittenMs + 1000;
}

/** Boot id + start time in clock ticks of a process (Linux /proc); undefined elsewhere. */
function processIdentity(pid: number): string | undefined {
  const ticks = startTicks(pid);
  const boot = readText('/proc/sys/kernel/random/boot_id')?.trim();
  return ticks !== undefined && boot ? `${boot}:${ticks}` : undefined;
}

/** When a process started (ms since the epoch), from /proc; undefined where /proc is absent. */
function processStartMs(pid: number): number | undefined {
  const ticks = startTicks(pid);
  const btime = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '')?.[1];
  // Linux reports start times in USER_HZ ticks, 100 per second on every mainstream architecture.
  return ticks !== undefined && btime ? Number(btime) * 1000 + (ticks / 100) * 1000 : undefined;
}

function startTicks(pid: number): number | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Field 22; the command name (field 2) may contain spaces, so count from its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
