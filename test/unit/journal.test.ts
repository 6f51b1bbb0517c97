import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../server/core/errors';
import { JournalTail, JournalWriter, readRecordsAt } from '../../server/store/journal';

const tmp = () => mkdtempSync(join(tmpdir(), 'nas-journal-'));
const values = (tail: JournalTail) => tail.read().lines.map((l) => l.value);

test('records round-trip in order, one JSON object per line', () => {
  const file = join(tmp(), 'journal.jsonl');
  const journal = new JournalWriter(file);
  for (let n = 0; n < 5; n++) journal.append({ n, s: `line "${n}"\nwith newline` });
  journal.close();
  assert.deepEqual(
    values(new JournalTail(file)).map((r) => (r as { n: number }).n),
    [0, 1, 2, 3, 4],
  );
  assert.equal(readFileSync(file, 'utf8').split('\n').length, 6);
});

test('a tail reads only what was appended since its last read, and records can be read back by position', () => {
  const file = join(tmp(), 'journal.jsonl');
  const writer = new JournalWriter(file);
  const tail = new JournalTail(file);
  writer.append({ n: 1 });
  writer.append({ n: 2 });
  const first = tail.read().lines;
  assert.deepEqual(first.map((l) => l.value), [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(tail.read().lines, []);
  writer.append({ n: 3 });
  const next = tail.read().lines;
  assert.deepEqual(next.map((l) => [l.line, l.value]), [[3, { n: 3 }]]);
  assert.deepEqual(readRecordsAt(file, [next[0], first[0]]), [{ n: 3 }, { n: 1 }]);
  writer.close();
});

test('a torn last line (crash mid-append) is left unread and cut off before the next append', () => {
  const file = join(tmp(), 'journal.jsonl');
  const journal = new JournalWriter(file);
  journal.append({ n: 1 });
  journal.append({ n: 2 });
  journal.close();
  appendFileSync(file, '{"n": 3, "partial'); // bytes of a record that never completed
  const tail = new JournalTail(file);
  assert.deepEqual(values(tail), [{ n: 1 }, { n: 2 }]);
  const resumed = new JournalWriter(file);
  resumed.append({ n: 3 });
  resumed.close();
  assert.deepEqual(values(tail), [{ n: 3 }], 'the tail continues where it stopped');
  assert.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n');
});

test('a torn last line that did get its newline is tolerated until more follows it, then it is damage', () => {
  const file = join(tmp(), 'journal.jsonl');
  writeFileSync(file, '{"n":1}\n{"n":\n');
  const tail = new JournalTail(file);
  assert.deepEqual(values(tail), [{ n: 1 }]);
  appendFileSync(file, '{"n":3}\n');
  const lines = tail.read().lines;
  assert.deepEqual(lines.map((l) => [l.line, l.problem ?? l.value]), [[2, 'not JSON'], [3, { n: 3 }]]);
});

test('a journal that starts with a byte-order mark reads as if it had none', () => {
  const file = join(tmp(), 'journal.jsonl');
  writeFileSync(file, '\uFEFF{"n":1}\n{"n":2}\n');
  const lines = new JournalTail(file).read().lines;
  assert.deepEqual(lines.map((l) => [l.line, l.value]), [[1, { n: 1 }], [2, { n: 2 }]]);
  assert.deepEqual(readRecordsAt(file, lines), [{ n: 1 }, { n: 2 }]);
});

test('a journal that shrank or was replaced is reported so readers start over', () => {
  const file = join(tmp(), 'journal.jsonl');
  writeFileSync(file, '{"n":1}\n{"n":2}\n');
  const tail = new JournalTail(file);
  tail.read();
  truncateSync(file, 8);
  assert.equal(tail.read().reset, true);
  const other = new JournalTail(file);
  other.read();
  writeFileSync(file + '.new', '{"n":1}\n{"n":2}\n{"n":3}\n');
  renameSync(file + '.new', file); // replaced, as `nas-studio repair` does
  assert.equal(other.read().reset, true);
});

test('a missing journal reads as empty; a folder in its place is a clear error', () => {
  const dir = tmp();
  assert.deepEqual(new JournalTail(join(dir, 'none.jsonl')).read().lines, []);
  mkdirSync(join(dir, 'journal.jsonl'));
  assert.throws(() => new JournalTail(join(dir, 'journal.jsonl')).read(), (e: unknown) => e instanceof DataError && /a folder, not a file/.test(e.message));
  assert.throws(() => new JournalWriter(join(dir, 'journal.jsonl')), (e: unknown) => e instanceof DataError && /a folder, not a file/.test(e.message));
});
