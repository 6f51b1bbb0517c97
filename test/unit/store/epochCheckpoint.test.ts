import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataError } from '../../../server/core/errors';
import { readEpochCheckpoint, writeEpochCheckpoint } from '../../../server/store/epochCheckpoint';

test('epoch checkpoints: groups round-trip, latest.json names the newest file, older files beyond the previous are removed', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'nas-checkpoint-')), 'checkpoints');
  assert.equal(readEpochCheckpoint(dir, ['weights']), undefined);
  for (let epoch = 1; epoch <= 3; epoch++) {
    writeEpochCheckpoint(dir, epoch, [['weights', [Float32Array.of(epoch, 2), Float32Array.of(3)]], ['momentum', []], ['extra', [Float32Array.of(-epoch)]]], { epochsDone: epoch, note: 'n' });
  }
  assert.deepEqual(readdirSync(dir).sort(), ['epoch-0002.bin', 'epoch-0003.bin', 'latest.json']);
  const latest = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  assert.deepEqual(latest, { epochsDone: 3, note: 'n', file: 'epoch-0003.bin', layout: { weights: [2, 1], momentum: [], extra: [1] } });
  const read = readEpochCheckpoint<{ epochsDone: number }>(dir, ['weights', 'momentum', 'extra', 'absent'])!;
  assert.equal(read.fields.epochsDone, 3);
  assert.deepEqual(read.groups.weights.map((t) => [...t]), [[3, 2], [3]]);
  assert.deepEqual(read.groups.momentum, []);
  assert.deepEqual(read.groups.extra.map((t) => [...t]), [[-3]]);
  assert.deepEqual(read.groups.absent, []);
  truncateSync(join(dir, 'epoch-0003.bin'), 8);
  assert.throws(() => readEpochCheckpoint(dir, ['weights', 'momentum', 'extra']), (e) => e instanceof DataError && /checkpoint holds 2 floats, its layout 4/.test(e.message));
});
