import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, parseJournal } from '../../server/store/journal';
import { DataError } from '../../server/core/errors';

const tmp = () => mkdtempSync(join(tmpdir(), 'nas-journal-'));

test('records round-trip in order, one JSON object per line', () => {
  const file = join(tmp(), 'journal.jsonl');
  const journal = new Journal<{ n: number; s: string }>(file);
  for (let n = 0; n < 5; n++) journal.append({ n, s: `line "${n}"\nwith newline` });
  journal.close();
  assert.deepEqual(
    new Journal<{ n: number }>(file).read().map((r) => r.n),
    [0, 1, 2, 3, 4],
  );
  assert.equal(readFileSync(file, 'utf8').split('\n').length, 6);
});

test('a torn last line (crash mid-append) is ignored on read and cut off before the next append', () => {
  const file = join(tmp(), 'journal.jsonl');
  const journal = new Journal<{ n: number }>(file);
  journal.append({ n: 1 });
  journal.append({ n: 2 });
  journal.close();
  appendFileSync(file, '{"n": 3, "partial'); // bytes of a record that never completed
  assert.deepEqual(new Journal<{ n: number }>(file).read(), [{ n: 1 }, { n: 2 }]);
  const resumed = new Journal<{ n: number }>(file);
  resumed.append({ n: 3 });
  resumed.close();
  assert.deepEqual(new Journal<{ n: number }>(file).read(), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n');
});

test('a torn last line that did get its newline is also tolerated', () => {
  const { records, validBytes } = parseJournal<{ n: number }>('{"n":1}\n{"n":\n', 'j');
  assert.deepEqual(records, [{ n: 1 }]);
  assert.equal(validBytes, 8);
});

test('corruption before the last line is an error naming the file and line', () => {
  const file = join(tmp(), 'journal.jsonl');
  writeFileSync(file, '{"n":1}\nnot json\n{"n":3}\n');
  assert.throws(
    () => new Journal(file).read(),
    (e: unknown) => e instanceof DataError && e.message.includes(file) && e.message.includes('line 2'),
  );
});

test('a missing journal reads as empty', () => {
  assert.deepEqual(new Journal(join(tmp(), 'none.jsonl')).read(), []);
});
