import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { DataError } from '../core/errors';
import { diskError } from './diskErrors';

/**
 * Appends records to a JSON-lines journal: one record per line, each append fsync'd before it
 * returns, so a record reported written survives a crash. Opening cuts off what a crash
 * mid-append left behind (bytes after the last newline, or a last line that is not JSON). A
 * write that fails (a full disk) is rolled back to the previous end, so the journal stays clean.
 */
export class JournalWriter {
  private readonly fd: number;
  private size: number;

  constructor(readonly file: string) {
    const tail = new JournalTail(file);
    tail.read();
    try {
      this.fd = openSync(file, 'a');
      const size = fstatSync(this.fd).size;
      if (tail.consumed < size) {
        ftruncateSync(this.fd, tail.consumed);
        fsyncSync(this.fd);
      }
      this.size = tail.consumed;
    } catch (e) {
      throw diskError(e, file);
    }
  }

  append(record: object): void {
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    try {
      for (let written = 0; written < line.length; ) written += writeSync(this.fd, line, written, line.length - written);
      fsyncSync(this.fd);
      this.size += line.length;
    } catch (e) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // Readers tolerate a torn last line; the next writer cuts it off.
      }
      throw diskError(e, this.file);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}


/** Where a record sits in its journal (byte offset and length of its line), so states can point at records instead of holding them. */
export interface RecordSource {
  readonly offset: number;
  readonly length: number;
}

/**
 * The records at `sources` (from a JournalTail of the same file), in the order given: one read
 * of the span they cover.
 */
export function readRecordsAt(file: string, sources: readonly RecordSource[]): unknown[] {
  if (sources.length === 0) return [];
  const start = Math.min(...sources.map((s) => s.offset));
  const end = Math.max(...sources.map((s) => s.offset + s.length));
  const fd = openSync(file, 'r');
  try {
    const span = Buffer.allocUnsafe(end - start);
    for (let read = 0; read < span.length; ) {
      const n = readSync(fd, span, read, span.length - read, start + read);
      if (n === 0) throw new DataError('the journal is shorter than its records', file);
      read += n;
    }
    return sources.map((s) => JSON.parse(span.toString('utf8', s.offset - start, s.offset - start + s.length)));
  } finally {
    closeSync(fd);
  }
}

/** How far a tail has read a journal file (and which file: its inode). */
export interface TailPosition {
  readonly offset: number;
  readonly line: number;
  readonly inode: number;
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

/** One complete line of a journal: where it starts, its 1-based line number and its parsed value. */
export interface JournalLine {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  /** The parsed JSON, or `undefined` with `problem` set when the line is not JSON. */
  readonly value: unknown;
  readonly problem?: string;
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];
const CHUNK = 1 << 20;

/**
 * Reads a JSON-lines journal incrementally, as Optuna's journal storage does: each call to
 * `read` parses only the bytes appended since the last call. Bytes after the last newline (a
 * record being written, or torn by a crash) are left for later; so is a last line that is not
 * JSON, which a crash mid-append can leave with its newline. A journal that shrank or was
 * replaced is reported so the caller can start over.
 */
export class JournalTail {
  private offset: number;
  private line: number;
  private inode: number | undefined;

  /** A tail at the start of the file, or where an earlier tail of the same file stood (`position`). */
  constructor(
    readonly file: string,
    position?: TailPosition,
  ) {
    this.offset = position?.offset ?? 0;
    this.line = position?.line ?? 0;
    this.inode = position?.inode;
  }

  /** Where the next read starts: a state folded this far can resume from here. */
  get position(): TailPosition {
    return { offset: this.offset, line: this.line, inode: this.inode ?? -1 };
  }

  /** Lines appended since the last call; `reset` when the file was truncated or replaced (start a fresh tail). */
  read(): { readonly lines: JournalLine[]; readonly reset: boolean } {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { lines: [], reset: this.offset > 0 };
      throw new DataError(code === 'EISDIR' ? 'the journal is a folder, not a file' : `cannot read the journal (${code ?? String(e)})`, this.file);
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new DataError(stat.isDirectory() ? 'the journal is a folder, not a file' : 'the journal is not a regular file', this.file);
      if ((this.inode !== undefined && stat.ino !== this.inode) || stat.size < this.offset) return { lines: [], reset: true };
      this.inode = stat.ino;
      return { lines: this.parse(this.completeLines(fd, stat.size)), reset: false };
    } finally {
      closeSync(fd);
    }
  }

  /** Bytes of the lines consumed so far. */
  get consumed(): number {
    return this.offset;
  }

  /** The complete (newline-terminated) lines from the current offset, as byte ranges of one buffer per chunk. */
  private completeLines(fd: number, size: number): { offset: number; bytes: Buffer }[] {
    const lines: { offset: number; bytes: Buffer }[] = [];
    let start = this.offset;
    while (start < size) {
      // Read up to CHUNK bytes (more when a single line is longer), and take the lines it completes.
      let length = Math.min(CHUNK, size - start);
      let buffer = Buffer.allocUnsafe(length);
      let last = -1;
      for (;;) {
        const n = readFully(fd, buffer, start);
        last = buffer.lastIndexOf(NEWLINE, n - 1);
        if (last >= 0 || start + length >= size) break;
        length = Math.min(length * 2, size - start);
        buffer = Buffer.allocUnsafe(length);
      }
      if (last < 0) break; // only a torn tail remains
      let from = start === 0 && BOM.every((b, k) => buffer[k] === b) ? BOM.length : 0;
      for (let end = buffer.indexOf(NEWLINE, from); end >= 0 && end <= last; end = buffer.indexOf(NEWLINE, from)) {
        lines.push({ offset: start + from, bytes: buffer.subarray(from, end + 1) });
        from = end + 1;
      }
      start += last + 1;
    }
    return lines;
  }

  private parse(raw: readonly { offset: number; bytes: Buffer }[]): JournalLine[] {
    const out: JournalLine[] = [];
    for (let i = 0; i < raw.length; i++) {
      const { offset, bytes } = raw[i];
      const text = bytes.toString('utf8', 0, bytes.length - 1);
      let value: unknown;
      let problem: string | undefined;
      if (text.trim() !== '') {
        try {
          value = JSON.parse(text);
        } catch {
          // The last line with a newline but no valid JSON may be a crash mid-append: leave it
          // unread; once more lines follow it, it is damage.
          if (i === raw.length - 1) break;
          problem = 'not JSON';
        }
      }
      this.offset = offset + bytes.length;
      this.line++;
      if (text.trim() !== '') out.push({ offset, length: bytes.length, line: this.line, value, ...(problem ? { problem } : {}) });
    }
    return out;
  }
}
