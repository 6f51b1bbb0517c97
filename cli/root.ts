import { resolve } from 'node:path';
import { flagString, type Args } from './args';

/** Where experiments live: --root, else $NAS_STUDIO_HOME, else ./.nas-studio/experiments (as in the editor). */
export function experimentsRoot(args: Args): string {
  return resolve(flagString(args, 'root') ?? process.env.NAS_STUDIO_HOME ?? '.nas-studio/experiments');
}
