import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, errorMessage } from '../core/errors';
import { writeFileAtomic } from './atomicFile';

const LATEST = 'latest.json';

/** Named lists of float tensors, in the order they are stored. */
export type FloatGroups = readonly (readonly [name: string, tensors: readonly Float32Array[]])[];

const weightsFile = (epochs: number) => `epoch-${String(epochs).padStart(4, '0')}.bin`;

/**
 * Writes what resuming after `epochs` epochs needs into `dir`: the tensors of every group, one
 * after the other, in a binary file of their own, then `latest.json` (the caller's fields, that
 * file's name and each group's tensor lengths) pointing at it - each written atomically - then
 * removes all but this and the previous binary file. A crash at any point leaves latest.json
 * naming a complete checkpoint.
 */
export function writeEpochCheckpoint(dir: string, epochs: number, groups: FloatGroups, fields: object): void {
  mkdirSync(dir, { recursive: true });
  const all = groups.flatMap(([, tensors]) => tensors);
  const data = new Float32Array(all.reduce((n, t) => n + t.length, 0));
  let offset = 0;
  for (const t of all) {
    data.set(t, offset);
    offset += t.length;
  }
  const file = weightsFile(epochs);
  writeFileAtomic(join(dir, file), new Uint8Array(data.buffer));
  const layout = Object.fromEntries(groups.map(([name, tensors]) => [name, tensors.map((t) => t.length)]));
  writeFileAtomic(join(dir, LATEST), JSON.stringify({ ...fields, file, layout }) + '\n');
  const keep = new Set([file, weightsFile(epochs - 1)]);
  for (const f of readdirSync(dir)) if (/^epoch-\d+\.bin$/.test(f) && !keep.has(f)) unlinkSync(join(dir, f));
}

/** The last checkpoint in `dir`: the fields written with it and its tensors by group; undefined when there is none. */
export function readEpochCheckpoint<Fields>(dir: string, groupNames: readonly string[]): { readonly fields: Fields; readonly groups: Readonly<Record<string, Float32Array[]>> } | undefined {
  const latest = join(dir, LATEST);
  if (!existsSync(latest)) return undefined;
  let meta: Fields & { file: string; layout: Record<string, number[]> };
  let bytes: Buffer;
  try {
    meta = JSON.parse(readFileSync(latest, 'utf8')) as typeof meta;
    bytes = readFileSync(join(dir, meta.file));
  } catch (e) {
    throw new DataError(`unreadable checkpoint: ${errorMessage(e)}`, latest);
  }
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  const groups = Object.fromEntries(groupNames.map((name) => [name, (meta.layout[name] ?? []).map((n) => data.slice(offset, (offset += n)))]));
  if (offset !== data.length) throw new DataError(`checkpoint holds ${data.length} floats, its layout ${offset}`, join(dir, meta.file));
  return { fields: meta, groups };
}
