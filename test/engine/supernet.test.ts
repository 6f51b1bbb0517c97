import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Requests } from '../../contract/protocol';
import { searchSummary, startEngine, supernetSummary } from './engineProcess';
import { TINY_SUPERNET } from '../tinySupernet';

const CLI = join(__dirname, '../../bin/nas-studio.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


/** A small supernet on a slice of the embedded MNIST: a few seconds per epoch. */
function writeSupernetSpec(dir: string, name: string, trainSamples: number, teacher: 'inplace' | 'frozen' = 'inplace'): string {
  const file = join(dir, `${name}.supernet.json`);
  const phases = [
    { phase: 'full', epochs: 2, learningRate: 0.1 },
    { phase: 'kernel', epochs: 1, learningRate: 0.03 },
    { phase: 'depth', epochs: 1, learningRate: 0.03 },
    { phase: 'expand', epochs: 2, learningRate: 0.03 },
  ];
  const training = { mode: 'progressive-shrinking', phases, teacher, trainSamples, validation: 500, testSamples: 500, calibrationSamples: 300, batchSize: 64, augment: { crop: 2 } };
  writeFileSync(file, JSON.stringify({ name, supernet: TINY_SUPERNET, dataset: { type: 'mnist' }, training, seed: 3 }, null, 2));
  return file;
}

type JournalLine = { type: string; epoch?: number; phase?: string };

function journal(dir: string): JournalLine[] {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalLine);
}

const epochsOf = (dir: string) => journal(dir).filter((r) => r.type === 'epoch_finished').map((r) => r.epoch);

test('nas-studio train: kill -9 after an epoch checkpoint, resume: epochs continue without repeating one; show, list and export-subnet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-supernet-'));
  // The frozen teacher: killed after an elastic epoch, the resumed run restores it from the checkpoint.
  const spec = writeSupernetSpec(dir, 'tiny', 2048, 'frozen');
  const run = join(dir, 'run');
  const child = spawn(process.execPath, [CLI, 'train', spec, '--out', run], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      if (/^epoch 3\/6 /m.test(output)) resolve(); // the finished epoch's line, not the live status line
    });
    child.once('exit', () => reject(new Error(`training ended before the kill:\n${output}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const before = epochsOf(run);
  assert.ok(before.length >= 3 && before.length < 6, `killed after epochs ${before}`);
  const teacherFloats = JSON.parse(readFileSync(join(run, 'checkpoints/latest.json'), 'utf8')).layout.teacher.length;
  assert.ok(teacherFloats > 0, 'the checkpoint holds the distillation teacher');
  assert.ok(existsSync(join(run, 'checkpoints/latest.json')));

  const list = cli(['list', '--root', dir], dir);
  assert.match(list.stdout, new RegExp(`run\\s+interrupted\\s+epoch ${before.length}/6\\s+val largest`));

  const resumed = cli(['resume', run, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming run after epoch ${before.length} of 6`));
  assert.deepEqual(epochsOf(run), [1, 2, 3, 4, 5, 6]);
  const last = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.status, 'finished');
  assert.equal(last.training.epoch, 6);
  // It trained: far above chance (10 %) after 6 short epochs.
  assert.ok(last.training.accuracy > 0.5, `largest sub-network validation accuracy ${last.training.accuracy}`);
  assert.ok(last.training.test.smallest.accuracy > 0.3, JSON.stringify(last.training.test));

  const show = cli(['show', run], dir);
  assert.equal(show.code, 0);
  assert.equal(show.stdout.split('\n').filter((l) => l.startsWith('epoch ')).length, 6);

  // Its report is the training curves: no plot or graph of trials it does not have.
  const report = cli(['report', run, '--out', join(dir, 'report.html')], dir);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /report of tiny \(finished, epoch 6\/6\)/);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.deepEqual([...html.matchAll(/<section [^>]*data-nas-view="(\w+)"/g)].map((m) => m[1]), ['progress']);
  const data = JSON.parse(/<script type="application\/json" id="nas-report-data">(.*?)<\/script>/s.exec(html)![1]);
  assert.deepEqual(data.training.map((p: { epoch: number }) => p.epoch), [1, 2, 3, 4, 5, 6]);
  assert.equal(data.training[5].accuracy, last.training.accuracy);
  assert.ok(html.includes(`validation accuracy: largest ${(last.training.accuracy * 100).toFixed(2)}%`));

  const exported = cli(['export-subnet', run, '--arch', '{"ks": [5, 3, 3, 5], "e": [3, 2, 2, 3], "d": [2, 1], "r": 24}', '--out', join(dir, 'subnet'), '--json'], dir);
  assert.equal(exported.code, 0, exported.stderr);
  const result = JSON.parse(exported.stdout.trim().split('\n').at(-1)!);
  assert.ok(result.reloadMaxDifference <= 1e-4, `reloaded model differs by ${result.reloadMaxDifference}`);
  assert.ok(result.valAccuracy > 0.3, `${result.valAccuracy}`);
  assert.ok(result.latencyMs > 0 && result.params > 0 && result.flops > 0);
  assert.ok(existsSync(join(dir, 'subnet/model.json')) && existsSync(join(dir, 'subnet/weights.bin')));
  assert.equal(JSON.parse(readFileSync(join(dir, 'subnet/subnet.json'), 'utf8')).d.join(), '2,1');

  const badArch = cli(['export-subnet', run, '--arch', '{"ks": [9, 3, 3, 5], "e": [3, 2, 2, 3], "d": [2, 1], "r": 24}', '--out', join(dir, 'x')], dir);
  assert.equal(badArch.code, 2);
  assert.match(badArch.stderr, /--arch ks\[0\]: ks\[0\] must be one of 3, 5; got 9/);
});

test('a bad supernet spec prints file:line:col errors; a dataset that does not fit fails naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-supernet-'));
  const bad = join(dir, 'bad.supernet.json');
  writeFileSync(bad, JSON.stringify({ supernet: TINY_SUPERNET, dataset: { type: 'mnist' }, training: { mode: 'fairnas', epochs: 1, learningRate: 0.1, batchSize: 65 } }, null, 2));
  const r = cli(['train', bad], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${bad}:\\d+:\\d+: error: batchSize 65 must be divisible by the 2 workers`));

  const images = join(dir, 'images');
  const labels = join(dir, 'labels');
  writeFileSync(images, Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, ...new Array(2 * 28 * 28).fill(0)]));
  writeFileSync(labels, Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 3, 11]));
  const spec = join(dir, 'labels.supernet.json');
  writeFileSync(spec, JSON.stringify({ supernet: TINY_SUPERNET, dataset: { type: 'idx', trainImages: 'images', trainLabels: 'labels' }, training: { mode: 'fairnas', epochs: 1, learningRate: 0.1, validation: 1 } }));
  // Label values are only seen when the data loads: the run starts, then fails as bad input (exit 2) naming the file.
  const failed = cli(['train', spec, '--out', join(dir, 'run')], dir);
  assert.equal(failed.code, 2, failed.stdout + failed.stderr);
  assert.match(failed.stdout, new RegExp(`failed: ${labels}: label 11 of example 1 is out of range: the network has 10 classes`));
  assert.doesNotMatch(failed.stdout + failed.stderr, /no feasible architecture|\n\s+at /);
});

test('engine: nas/trainSupernet returns at once and streams training progress; a restarted engine resumes it; the trained supernet is searched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-supernet-engine-'));
  const root = join(dir, 'experiments');
  const first = await startEngine({ experimentsRoot: root });
  let id: string;
  try {
    ({ id } = await first.connection.sendRequest(Requests.startRun, { specPath: writeSupernetSpec(dir, 'engine', 2048) }));
    const summary = first.changes.find((s) => s.id === id);
    assert.equal(summary?.kind, 'supernet');
    const afterOne = await first.waitFor(() => first.changes.some((s) => s.id === id && s.kind === 'supernet' && s.training.epoch >= 1), 'one epoch');
    assert.ok(afterOne);
    const training = first.progress.find((p) => p.id === id && p.training)?.training;
    assert.ok(training && training.steps === 32 && training.phase === 'full' && training.imagesPerSecond > 0, JSON.stringify(training));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
  } finally {
    await first.stop();
  }
  const second = await startEngine({ experimentsRoot: root });
  try {
    const done = supernetSummary(await second.waitForStatus(id, ['finished', 'failed'], 240_000));
    assert.equal(done.status, 'finished', second.logs.join('\n'));
    assert.equal(done.training.epoch, 6);
    assert.ok(second.logs.some((l) => new RegExp(`${id}: resumed after [1-5] of 6 epochs`).test(l)), second.logs.join('\n'));
    assert.deepEqual(epochsOf(join(root, id)), [1, 2, 3, 4, 5, 6]);
    const epochs = await second.connection.sendRequest(Requests.getTrainingEpochs, { id });
    assert.deepEqual(epochs.map((e) => e.epoch), [1, 2, 3, 4, 5, 6]);
    assert.equal(epochs[5].validation.largest.accuracy, done.training.accuracy);
    assert.equal(epochs[5].validation.smallest.accuracy, done.training.smallestAccuracy);

    const search = join(dir, 'search.nas.json');
    writeFileSync(
      search,
      JSON.stringify({
        space: TINY_SUPERNET,
        evaluator: { type: 'supernet', run: join(root, id), calibrationSamples: 200, validationSamples: 300, latencyRepeats: 3 },
        strategy: { type: 'random' },
        objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
        report: ['params', 'flops', 'latency_ms'],
        budget: { trials: 3 },
      }),
    );
    const { id: searchId } = await second.connection.sendRequest(Requests.startRun, { specPath: search });
    const finished = searchSummary(await second.waitForStatus(searchId, ['finished', 'failed']));
    assert.equal(finished.status, 'finished', second.logs.join('\n'));
    const metrics = finished.best!.metrics;
    for (const m of ['val_accuracy', 'params', 'flops', 'latency_ms']) assert.equal(typeof metrics[m], 'number', m);
    assert.ok(metrics.val_accuracy > 0.3, JSON.stringify(metrics));
    await assert.rejects(second.connection.sendRequest(Requests.getTrainingEpochs, { id: searchId }), /not a supernet training run/);

    // Export from the engine (a worker thread): the smallest sub-network, checked after reloading.
    const exported = await second.connection.sendRequest(Requests.exportSupernetSubnet, { id, arch: 'smallest', outDir: join(dir, 'smallest') });
    assert.ok(existsSync(join(dir, 'smallest/model.json')) && existsSync(join(dir, 'smallest/weights.bin')));
    assert.ok(exported.reloadMaxDifference <= 1e-4, `${exported.reloadMaxDifference}`);
    // The same recalibration and validation split as the last epoch's score (up to float rounding in the batch-norm statistics).
    assert.ok(Math.abs(exported.valAccuracy - done.training.smallestAccuracy!) <= 0.01, `${exported.valAccuracy} vs ${done.training.smallestAccuracy}`);
    assert.deepEqual(exported.arch.d, [1, 1]);
    const badArch = { space: 'ofa-small', ks: [9, 3, 3, 5], e: [3, 2, 2, 3], d: [2, 1], r: 24 };
    await assert.rejects(second.connection.sendRequest(Requests.exportSupernetSubnet, { id, arch: badArch, outDir: join(dir, 'bad') }), /arch ks\[0\]: ks\[0\] must be one of 3, 5; got 9/);
    await assert.rejects(second.connection.sendRequest(Requests.exportSupernetSubnet, { id: searchId, arch: 'largest', outDir: join(dir, 'bad') }), /not a supernet training run/);
  } finally {
    await second.stop();
  }
});
