import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { DataError } from '../core/errors';

/**
 * Append-only JSON-lines file: one record per line, each append fsync'd before it returns,
 * so a record that was reported written survives a crash. A crash mid-append can leave a
 * torn last line; readers ignore it and the next writer cuts it off before appending.
 */
export class Journal<T> {
  private fd: number | undefined;

  constructor(readonly file: string) {}

  /** All complete records. A malformed line that is not the torn tail is corruption: DataError. */
  read(): T[] {
    if (!existsSync(this.file)) return [];
    return parseJournal<T>(readFileSync(this.file, 'utf8'), this.file).records;
  }

  append(record: T): void {
    if (this.fd === undefined) this.fd = this.openForAppend();
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    let written = 0;
    while (written < line.length) written += writeSync(this.fd, line, written, line.length - written);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Opens for appending after cutting off a torn tail (bytes after the last newline). */
  private openForAppend(): number {
    const fd = openSync(this.file, 'a+');
    const text = readFileSync(this.file, 'utf8');
    const { validBytes } = parseJournal<T>(text, this.file);
    if (validBytes < Buffer.byteLength(text, 'utf8')) {
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
    }
    return fd;
  }
}

/** Parses journal text; the last line may be torn (no newline, or not JSON). */
export function parseJournal<T>(text: string, file: string): { records: T[]; validBytes: number } {
  const records: T[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    lineNo++;
    const end = text.indexOf('\n', offset);
    if (end < 0) break; // torn tail: never completed, never reported written
    const line = text.slice(offset, end);
    if (line.trim() !== '') {
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        const isLast = end === text.length - 1;
        if (isLast) break; // torn record whose newline made it to disk but whose bytes did not
        throw new DataError(`corrupt journal record on line ${lineNo}`, file);
      }
    }
    offset = end + 1;
  }
  return { records, validBytes: Buffer.byteLength(text.slice(0, offset), 'utf8') };
}
