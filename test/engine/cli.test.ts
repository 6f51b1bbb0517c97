import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchView } from '../../server/experiment/searchQueries';
import { RunService } from '../../server/runs/runService';
import { killDuringRun } from './killDuringRun';

const CLI = join(__dirname, '../../bin/nas-studio.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tinySpec(dir: string, trials: number, trainSamples = 512): string {
  const file = join(dir, 'tiny.nas.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'tiny',
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
      evaluator: { type: 'train', trainSamples, validationSamples: 256, testSamples: 256, latencyRepeats: 3, workers: 1 },
      strategy: { type: 'random' },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      report: ['test_accuracy', 'params', 'flops', 'latency_ms'],
      budget: { trials },
    }, null, 2),
  );
  return file;
}

test('run --json: a table for people, one JSON object as the last line; list and show find it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  const r = cli(['run', tinySpec(dir, 3), '--json', '--seed', '5'], dir);
  assert.equal(r.code, 0, r.stderr);
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.trials, 3);
  assert.equal(last.status, 'finished');
  assert.equal(last.best.arch.space, 'layers');
  for (const m of ['val_accuracy', 'test_accuracy', 'params', 'flops', 'latency_ms']) assert.equal(typeof last.best.metrics[m], 'number', m);
  assert.match(r.stderr, /\[#+\.*\]\s+1\/3\s+trial 0/);
  assert.match(r.stderr, /Best architecture \(trial \d\)/);
  // The seed override is part of the snapshot, so a resume replays the same search.
  const snapshot = JSON.parse(readFileSync(join(dir, '.nas-studio/experiments', last.experiment, 'spec.json'), 'utf8'));
  assert.equal(snapshot.kind, 'search');
  assert.equal(snapshot.spec.seed, 5);

  const list = cli(['list'], dir);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`${last.experiment}\\s+finished\\s+3/3\\s+val_accuracy=`));
  const listJson = cli(['list', '--json'], dir);
  assert.equal(listJson.code, 0, listJson.stderr);
  assert.deepEqual(JSON.parse(listJson.stdout).map((s: { id: string }) => s.id), [last.experiment]);
  const show = cli(['show', last.experiment, '--json'], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(JSON.parse(show.stdout).trials.length, 3);
  const showText = cli(['show', last.experiment], dir);
  assert.equal(showText.code, 0, showText.stderr);
  assert.match(showText.stdout, /Best architecture \(trial \d\)/);
});

test('a bad spec prints file:line:col errors and exits 2; unknown options exit 2 with usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  const file = join(dir, 'bad.nas.json');
  writeFileSync(file, '{\n  "space": {"type": "layers"},\n  "evaluator": {"type": "train"},\n  "strategy": {"type": "random", "speed": 3},\n  "objectives": [{"metric": "val_accuracy", "goal": "maximize"}],\n  "budget": {"trials": 2}\n}\n');
  const r = cli(['run', file], dir);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), `${file}:4:34: error: unknown key "speed" in strategy; allowed keys: type`);
  const u = cli(['run', file, '--fast'], dir);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /Unknown option '--fast'/);
  assert.match(u.stderr, /usage: nas-studio run SPEC/);
  assert.equal(cli(['show', 'nope'], dir).code, 2);
});

test('kill -9 of a CLI run, then resume: every trial exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-cli-'));
  const spec = tinySpec(dir, 8, 1500);
  await killDuringRun(['run', spec, '--out', join(dir, 'exp')], dir, 3);
  const r = cli(['resume', join(dir, 'exp'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /resuming exp: [3-7] finished trial\(s\) replayed from the journal/);
  const journal = readFileSync(join(dir, 'exp/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const trials = journal.filter((x) => x.type === 'trial_finished').map((x) => x.trial).sort((a: number, b: number) => a - b);
  assert.deepEqual(trials, [0, 1, 2, 3, 4, 5, 6, 7]);
  // Every trained trial's learning curve survived the kill: its last epoch is the training the metrics describe.
  const view = new RunService(dir).read(new RunService(dir).find(join(dir, 'exp')));
  assert.ok(view.readable);
  const curves = (view.view as SearchView).state.curves;
  for (const t of journal.filter((x) => x.type === 'trial_finished' && !x.cached && !x.error)) {
    const last = curves.get(t.trial)?.at(-1);
    assert.ok(last, `trial ${t.trial} has a curve`);
    assert.equal(last.valAccuracy, t.metrics.val_accuracy, `trial ${t.trial}: validation accuracy after the last epoch`);
    assert.ok(Math.abs(last.loss - t.metrics.train_loss) < 1e-9, `trial ${t.trial}: mean loss of the last epoch is its train_loss`);
  }
});
