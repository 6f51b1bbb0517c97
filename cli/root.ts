import { resolve } from 'node:path';

/** Where experiments live: --root, else $NAS_STUDIO_HOME, else ./.nas-studio/experiments (as in the editor). */
export function experimentsRoot(root: string | undefined): string {
  return resolve(root ?? process.env.NAS_STUDIO_HOME ?? '.nas-studio/experiments');
}

/** The --root option every experiment command takes. */
export const rootOption = { root: { type: 'string' } } as const;
