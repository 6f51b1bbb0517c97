import { readFile, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { DataError, MissingFileError, errorMessage } from '../core/errors';

// Opening the reference files a specialization or an OFA evaluator names (predictor weights,
// FLOPs table, latency-table folder). Each problem says what belongs at the path: an absent path
// is a MissingFileError; a folder where a file belongs (or the reverse), a device or FIFO, or an
// unreadable path is a DataError.

async function statOf(path: string, what: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingFileError(`not found; expected ${what} here`, path);
    throw new DataError(`cannot read ${what}: ${errorMessage(error)}`, path);
  }
}

/** The text of a regular file holding `what` (e.g. "predictor weights (OFA's acc_predictor.json format)"). */
export async function readReferenceFile(file: string, what: string): Promise<string> {
  const info = await statOf(file, what);
  if (info.isDirectory()) throw new DataError(`is a folder; expected ${what}`, file);
  if (!info.isFile()) throw new DataError(`is not a regular file; expected ${what}`, file);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new DataError(`cannot read ${what}: ${errorMessage(error)}`, file);
  }
}

/** The entry names of a folder holding `what`; `fileHint` adds advice when the path is a file. */
export async function readReferenceFolder(dir: string, what: string, fileHint = ''): Promise<string[]> {
  const info = await statOf(dir, what);
  if (!info.isDirectory()) throw new DataError(`is not a folder; expected ${what}${fileHint}`, dir);
  try {
    return await readdir(dir);
  } catch (error) {
    throw new DataError(`cannot read ${what}: ${errorMessage(error)}`, dir);
  }
}
