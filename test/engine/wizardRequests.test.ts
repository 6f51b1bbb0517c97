// The requests the New Experiment wizard makes of the engine: a dataset's shape and classes, and
// spec text checked by the validator of its kind before it is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '../../contract/errors';
import { Requests } from '../../contract/protocol';
import { startEngine } from './engineProcess';

test('the wizard\'s requests: the built-in dataset\'s shape, spec text validated unwritten with every problem and its path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-wizard-'));
  const engine = await startEngine({ experimentsRoot: join(dir, 'experiments') });
  try {
    assert.deepEqual(await engine.connection.sendRequest(Requests.describeDataset, { dataset: { type: 'mnist' }, baseDir: dir }), { shape: [28, 28, 1], classes: 10, count: 60000, hasTest: true });
    await assert.rejects(engine.connection.sendRequest(Requests.describeDataset, { dataset: { type: 'idx', trainImages: 'nope', trainLabels: 'nope' }, baseDir: dir }), (e: { code: number }) => e.code === ERROR_CODES['missing-data']);

    const specPath = join(dir, 'new.nas.json');
    const good = { space: { type: 'layers' }, evaluator: { type: 'train' }, strategy: { type: 'random' }, objectives: [{ metric: 'val_accuracy', goal: 'maximize' }], budget: { trials: 2 } };
    assert.deepEqual(await engine.connection.sendRequest(Requests.validateSpec, { specPath, text: JSON.stringify(good) }), []);
    const bad = { ...good, objectives: [{ metric: 'val_acc', goal: 'maximize' }], budget: { trials: 0 } };
    const problems = await engine.connection.sendRequest(Requests.validateSpec, { specPath, text: JSON.stringify(bad) });
    assert.deepEqual(problems.map((p) => [p.severity, p.path]).sort(), [['error', 'budget.trials'], ['error', 'objectives[0].metric']], JSON.stringify(problems));
    await assert.rejects(engine.connection.sendRequest(Requests.validateSpec, { specPath: join(dir, 'notes.json'), text: '{}' }), (e: { code: number; message: string }) => e.code === ERROR_CODES['invalid-request'] && /not a spec file name/.test(e.message));
  } finally {
    await engine.stop();
  }
});
