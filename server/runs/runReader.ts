import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunSummary, UnreadableRunSummary } from '../../contract/runs';
import { errorMessage } from '../core/errors';
import { JournalTail, type JournalLine } from '../store/journal';
import { liveLockHolder } from '../store/runLock';
import { RUN_FORMAT, runFolder, type RunFolder, type RunHeader } from '../store/runFolder';
import type { RunLocation } from '../store/runStore';
import { applyLifecycle, initialLifecycle, LIFECYCLE_TYPES, type Lifecycle } from './lifecycle';
import { RecordError, type AnyRunKind, type JournalRecord, type RunView } from './runKind';
import { readStateCache, type StateCache } from './stateCache';

/** At most this many damage reasons are kept per run (then a count). */
const MAX_DAMAGE = 20;

/** A run read from its folder, with the kind that reads it; or why it cannot be read. */
export type ReadRun =
  | { readonly readable: true; readonly kind: AnyRunKind; readonly view: RunView<unknown, unknown>; readonly readOnly?: string }
  | { readonly readable: false; readonly summary: UnreadableRunSummary };

interface Cached {
  readonly stamp: string;
  readonly kind: AnyRunKind;
  readonly header: RunHeader;
  readonly spec: unknown;
  readonly state: unknown;
  readonly lifecycle: Lifecycle;
  readonly damage: string[];
  damageCount: number;
  /** Absent for runs whose records do not come from a journal (older versions' specialization files). */
  readonly tail?: JournalTail;
  readonly readOnly?: string;
}

/**
 * Reads runs and keeps their folded state in memory: reading a run again parses only the
 * journal records appended since (the spec snapshot is read once). Reading never writes:
 * records that cannot belong to the run are reported as damage (the run shows as 'damaged'),
 * repeats of the same trial are ignored, and nothing is re-validated against the user's files.
 */
export class RunReader {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly kindOf: (id: string) => AnyRunKind | undefined) {}

  read(location: RunLocation): ReadRun {
    const key = location.layout === 'folder' ? location.folder.dir : location.file;
    let cached = this.cache.get(key);
    try {
      const stamp = snapshotStamp(location);
      if (!cached || cached.stamp !== stamp) {
        cached = this.open(location, stamp);
        this.cache.set(key, cached);
      } else if (cached.tail) {
        this.follow(cached);
      }
    } catch (e) {
      this.cache.delete(key);
      return { readable: false, summary: unreadable(location, errorMessage(e)) };
    }
    const folder = location.layout === 'folder' ? location.folder : runFolder(location.file.replace(/\.json$/, ''));
    const view: RunView<unknown, unknown> = {
      folder,
      header: cached.header,
      spec: cached.spec,
      state: cached.state,
      lifecycle: cached.lifecycle,
      damage: cached.damageCount > cached.damage.length ? [...cached.damage, `… and ${cached.damageCount - cached.damage.length} more`] : cached.damage,
      locked: cached.tail !== undefined && liveLockHolder(folder.lock) !== undefined,
    };
    return { readable: true, kind: cached.kind, view, ...(cached.readOnly ? { readOnly: cached.readOnly } : {}) };
  }

  /** The run's summary as the explorer and `nas-studio list` show it. */
  summary(location: RunLocation): RunSummary {
    const run = this.read(location);
    return run.readable ? summarize(run.kind, run.view) : run.summary;
  }

  /** Forgets a run (after `repair` rewrote its journal). */
  forget(location: RunLocation): void {
    this.cache.delete(location.layout === 'folder' ? location.folder.dir : location.file);
  }

  /** The folded state of a run read before, as a writer saves it for later readers (state.json). */
  stateCache(location: RunLocation): StateCache | undefined {
    const cached = this.cache.get(location.layout === 'folder' ? location.folder.dir : location.file);
    if (!cached?.tail) return undefined;
    return { position: cached.tail.position, lifecycle: cached.lifecycle, damage: cached.damage, damageCount: cached.damageCount, state: cached.kind.saveState(cached.state) };
  }

  private open(location: RunLocation, stamp: string): Cached {
    if (location.layout === 'legacy-specialization') return this.openLegacySpecialization(location.file, stamp);
    const { header, spec, kind, readOnly } = this.snapshot(location.folder);
    const cached = this.fromStateCache(location.folder, stamp, kind, header, spec, readOnly) ?? unread(stamp, kind, header, spec, readOnly, new JournalTail(location.folder.journal));
    this.follow(cached);
    return cached;
  }

  /** Starts from the state the run's writer saved, when it still describes the journal. */
  private fromStateCache(folder: RunFolder, stamp: string, kind: AnyRunKind, header: RunHeader, spec: unknown, readOnly: string | undefined): Cached | undefined {
    const saved = readStateCache(folder);
    if (!saved) return undefined;
    try {
      const state = kind.loadState(saved.state, spec);
      return { stamp, kind, header, spec, state, lifecycle: { ...saved.lifecycle }, damage: [...saved.damage], damageCount: saved.damageCount, tail: new JournalTail(folder.journal, saved.position), readOnly };
    } catch {
      return undefined;
    }
  }

  /** The header and resolved spec of a folder: spec.json, or an older version's experiment.json + spec text. */
  private snapshot(folder: RunFolder): { header: RunHeader; spec: unknown; kind: AnyRunKind; readOnly?: string } {
    const legacyMeta = readJson(folder.legacyMeta, 'experiment.json', true);
    if (legacyMeta !== undefined) {
      const meta = legacyMeta as { name?: unknown; specPath?: unknown; createdAt?: unknown; kind?: unknown };
      if (typeof meta.name !== 'string' || typeof meta.specPath !== 'string' || typeof meta.createdAt !== 'string') {
        throw new Error('experiment.json lacks the name, spec path or creation time');
      }
      const kind = this.requireKind(typeof meta.kind === 'string' ? meta.kind : 'search');
      if (!kind.readLegacySpec) throw new Error(`runs of kind "${kind.id}" have no older layout`);
      const text = readText(folder.spec, 'spec.json');
      const header: RunHeader = { format: RUN_FORMAT, kind: kind.id, name: meta.name, createdAt: meta.createdAt, source: meta.specPath, baseDir: dirname(meta.specPath) };
      return { header, spec: kind.readLegacySpec(text), kind };
    }
    const snapshot = readJson(folder.spec, 'spec.json', false) as Partial<RunHeader> & { spec?: unknown };
    if (!snapshot || typeof snapshot !== 'object' || snapshot.format !== RUN_FORMAT) throw new Error(`spec.json is not a run snapshot (format ${RUN_FORMAT})`);
    for (const field of ['kind', 'name', 'createdAt', 'source', 'baseDir'] as const) {
      if (typeof snapshot[field] !== 'string') throw new Error(`spec.json lacks "${field}"`);
    }
    const kind = this.requireKind(snapshot.kind!);
    const { spec, ...header } = snapshot as RunHeader & { spec: unknown };
    return { header, spec: readSpecOf(kind, spec), kind };
  }

  private openLegacySpecialization(file: string, stamp: string): Cached {
    const kind = this.requireKind('specialization');
    if (!kind.readLegacyFile) throw new Error('specialization runs have no older layout');
    const { header, spec, records } = kind.readLegacyFile(readJson(file, file, false));
    const cached = unread(stamp, kind, header, spec, 'it was written by NAS Studio 0.1 (a specialization file, not a run folder); start it again to continue it', undefined);
    records.forEach((record, i) => this.fold(cached, { offset: 0, length: 0, line: i + 1, value: record }));
    return cached;
  }

  private requireKind(id: string): AnyRunKind {
    const kind = this.kindOf(id);
    if (!kind) throw new Error(`unknown run kind "${id}" (written by a newer NAS Studio?)`);
    return kind;
  }

  /** Folds the journal lines appended since the last read; starts over if the journal was replaced. */
  private follow(cached: Cached): void {
    let { lines, reset } = cached.tail!.read();
    if (reset) {
      Object.assign(cached, { state: cached.kind.initialState(cached.spec), lifecycle: initialLifecycle(), damage: [], tail: new JournalTail(cached.tail!.file) });
      cached.damageCount = 0;
      ({ lines } = cached.tail!.read());
    }
    for (const line of lines) this.fold(cached, line);
  }

  private fold(cached: Cached, line: JournalLine): void {
    try {
      if (line.problem) throw new RecordError(line.problem);
      const record = line.value;
      if (!record || typeof record !== 'object' || Array.isArray(record) || typeof (record as { type?: unknown }).type !== 'string') {
        throw new RecordError(`not a journal record: ${JSON.stringify(record)?.slice(0, 40)}`);
      }
      const typed = record as JournalRecord;
      if (LIFECYCLE_TYPES.has(typed.type)) applyLifecycle(cached.lifecycle, typed);
      else cached.kind.apply(cached.state, typed, cached.spec, cached.tail ? { offset: line.offset, length: line.length } : undefined);
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      cached.damageCount++;
      if (cached.damage.length < MAX_DAMAGE) cached.damage.push(`journal line ${line.line}: ${e.message}`);
    }
  }
}

/** A run with nothing folded yet. */
function unread(stamp: string, kind: AnyRunKind, header: RunHeader, spec: unknown, readOnly: string | undefined, tail: JournalTail | undefined): Cached {
  return { stamp, kind, header, spec, state: kind.initialState(spec), lifecycle: initialLifecycle(), damage: [], damageCount: 0, ...(tail ? { tail } : {}), ...(readOnly ? { readOnly } : {}) };
}

/** A kind's summary of a view, with the part every kind shares. */
export function summarize(kind: AnyRunKind, view: RunView<unknown, unknown>): RunSummary {
  const { lifecycle, header, folder } = view;
  const progress = kind.progress(view.spec, view.state);
  let status: RunSummary['status'] = lifecycle.status;
  if (view.damage.length > 0) status = 'damaged';
  else if (status === 'running' && !view.locked) status = 'interrupted';
  return kind.summarize(view, {
    id: folder.id,
    name: header.name,
    dir: folder.dir,
    source: header.source,
    status,
    progress: { ...progress, unit: kind.unit },
    views: kind.views,
    ...(lifecycle.error ? { error: lifecycle.error } : {}),
    ...(view.damage.length > 0 ? { damage: view.damage } : {}),
    createdAt: header.createdAt,
    updatedAt: lifecycle.updatedAt ?? header.createdAt,
  });
}

function readSpecOf(kind: AnyRunKind, value: unknown): unknown {
  try {
    return kind.readSpec(value);
  } catch (e) {
    throw new Error(`spec.json: ${errorMessage(e)}`);
  }
}

/** Changes when the snapshot files change (a repaired or replaced folder is read afresh). */
function snapshotStamp(location: RunLocation): string {
  const files = location.layout === 'folder' ? [location.folder.spec, location.folder.legacyMeta] : [location.file];
  return files
    .map((file) => {
      try {
        const s = statSync(file);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

function readText(file: string, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw fileError(e, name);
  }
}

function fileError(e: unknown, name: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  return new Error(code === 'ENOENT' ? `${name} is missing` : `cannot read ${name} (${code ?? errorMessage(e)})`);
}

/** Parsed JSON of a file; `optional` files that do not exist read as undefined. */
function readJson(file: string, name: string, optional: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(e, name);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

function unreadable(location: RunLocation, reason: string): UnreadableRunSummary {
  const dir = location.layout === 'folder' ? location.folder.dir : location.file;
  let createdAt = new Date(0).toISOString();
  try {
    createdAt = statSync(dir).mtime.toISOString();
  } catch {
    // The folder vanished meanwhile.
  }
  return {
    kind: 'unreadable',
    id: location.id,
    name: location.id,
    dir,
    source: '',
    status: 'damaged',
    progress: { done: 0, total: 0, unit: 'trials' },
    views: [],
    damage: [reason],
    createdAt,
    updatedAt: createdAt,
  };
}
