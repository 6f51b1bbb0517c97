import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DataError, MissingFileError } from '../core/errors';
import { eraseKind } from '../runs/runKind';
import { RunReader } from '../runs/runReader';
import { runFolder, type RunFolder } from '../store/runFolder';
import { readCheckpoint, type Checkpoint } from './checkpoint';
import type { SupernetSpec } from './supernetSpec';
import { supernetRun } from './supernetRun';

/** A supernet training run's spec and last checkpoint. */
export interface TrainedSupernet {
  readonly folder: RunFolder;
  readonly spec: SupernetSpec;
  /** Folder the run's spec paths (its dataset) resolve against. */
  readonly baseDir: string;
  readonly checkpoint: Checkpoint;
}

/** Reads supernet runs only: what a sub-network search or export needs is this kind's spec and checkpoint. */
const reader = new RunReader((id) => (id === supernetRun.id ? eraseKind(supernetRun) : undefined));

/** The run folder of a path naming the run, its checkpoints folder or a file in it. */
function runDirOf(path: string): string {
  if (!existsSync(path)) throw new MissingFileError('no such supernet run folder or checkpoint', path);
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  return basename(dir) === 'checkpoints' ? dirname(dir) : dir;
}

/** Opens a trained supernet from its run folder (or checkpoint); DataError when it is not one or has no checkpoint yet. */
export function openTrainedSupernet(path: string): TrainedSupernet {
  const folder = runFolder(runDirOf(path));
  const run = reader.read({ layout: 'folder', id: folder.id, folder });
  if (!run.readable) throw new DataError(`not a readable supernet training run: ${run.summary.damage?.[0] ?? 'unknown problem'}`, folder.dir);
  const checkpoint = readCheckpoint(folder);
  if (!checkpoint) throw new DataError('the run has no checkpoint yet: train it for at least one epoch', folder.dir);
  return { folder, spec: run.view.spec as SupernetSpec, baseDir: run.view.header.baseDir, checkpoint };
}
