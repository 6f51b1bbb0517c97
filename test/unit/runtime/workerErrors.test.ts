// Errors thrown in worker threads reach the main thread as the same class (issue 11: dataset errors
// in trials arrived as generic NasErrors and were reported as failed trials).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CancelledError, DataError, MissingFileError, NasError, SpecError, UnavailableError } from '../../../server/core/errors';
import type { Metrics } from '../../../contract/metrics';
import type { TrainJob } from '../../../server/evaluators/train/trainJob';
import { resolveTrainOptions } from '../../../server/evaluators/train/trainOptions';
import { deserializeError, serializeError } from '../../../server/runtime/workerErrors';
import { WorkerPool } from '../../../server/runtime/workerPool';
import { tmp } from '../data/dataTestSupport';

/** Through the same structured clone postMessage applies. */
const roundTrip = (error: unknown) => deserializeError(structuredClone(serializeError(error)));

test('every error class survives serialization with its class, code, message and fields', () => {
  const spec = roundTrip(new SpecError('must be a number', ['training', 'phases', 2, 'epochs'], true));
  assert.ok(spec instanceof SpecError);
  assert.deepEqual([spec.code, spec.message, spec.path, spec.atKey], ['invalid-spec', 'must be a number', ['training', 'phases', 2, 'epochs'], true]);

  const missing = roundTrip(new MissingFileError('IDX file not found', '/data/train-images'));
  assert.ok(missing instanceof MissingFileError);
  assert.deepEqual([missing.code, missing.message, missing.file], ['missing-data', '/data/train-images: IDX file not found', '/data/train-images']);

  const data = roundTrip(new DataError('truncated IDX header (rank 3)', '/data/x'));
  assert.ok(data instanceof DataError && !(data instanceof MissingFileError));
  assert.deepEqual([data.code, data.message, data.file], ['invalid-data', '/data/x: truncated IDX header (rank 3)', '/data/x']);

  const unfiled = roundTrip(new DataError('the embedded MNIST dataset is missing'));
  assert.ok(unfiled instanceof DataError);
  assert.deepEqual([unfiled.message, unfiled.file], ['the embedded MNIST dataset is missing', undefined]);

  const unavailable = roundTrip(new UnavailableError('Redis at redis://h:6379 unreachable'));
  assert.ok(unavailable instanceof UnavailableError);
  assert.deepEqual([unavailable.code, unavailable.message], ['unavailable', 'Redis at redis://h:6379 unreachable']);

  const cancelled = roundTrip(new CancelledError());
  assert.ok(cancelled instanceof CancelledError);
  assert.equal(cancelled.code, 'cancelled');

  const other = roundTrip(new NasError('failed', 'batch of 7 is not divisible by 2 workers'));
  assert.ok(other instanceof NasError && other.constructor === NasError);
  assert.deepEqual([other.code, other.message], ['failed', 'batch of 7 is not divisible by 2 workers']);

  // A bug is not bad input: a plain Error (exit 1), keeping the worker's stack.
  const bug = new TypeError("Cannot read properties of undefined (reading 'shape')");
  const internal = roundTrip(bug);
  assert.ok(!(internal instanceof NasError));
  assert.equal(internal.message, bug.message);
  assert.equal(internal.stack, bug.stack);
  assert.equal(roundTrip('a thrown string').message, 'a thrown string');
});

test('a dataset error thrown in a real training worker thread arrives as the same class, naming the file', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'labels'), 'not an IDX file');
  const job = (trainImages: string): TrainJob => ({
    arch: { space: 'layers', input: [28, 28, 1], layers: [{ type: 'dense', units: 10, activation: 'softmax' }] },
    options: resolveTrainOptions({ dataset: { type: 'idx', trainImages, trainLabels: 'labels' }, backend: 'cpu' }),
    baseDir: dir,
    splitSeed: 1,
    seed: 1,
  });
  const pool = new WorkerPool<TrainJob, Metrics>('trainingWorker', 1, () => {});
  try {
    await assert.rejects(pool.run(job('missing-images')), (e: unknown) => {
      assert.ok(e instanceof MissingFileError, `got ${String(e)}`);
      assert.equal(e.file, join(dir, 'missing-images'));
      assert.equal(e.message, `${join(dir, 'missing-images')}: file not found (expected the IDX file)`);
      return true;
    });
    await assert.rejects(pool.run(job('labels')), (e: unknown) => {
      assert.ok(e instanceof DataError && !(e instanceof MissingFileError), `got ${String(e)}`);
      assert.equal(e.file, join(dir, 'labels'));
      assert.match(e.message, /labels: not an IDX file \(bad magic number/);
      return true;
    });
  } finally {
    await pool.close();
  }
});
