import { ERROR_CODES, type ErrorData } from '../../contract/errors';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Requests } from '../../contract/protocol';
import { searchSummary, startEngine } from './engineProcess';

/** Small MLPs on a slice of the embedded MNIST: real training, about a second per trial. */
function writeSpec(dir: string, name: string, trials: number, trainSamples = 512): string {
  const file = join(dir, `${name}.nas.json`);
  const spec = {
    name,
    space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
    evaluator: { type: 'train', trainSamples, validationSamples: 256, testSamples: 0, latencyRepeats: 3, workers: 1 },
    strategy: { type: 'regularized-evolution', population: 4, sampleSize: 2 },
    objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
    report: ['params'],
    budget: { trials },
    seed: 7,
  };
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

function journal(root: string, id: string): { type: string; trial?: number; key?: string }[] {
  return readFileSync(join(root, id, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

test('engine runs an experiment: the request returns at once, progress and trials stream, the result is journaled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-engine-'));
  const root = join(dir, 'experiments');
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const spec = writeSpec(dir, 'small', 6);
    const { id } = await engine.connection.sendRequest(Requests.startRun, { specPath: spec });
    assert.equal(engine.trials.length, 0, 'runExperiment must return before any trial finishes');
    const done = searchSummary(await engine.waitForStatus(id, ['finished', 'failed']));
    assert.equal(done.status, 'finished', engine.logs.join('\n'));
    assert.equal(done.trials, 6);
    assert.ok(done.best && done.best.metrics.val_accuracy > 0.5, `best ${JSON.stringify(done.best)}`);
    assert.deepEqual(engine.trials.filter((t) => t.id === id).map((t) => t.trial.trial).sort(), [0, 1, 2, 3, 4, 5]);
    const fractions = engine.progress.filter((p) => p.id === id).map((p) => p.fraction);
    assert.ok(fractions.length > 6, 'progress streams within trials');
    assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1] - 1e-9), 'progress never goes back');
    const page = await engine.connection.sendRequest(Requests.getTrials, { id, offset: 2, limit: 3 });
    assert.deepEqual(page.items.map((t) => t.trial), [2, 3, 4]);
    assert.equal(page.total, 6);
    const list = await engine.connection.sendRequest(Requests.listRuns);
    assert.equal(list[0].id, id);
    assert.equal(journal(root, id).at(-1)?.type, 'finished');
  } finally {
    await engine.stop();
  }
});

test('stopping a running experiment ends it after fewer trials and marks it stopped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-engine-'));
  const root = join(dir, 'experiments');
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const { id } = await engine.connection.sendRequest(Requests.startRun, { specPath: writeSpec(dir, 'stopme', 40) });
    await engine.waitForTrials(id, 1);
    const summary = searchSummary(await engine.connection.sendRequest(Requests.stopRun, { id }));
    assert.equal(summary.status, 'stopped');
    assert.ok(summary.trials < 40);
    assert.equal(journal(root, id).at(-1)?.type, 'stopped');
  } finally {
    await engine.stop();
  }
});

test('kill -9 mid-run: a restarted engine resumes and every trial finishes exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-engine-'));
  const root = join(dir, 'experiments');
  const first = await startEngine({ experimentsRoot: root });
  let id: string;
  let before: { trial?: number; key?: string }[];
  try {
    ({ id } = await first.connection.sendRequest(Requests.startRun, { specPath: writeSpec(dir, 'crash', 10, 1500) }));
    await first.waitForTrials(id, 3);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    before = journal(root, id).filter((r) => r.type === 'trial_finished');
    assert.ok(before.length >= 3 && before.length < 10);
  } finally {
    await first.stop();
  }
  const second = await startEngine({ experimentsRoot: root });
  try {
    const done = await second.waitForStatus(id, ['finished', 'failed']);
    assert.equal(done.status, 'finished', second.logs.join('\n'));
    const records = journal(root, id);
    const finished = records.filter((r) => r.type === 'trial_finished');
    assert.deepEqual(finished.map((r) => r.trial).sort((a, b) => a! - b!), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(finished.slice(0, before.length), before, 'journaled trials are kept as they were');
    assert.ok(records.some((r) => r.type === 'resumed'));
    assert.ok(second.logs.some((l) => l.includes('resuming from its journal')));
    // Only unfinished trials were evaluated again.
    assert.equal(second.trials.filter((t) => t.id === id).length, 10 - before.length);
  } finally {
    await second.stop();
  }
});

test('an untrusted workspace gets diagnostics but never runs experiments', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-engine-'));
  const engine = await startEngine({ experimentsRoot: join(dir, 'experiments'), trusted: false });
  try {
    await assert.rejects(
      engine.connection.sendRequest(Requests.startRun, { specPath: writeSpec(dir, 'untrusted', 2) }),
      (e: { code: number; message: string }) => e.code === ERROR_CODES.untrusted && /untrusted workspace/.test(e.message),
    );
    const diagnostics = new Promise<{ uri: string; diagnostics: { message: string; range: { start: { line: number; character: number } } }[] }>((resolve) =>
      engine.connection.onNotification('textDocument/publishDiagnostics', resolve),
    );
    const uri = pathToFileURL(join(dir, 'bad.nas.json')).href;
    const text = '{\n  "space": {"type": "layers"},\n  "evaluator": {"type": "train", "epochs": -1},\n  "strategy": {"type": "random"},\n  "objectives": [{"metric": "val_accuracy", "goal": "maximize"}],\n  "budget": {"trials": 3}\n}';
    await engine.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    const published = await diagnostics;
    assert.equal(published.uri, uri);
    assert.equal(published.diagnostics.length, 1);
    assert.match(published.diagnostics[0].message, /evaluator.epochs must be >= 1/);
    assert.deepEqual(published.diagnostics[0].range.start, { line: 2, character: 43 });
  } finally {
    await engine.stop();
  }
});

test('a spec with errors is refused with a clear message; a missing dataset is refused naming its option, before any folder exists', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-engine-'));
  const root = join(dir, 'experiments');
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const bad = join(dir, 'bad.nas.json');
    writeFileSync(bad, JSON.stringify({ space: { type: 'layers' }, evaluator: { type: 'train' }, strategy: { type: 'random' }, objectives: [], budget: { trials: 2 } }));
    await assert.rejects(engine.connection.sendRequest(Requests.startRun, { specPath: bad }), (e: { code: number; message: string; data: ErrorData }) => {
      assert.equal(e.code, ERROR_CODES['invalid-spec']);
      assert.match(e.message, /objectives needs at least 1 item/);
      assert.equal(e.data.specPath, bad);
      assert.match(e.data.problems?.[0].message ?? '', /objectives needs at least 1 item/);
      return true;
    });

    const missing = join(dir, 'missing.nas.json');
    writeFileSync(
      missing,
      JSON.stringify({
        space: { type: 'layers' },
        evaluator: { type: 'train', dataset: { type: 'idx', trainImages: 'nope-images.idx', trainLabels: 'nope-labels.idx' } },
        strategy: { type: 'random' },
        objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
        budget: { trials: 2 },
      }),
    );
    await assert.rejects(engine.connection.sendRequest(Requests.startRun, { specPath: missing }), (e: { code: number; message: string; data: ErrorData }) => {
      assert.equal(e.code, ERROR_CODES['missing-data']);
      assert.match(e.message, /nope-images\.idx: file not found/);
      assert.equal(e.data.file, join(dir, 'nope-images.idx'));
      assert.equal(e.data.specPath, missing);
      assert.deepEqual(e.data.optionPath, ['evaluator', 'dataset', 'trainImages']);
      return true;
    });
    assert.deepEqual(await engine.connection.sendRequest(Requests.listRuns), [], 'nothing was created');
    // The engine is still alive and answering.
    assert.equal((await engine.connection.sendRequest(Requests.engineInfo)).trusted, true);
  } finally {
    await engine.stop();
  }
});

const ofaData = join(__dirname, '../../../shared/data/ofa');
const ofaMissing = existsSync(join(ofaData, 'acc_predictor.json')) ? undefined : `OFA reference data not found under ${ofaData}`;

test('specialization from the engine: a run like any other — listed, its Pareto set in the summary, exported for set_active_subnet', { skip: ofaMissing }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-engine-'));
  const root = join(dir, 'state/experiments');
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const { id } = await engine.connection.sendRequest(Requests.startRun, {
      kind: 'specialization',
      spec: { predictor: join(ofaData, 'acc_predictor.json'), efficiency: { kind: 'lut', dir: join(ofaData, 'note10') }, limits: [20, 30], seed: 1 },
    });
    await engine.waitForStatus(id, ['finished', 'failed'], 120_000);
    const [summary] = await engine.connection.sendRequest(Requests.listRuns);
    assert.equal(summary.kind, 'specialization');
    if (summary.kind !== 'specialization') return;
    assert.equal(summary.status, 'finished', summary.error);
    assert.deepEqual(summary.progress, { done: 2, total: 2, unit: 'limits' });
    assert.deepEqual(summary.subnets.map((s) => s.limit), [20, 30]);
    for (const s of summary.subnets) assert.ok(s.efficiency <= s.limit && s.predictedAccuracy > 0.75, JSON.stringify(s));
    assert.ok(engine.progress.some((p) => p.id === id && p.fraction > 0 && p.unit === 'limits'));
    const out = join(dir, 'subnet.json');
    await engine.connection.sendRequest(Requests.exportSpecializedSubnet, { id, limit: 30, path: out });
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual({ ks: exported.ks, e: exported.e, d: exported.d, r: exported.r }, (({ space: _s, ...a }) => a)(summary.subnets[1].arch as Record<string, unknown>));
    assert.equal(exported.space, 'ofa-mbv3');
    assert.ok(existsSync(join(root, id, 'journal.jsonl')), 'a run folder like every kind');
  } finally {
    await engine.stop();
  }
});
