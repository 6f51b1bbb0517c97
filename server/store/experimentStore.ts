import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, openSync, closeSync, writeSync, fsyncSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DataError, NasError } from '../core/errors';
import type { ExperimentKind } from '../../contract/protocol';
import { Journal } from './journal';
import type { JournalRecord } from './records';

/** Files of one experiment folder. */
export interface ExperimentFiles {
  readonly id: string;
  readonly dir: string;
  /** The spec as it was when the experiment was created (the run never rereads the original). */
  readonly spec: string;
  /** Where the spec came from, for display and "open spec". */
  readonly meta: string;
  readonly journal: string;
  readonly lock: string;
  readonly checkpoints: string;
  readonly exports: string;
}

export interface ExperimentMeta {
  readonly id: string;
  readonly name: string;
  readonly specPath: string;
  readonly createdAt: string;
  /** Absent in folders written before supernet runs existed: 'search'. */
  readonly kind?: ExperimentKind;
}

export function experimentFiles(dir: string): ExperimentFiles {
  const abs = resolve(dir);
  return {
    id: basename(abs),
    dir: abs,
    spec: join(abs, 'spec.json'),
    meta: join(abs, 'experiment.json'),
    journal: join(abs, 'journal.jsonl'),
    lock: join(abs, 'lock'),
    checkpoints: join(abs, 'checkpoints'),
    exports: join(abs, 'exports'),
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'experiment';
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Writes a file atomically (temp file + fsync + rename) so a crash leaves the old or the new one. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else for (let written = 0; written < content.length; ) written += writeSync(fd, content, written, content.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * The folder holding all experiments (one subfolder each). Creating an experiment snapshots
 * the spec text; `dir` may also name an exact experiment folder (CLI --out).
 */
export class ExperimentStore {
  constructor(readonly root: string) {}

  create(name: string, specText: string, specPath: string, exactDir?: string, kind: ExperimentKind = 'search'): ExperimentFiles {
    const now = new Date();
    let dir = exactDir ? resolve(exactDir) : join(this.root, `${slug(name)}-${timestamp(now)}`);
    if (!exactDir) for (let n = 2; existsSync(dir); n++) dir = join(this.root, `${slug(name)}-${timestamp(now)}-${n}`);
    const files = experimentFiles(dir);
    if (existsSync(files.journal)) throw new NasError('invalid-request', `${dir} already holds an experiment; choose another --out folder`);
    mkdirSync(files.checkpoints, { recursive: true });
    mkdirSync(files.exports, { recursive: true });
    writeFileAtomic(files.spec, specText);
    const meta: ExperimentMeta = { id: files.id, name, specPath: resolve(specPath), createdAt: now.toISOString(), kind };
    writeFileAtomic(files.meta, JSON.stringify(meta, null, 2) + '\n');
    return files;
  }

  /** Experiment folders under the root, newest first. */
  list(): ExperimentFiles[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(this.root, e.name, 'experiment.json')))
      .map((e) => experimentFiles(join(this.root, e.name)))
      .sort((a, b) => readMeta(b).createdAt.localeCompare(readMeta(a).createdAt));
  }

  /** An experiment by id, or by the path of its folder. */
  find(idOrDir: string): ExperimentFiles | undefined {
    for (const dir of [join(this.root, idOrDir), resolve(idOrDir)]) {
      if (existsSync(join(dir, 'experiment.json'))) return experimentFiles(dir);
    }
    return undefined;
  }
}

export function readMeta(files: ExperimentFiles): ExperimentMeta {
  try {
    return JSON.parse(readFileSync(files.meta, 'utf8')) as ExperimentMeta;
  } catch {
    throw new DataError('unreadable experiment metadata', files.meta);
  }
}

export function openJournal(files: ExperimentFiles): Journal<JournalRecord> {
  return new Journal<JournalRecord>(files.journal);
}

/**
 * Marks an experiment as run by this process. Returns false when another live process holds
 * it; a lock left by a dead process is taken over.
 */
export function acquireLock(files: ExperimentFiles): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(files.lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockHolderAlive(files)) return false;
      try {
        unlinkSync(files.lock);
      } catch {
        // Someone else removed it first; try again.
      }
    }
  }
  return false;
}

export function releaseLock(files: ExperimentFiles): void {
  try {
    if (readFileSync(files.lock, 'utf8').trim() === String(process.pid)) unlinkSync(files.lock);
  } catch {
    // Already gone.
  }
}

/** Whether a live process (possibly this one) holds the experiment's lock. */
export function lockHolderAlive(files: ExperimentFiles): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(files.lock, 'utf8').trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
