import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../core/errors';
import { experimentFiles, type ExperimentFiles } from '../store/experimentStore';
import { loadExperimentState } from '../store/experimentState';
import { readCheckpoint, type Checkpoint } from './checkpoint';
import { OfaSupernet } from './ofaSupernet';
import type { SupernetSpec } from './supernetSpec';

/** A supernet training run's spec and last checkpoint. */
export interface TrainedSupernet {
  readonly files: ExperimentFiles;
  readonly spec: SupernetSpec;
  /** Folder the run's spec paths (its dataset) resolve against. */
  readonly baseDir: string;
  readonly checkpoint: Checkpoint;
}

/** The run folder of a path naming the run, its checkpoints folder or a file in it. */
function runFolder(path: string): string {
  if (!existsSync(path)) throw new DataError('no such supernet run folder or checkpoint', path);
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  return basename(dir) === 'checkpoints' ? dirname(dir) : dir;
}

/** Opens a trained supernet from its run folder (or checkpoint); DataError when it is not one or has no checkpoint yet. */
export function openTrainedSupernet(path: string): TrainedSupernet {
  const dir = runFolder(path);
  if (!existsSync(join(dir, 'experiment.json'))) throw new DataError('not a NAS Studio run folder (no experiment.json)', path);
  const files = experimentFiles(dir);
  const state = loadExperimentState(files);
  if (!state.training) throw new DataError(state.kind === 'supernet' ? `unreadable supernet run: ${state.error}` : 'this is an architecture search, not a supernet training run', dir);
  const checkpoint = readCheckpoint(files);
  if (!checkpoint) throw new DataError('the run has no checkpoint yet: train it for at least one epoch', dir);
  return { files, spec: state.training.spec, baseDir: dirname(state.meta.specPath), checkpoint };
}

/** The supernet with the checkpoint's weights (on the current tfjs backend). */
export function loadSupernet(trained: TrainedSupernet): OfaSupernet {
  const model = new OfaSupernet(trained.spec.supernet, trained.spec.seed);
  const weights = trained.checkpoint.state.weights;
  if (weights.length !== model.variables.length) throw new DataError(`the checkpoint has ${weights.length} tensors, the supernet of its spec ${model.variables.length}`, trained.files.checkpoints);
  model.setWeights(weights);
  return model;
}
