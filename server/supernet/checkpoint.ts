import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, errorMessage } from '../core/errors';
import type { Normalization } from '../data/batchAssembly';
import { writeFileAtomic } from '../store/atomicFile';
import type { RunFolder } from '../store/runFolder';
import type { EpochRecord } from './supernetState';
import type { SupernetState } from './supernetWorkerProtocol';

const LATEST = 'latest.json';

/** checkpoints/latest.json: which weights file holds the state after how many epochs. */
interface CheckpointMeta {
  readonly version: 1;
  readonly epochsDone: number;
  /** The last finished epoch's journal record (re-journaled if a crash came between the two writes). */
  readonly record: EpochRecord;
  /** The input normalization the run trains with (computed once, from the training split). */
  readonly normalization: Normalization;
  readonly file: string;
  /** Float counts of each tensor in the file, in order: weights, momentum, teacher. */
  readonly layout: { readonly weights: number[]; readonly momentum: number[]; readonly teacher: number[] };
}

export interface Checkpoint {
  readonly epochsDone: number;
  readonly record: EpochRecord;
  readonly normalization: Normalization;
  readonly state: SupernetState;
}

const weightsFile = (epochs: number) => `epoch-${String(epochs).padStart(4, '0')}.bin`;

/**
 * Writes the state after `record.epoch` epochs: the weights file first, then latest.json pointing
 * at it (each atomically), then removes all but this and the previous weights file. A crash at any
 * point leaves latest.json naming a complete checkpoint.
 */
export function writeCheckpoint(files: RunFolder, state: SupernetState, record: EpochRecord, normalization: Normalization): void {
  mkdirSync(files.checkpoints, { recursive: true });
  const groups = [state.weights, state.momentum, state.teacher ?? []];
  const floats = groups.reduce((n, g) => n + g.reduce((m, t) => m + t.length, 0), 0);
  const data = new Float32Array(floats);
  let offset = 0;
  for (const t of groups.flat()) {
    data.set(t, offset);
    offset += t.length;
  }
  const file = weightsFile(record.epoch);
  writeFileAtomic(join(files.checkpoints, file), new Uint8Array(data.buffer));
  const meta: CheckpointMeta = {
    version: 1,
    epochsDone: record.epoch,
    record,
    normalization,
    file,
    layout: { weights: state.weights.map((t) => t.length), momentum: state.momentum.map((t) => t.length), teacher: (state.teacher ?? []).map((t) => t.length) },
  };
  writeFileAtomic(join(files.checkpoints, LATEST), JSON.stringify(meta) + '\n');
  const keep = new Set([file, weightsFile(record.epoch - 1)]);
  for (const f of readdirSync(files.checkpoints)) if (/^epoch-\d+\.bin$/.test(f) && !keep.has(f)) unlinkSync(join(files.checkpoints, f));
}

/** The last checkpoint of a run, or undefined before its first epoch finished. */
export function readCheckpoint(files: RunFolder): Checkpoint | undefined {
  const latest = join(files.checkpoints, LATEST);
  if (!existsSync(latest)) return undefined;
  let meta: CheckpointMeta;
  let bytes: Buffer;
  try {
    meta = JSON.parse(readFileSync(latest, 'utf8')) as CheckpointMeta;
    bytes = readFileSync(join(files.checkpoints, meta.file));
  } catch (e) {
    throw new DataError(`unreadable checkpoint: ${errorMessage(e)}`, latest);
  }
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  const take = (lengths: readonly number[]) => lengths.map((n) => data.slice(offset, (offset += n)));
  const state: SupernetState = { weights: take(meta.layout.weights), momentum: take(meta.layout.momentum) };
  const teacher = take(meta.layout.teacher);
  if (offset !== data.length) throw new DataError(`checkpoint holds ${data.length} floats, its layout ${offset}`, join(files.checkpoints, meta.file));
  return { epochsDone: meta.epochsDone, record: meta.record, normalization: meta.normalization, state: teacher.length > 0 ? { ...state, teacher } : state };
}
