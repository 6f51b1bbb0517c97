import { resolve } from 'node:path';
import { RunService } from '../server/runs/runService';
import { UsageError } from './commandSupport';

/** Where runs live: --root, else $NAS_STUDIO_HOME, else ./.nas-studio/experiments (as in the editor). */
export function experimentsRoot(root: string | undefined): string {
  if (root === '') throw new UsageError('--root must not be empty');
  return resolve(root ?? process.env.NAS_STUDIO_HOME ?? '.nas-studio/experiments');
}

/** The --root option every run command takes. */
export const rootOption = { root: { type: 'string' } } as const;

/** The runs under --root. */
export function openRuns(root: string | undefined): RunService {
  return new RunService(experimentsRoot(root));
}
