import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomicFile';
import type { TailPosition } from '../store/journal';
import type { RunFolder } from '../store/runFolder';
import type { Lifecycle } from './lifecycle';

/** Bytes at the start of the journal, and before the cached position, that the cache's fingerprint covers. */
const EDGE_BYTES = 4096;
const FORMAT = 1;

/** A run's journal folded up to `position`: what the writer leaves in state.json for readers. */
export interface StateCache {
  readonly position: TailPosition;
  readonly lifecycle: Lifecycle;
  readonly damage: readonly string[];
  readonly damageCount: number;
  /** The kind's state, as its `saveState` gives it. */
  readonly state: unknown;
}

/** Writes the cache (atomically; best effort: a cache that cannot be written is only a slower read later). */
export function writeStateCache(folder: RunFolder, cache: StateCache): void {
  try {
    const head = fingerprint(folder.journal, cache.position.offset);
    writeFileAtomic(folder.stateCache, JSON.stringify({ format: FORMAT, head, ...cache }));
  } catch {
    // A full disk, a read-only folder: readers fold the journal instead.
  }
}

/**
 * The cache, when it describes the journal as it is now: at least as long, with the same bytes
 * at the start and just before the cached position (a copied run folder keeps its cache).
 * Anything else (a repaired, replaced or truncated journal, a garbled cache) reads as no cache.
 */
export function readStateCache(folder: RunFolder): StateCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(folder.stateCache, 'utf8')) as StateCache & { format: number; head: string };
    if (cache.format !== FORMAT || typeof cache.position?.offset !== 'number' || typeof cache.position.line !== 'number') return undefined;
    const journal = statSync(folder.journal);
    if (journal.size < cache.position.offset || fingerprint(folder.journal, cache.position.offset) !== cache.head) return undefined;
    return { ...cache, position: { ...cache.position, inode: journal.ino } };
  } catch {
    return undefined;
  }
}

/** A hash of the journal's first and last bytes up to `offset`. */
function fingerprint(file: string, offset: number): string {
  const head = Buffer.alloc(Math.min(EDGE_BYTES, offset));
  const tail = Buffer.alloc(Math.min(EDGE_BYTES, offset));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
    readSync(fd, tail, 0, tail.length, offset - tail.length);
  } finally {
    closeSync(fd);
  }
  return createHash('sha1').update(head).update(tail).digest('hex');
}
