import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { DataError, errorMessage, MissingFileError } from '../core/errors';
import { formatBytes } from './dataLimits';

/** What a reader expects at a path, for its messages ("IDX file", "CIFAR folder", ...), and how big it may be. */
export interface DataFileOptions {
  readonly what: string;
  readonly maxBytes: number;
}

/**
 * The error for a path that cannot be opened or stat'ed: missing (MissingFileError, with the
 * message `missing`) or unusable (DataError).
 */
function openError(e: unknown, path: string, what: string, missing = `${what} not found`): DataError {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return brokenLink(path) ?? new MissingFileError(missing, path);
    case 'ELOOP':
      return new DataError('is a symbolic link loop (following it leads back to the same link)', path);
    case 'EISDIR':
      return new DataError(`is a folder, not the ${what}`, path);
    case 'EACCES':
    case 'EPERM':
      return new DataError(`cannot read the ${what} (permission denied)`, path);
    default:
      return new DataError(`cannot read the ${what} (${code ?? errorMessage(e)})`, path);
  }
}

/** A DataError when `path` is itself a symbolic link whose target does not exist (the link is not what is missing). */
function brokenLink(path: string): DataError | undefined {
  try {
    if (lstatSync(path).isSymbolicLink()) return new DataError(`is a broken symbolic link (its target ${readlinkSync(path)} does not exist)`, path);
  } catch {
    // The path itself is absent: not a link.
  }
  return undefined;
}

function notRegular(stats: Stats, path: string, what: string): DataError {
  const kind = stats.isDirectory()
    ? 'a folder'
    : stats.isFIFO()
      ? 'a named pipe'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice()
          ? 'a character device'
          : 'a block device';
  return new DataError(`is not a regular file (it is ${kind}); point the dataset spec at the ${what} itself`, path);
}

/**
 * Opens a dataset file and runs `read` with its descriptor and size. Only regular files are
 * accepted, checked on the open descriptor: a device such as /dev/zero never ends and a FIFO
 * blocks, so both are refused before a byte is read (O_NONBLOCK keeps opening a FIFO from waiting
 * for a writer; it changes nothing for regular files). Files larger than `maxBytes` are refused too.
 */
export function withDataFile<T>(file: string, options: DataFileOptions, read: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw openError(e, file, options.what, `file not found (expected the ${options.what})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notRegular(stats, file, options.what);
    if (stats.size > options.maxBytes) {
      throw new DataError(`is ${formatBytes(stats.size)}, more than the ${formatBytes(options.maxBytes)} a dataset file may have`, file);
    }
    return read(fd, stats.size);
  } finally {
    closeSync(fd);
  }
}

/** Reads `length` bytes at `position` into a buffer of exactly that size (the caller checked the file is that long). */
export function readExactly(fd: number, position: number, length: number, file: string): Buffer {
  const buffer = Buffer.alloc(length);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new DataError(`the file ended after ${position + done} bytes while being read (was it changed meanwhile?)`, file);
    done += n;
  }
  return buffer;
}

/** The whole of a regular dataset file of at most `maxBytes`. */
export function readDataFile(file: string, options: DataFileOptions): Buffer {
  return withDataFile(file, options, (fd, size) => readExactly(fd, 0, size, file));
}

/** Stats of a path with symbolic links followed: MissingFileError when absent, DataError for a link loop. */
export function statFollowingLinks(path: string, what: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    throw openError(e, path, what);
  }
}

/** The names in a folder, with failures (permission denied, ...) as DataErrors naming it. */
export function listFolder(dir: string, what: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    throw openError(e, dir, what);
  }
}

/** Checks `dir` is an existing folder (links followed): MissingFileError when absent. */
export function requireFolder(dir: string, what: string): void {
  if (!statFollowingLinks(dir, what).isDirectory()) throw new DataError(`is not a folder (expected the ${what})`, dir);
}
