import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, NasError, errorMessage } from '../core/errors';

/**
 * A file system error as the user should read it: a full disk says so and that nothing written
 * before is lost; a path that is a file where a folder is needed (or the reverse) names it.
 */
export function diskError(e: unknown, path: string): NasError {
  if (e instanceof NasError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new NasError('unavailable', `the disk is full: cannot write ${path}. Free some space and try again (nothing written before is lost)`);
    case 'ENOTDIR':
      return new DataError('a file stands where a folder is needed', fileInTheWay(path));
    case 'EISDIR':
      return new DataError('a folder stands where a file is needed', path);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new DataError(`no permission to write (${code})`, path);
    default:
      return new NasError('unavailable', `cannot write ${path}: ${errorMessage(e)}`);
  }
}

/** The part of `path` that is a file although the rest of the path needs it to be a folder. */
function fileInTheWay(path: string): string {
  for (let p = path; dirname(p) !== p; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      // Does not exist (or cannot be seen): look further up.
    }
  }
  return path;
}
