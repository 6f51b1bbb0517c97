import { readFileSync, statSync } from 'node:fs';
import { DataError } from '../core/errors';
import { sizeProblem } from './specPrecheck';

/**
 * The text of a spec file, read only when it is a regular file within the size limit: a named
 * pipe would block the reader for good, and /dev/zero (or a 5 GB file) would fill the memory
 * before the limit could be checked. File system errors (a missing file) are thrown as they are.
 */
export function readSpecFileText(file: string): string {
  const stat = statSync(file);
  if (!stat.isFile()) throw new DataError(`not a regular file: a spec is a JSON file (${stat.isDirectory() ? 'this is a folder' : 'this is a device, pipe or socket'})`, file);
  const tooLarge = sizeProblem(stat.size);
  if (tooLarge) throw new DataError(tooLarge, file);
  return readFileSync(file, 'utf8');
}
