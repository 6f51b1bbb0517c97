import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError, NasError } from '../core/errors';
import { diskError } from './diskErrors';
import { RUN_FORMAT, runFolder, type RunFolder, type RunHeader, type RunSnapshot } from './runFolder';

/** Where a run's data lives: a run folder (current or older layout), or an older version's specialization file. */
export type RunLocation =
  | { readonly layout: 'folder'; readonly id: string; readonly folder: RunFolder }
  | { readonly layout: 'legacy-specialization'; readonly id: string; readonly file: string };

/**
 * The folder holding every run, one subfolder each (`--root`, the `nasStudio.experimentsFolder`
 * setting). Also lists the specialization files older versions wrote next to it.
 */
export class RunStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Folder of specialization results written by NAS Studio 0.1 (read-only now). */
  get legacySpecializations(): string {
    return join(dirname(this.root), 'specializations');
  }

  /**
   * Creates a run folder with its spec snapshot, atomically: it is staged under a hidden name
   * and renamed into place, so a failure (a full disk) leaves nothing behind. `exactDir` (CLI
   * --out) names the folder; it must not exist or be empty.
   */
  create(header: Omit<RunHeader, 'format'>, spec: unknown, exactDir?: string): RunFolder {
    const target = exactDir !== undefined ? resolve(exactDir) : this.freshFolder(header.name, header.createdAt);
    checkTarget(target);
    const staging = join(dirname(target), `.${basename(target)}.creating-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      mkdirSync(join(staging, 'checkpoints'), { recursive: true });
      mkdirSync(join(staging, 'exports'));
      const snapshot: RunSnapshot = { format: RUN_FORMAT, ...header, spec };
      writeDurably(join(staging, 'spec.json'), JSON.stringify(snapshot, null, 2) + '\n');
      if (existsSync(target)) rmdirSync(target); // an empty --out folder
      renameSync(staging, target);
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      throw diskError(e, target);
    }
    return runFolder(target);
  }

  /** Every run under the root (including damaged ones), unordered. */
  list(): RunLocation[] {
    const folders = this.entries(this.root)
      .filter((name) => !name.startsWith('.') && isRunFolder(join(this.root, name)))
      .map((name): RunLocation => ({ layout: 'folder', id: name, folder: runFolder(join(this.root, name)) }));
    const legacy = this.entries(this.legacySpecializations)
      .filter((name) => name.endsWith('.json'))
      .map((name): RunLocation => ({ layout: 'legacy-specialization', id: name.slice(0, -'.json'.length), file: join(this.legacySpecializations, name) }));
    return [...folders, ...legacy];
  }

  /** A run by id (under the root) or by the path of its folder. */
  find(idOrDir: string): RunLocation | undefined {
    if (idOrDir === '') return undefined;
    for (const dir of [join(this.root, idOrDir), resolve(idOrDir)]) {
      if (isRunFolder(dir)) return { layout: 'folder', id: basename(dir), folder: runFolder(dir) };
    }
    if (/^[\w.-]+$/.test(idOrDir)) {
      const file = join(this.legacySpecializations, `${idOrDir}.json`);
      if (existsSync(file)) return { layout: 'legacy-specialization', id: idOrDir, file };
    }
    return undefined;
  }

  private freshFolder(name: string, createdAt: string): string {
    const base = `${slug(name)}-${createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
    let dir = join(this.root, base);
    for (let n = 2; existsSync(dir); n++) dir = join(this.root, `${base}-${n}`);
    return dir;
  }

  private entries(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      if (code === 'ENOTDIR') throw new DataError('is a file, not a folder of runs', dir);
      throw new DataError(`cannot list runs (${code ?? String(e)})`, dir);
    }
  }
}

/** A folder with a run's spec snapshot, older header or journal: a run, possibly a damaged one. */
function isRunFolder(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
  } catch {
    return false;
  }
  return ['spec.json', 'experiment.json', 'journal.jsonl'].some((f) => existsSync(join(dir, f)));
}

function checkTarget(target: string): void {
  let entries: string[];
  try {
    if (!statSync(target).isDirectory()) throw new DataError('is a file; choose a folder for the run', target);
    entries = readdirSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw diskError(e, target);
    try {
      mkdirSync(dirname(target), { recursive: true });
    } catch (inner) {
      throw diskError(inner, dirname(target));
    }
    return;
  }
  if (entries.length > 0) throw new NasError('invalid-request', `${target} already holds files; choose another folder for the run`);
}

function writeDurably(file: string, content: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
}
