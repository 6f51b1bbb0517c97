import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayersSpace, type LayersSpaceOptions } from '../../server/spaces/layers/layersSpace';
import { RunService } from '../../server/runs/runService';
import { writePng } from '../unit/data/dataTestSupport';
import { killDuringRun } from './killDuringRun';
import { writeSyntheticNb201Table, writeTabularSpec } from '../syntheticNb201';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const STACK = /\n\s+at /;

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type JsonRecord = Record<string, unknown> & { type: string };
const journal = (dir: string): JsonRecord[] => readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** A workspace with the synthetic table, a finished 30-trial source search on it (run `src`), and a spec for the target. */
function workspace(): { dir: string; table: string; root: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nas-warm-'));
  const table = writeSyntheticNb201Table(dir);
  const root = join(dir, 'runs');
  const source = cli(['run', writeTabularSpec(dir, 'src', 30, table, 'regularized-evolution'), '--out', join(root, 'src')], dir);
  assert.equal(source.code, 0, source.stderr);
  return { dir, table, root, target: writeTabularSpec(dir, 'target', 20, table, 'predictor-local-search') };
}

/** The spec file with `warmStart` set. */
function withWarmStart(spec: string, warmStart: unknown): string {
  writeFileSync(spec, JSON.stringify({ ...JSON.parse(readFileSync(spec, 'utf8')), warmStart }, null, 2));
  return spec;
}

test('warm-start sources are checked when the run is created: unknown, unfinished, another space, another number of objectives; nothing is created', async () => {
  const { dir, table, root, target } = workspace();
  const service = new RunService(root);
  // A search that never ran (pending), and a finished run of another space (hand-made: started and finished with no trial).
  const pendingSpec = writeTabularSpec(dir, 'pending', 5, table);
  await service.create({ specPath: pendingSpec, text: readFileSync(pendingSpec, 'utf8') }, join(root, 'pending'));
  const layersSpec = join(dir, 'layers.nas.json');
  writeFileSync(layersSpec, JSON.stringify({ space: { type: 'layers' }, evaluator: { type: 'train' }, strategy: { type: 'random' }, objectives: [{ metric: 'val_accuracy', goal: 'maximize' }], budget: { trials: 1 } }));
  const { location } = await service.create({ specPath: layersSpec, text: readFileSync(layersSpec, 'utf8') }, join(root, 'layers'));
  {
    appendFileSync(join((location as { folder: { dir: string } }).folder.dir, 'journal.jsonl'), `${JSON.stringify({ type: 'started', at: 't', pid: 1, budget: 1 })}\n${JSON.stringify({ type: 'finished', at: 't', reason: 'budget' })}\n`);
    const twoObjectives = writeTabularSpec(dir, 'two', 3, table);
    writeFileSync(twoObjectives, JSON.stringify({ ...JSON.parse(readFileSync(twoObjectives, 'utf8')), objectives: [{ metric: 'acc', goal: 'maximize' }, { metric: 'lat_ms', goal: 'minimize' }], report: [] }));
    assert.equal(cli(['run', twoObjectives, '--out', join(root, 'two')], dir).code, 0);

    const before = readdirSync(root).sort();
    withWarmStart(target, { runs: ['nope', 'pending', join(root, 'layers'), 'two', 'src', 'src'] });
    const r = cli(['run', target, '--root', root], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, STACK);
    const errors = r.stderr.trim().split('\n').map((line) => line.replace(/^.*?: error: /, ''));
    assert.deepEqual(errors, [
      `no run "nope" in ${root}`,
      'run "pending" is pending after 0/5 trials: only a finished search can warm-start another',
      'run "layers" searched the "layers" space, not "nb201"; a warm start needs the same space',
      'run "two" optimized 2 objectives and this spec 1: transferred observations would not line up',
      'run "src" is already a source of this warm start',
    ]);
    // Each error points at the entry that names the run.
    const text = readFileSync(target, 'utf8');
    const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    assert.match(r.stderr, new RegExp(`target\\.nas\\.json:${line('"nope"')}:\\d+: error: no run`));
    assert.deepEqual(readdirSync(root).sort(), before, 'no run folder was created');
  }
});

test('a warm-started run: the transfer is journaled before any trial, never counted as trials; the sources\' best architectures are evaluated first', () => {
  const { dir, root, target } = workspace();
  const r = cli(['run', target, '--root', root, '--warm-start', 'src', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(result.trials, 20);
  assert.match(r.stderr, /warm start: \d+ observations transferred from src \(\d+\)/);

  const source = journal(join(root, 'src')).filter((x) => x.type === 'trial_finished' && !x.cached);
  const records = journal(join(root, result.experiment));
  const kinds = records.map((x) => x.type);
  const transferred = records.filter((x) => x.type === 'warm_observation');
  // One observation per distinct architecture the source evaluated, each once, all before the first trial.
  assert.deepEqual(transferred.map((x) => x.key), source.map((x) => x.key));
  assert.ok(kinds.lastIndexOf('warm_observation') < kinds.indexOf('warm_start'));
  assert.ok(kinds.indexOf('warm_start') < kinds.indexOf('trial_finished'));
  // Signal only: the source's objective, oriented; no report column travels.
  assert.deepEqual(transferred[0].objectives, [(source[0].metrics as { acc: number }).acc]);
  assert.equal(JSON.stringify(transferred).includes('lat_ms'), false);
  // Twenty trials, numbered 0..19: the transferred observations are not among them.
  assert.deepEqual(records.filter((x) => x.type === 'trial_finished').map((x) => x.trial), Array.from({ length: 20 }, (_, i) => i));
  // use "both" with k = 5 (the defaults): the first five trials are the source's five best, best first.
  const best = [...source].sort((a, b) => (b.metrics as { acc: number }).acc - (a.metrics as { acc: number }).acc || (a.trial as number) - (b.trial as number)).slice(0, 5);
  assert.deepEqual(records.filter((x) => x.type === 'trial_finished').slice(0, 5).map((x) => x.key), best.map((x) => x.key));

  const show = JSON.parse(cli(['show', result.experiment, '--root', root, '--json'], dir).stdout);
  assert.equal(show.trials.length, 20);
  assert.deepEqual(show.warmStart, { sources: ['src'], use: 'both', observations: transferred.length });
  assert.deepEqual(show.progress, { done: 20, total: 20, unit: 'trials' });
  assert.match(cli(['show', result.experiment, '--root', root], dir).stdout, new RegExp(`warm start: ${transferred.length} observations from src \\(top-k \\+ prior\\)`));
});

test('the same seed and the same sources give the same search; a transfer cut short by a crash is redone and the run ends as an uninterrupted one', () => {
  const { dir, root, target } = workspace();
  const trialKeys = (id: string) => journal(join(root, id)).filter((x) => x.type === 'trial_finished').map((x) => x.key);
  const run = (out: string, args: string[] = []) => {
    const r = cli(['run', target, '--root', root, '--out', join(root, out), '--warm-start', 'src', ...args], dir);
    assert.equal(r.code, 0, r.stderr);
  };
  run('a');
  run('b');
  assert.deepEqual(trialKeys('b'), trialKeys('a'));
  run('other-seed', ['--seed', '9']);
  assert.notDeepEqual(trialKeys('other-seed'), trialKeys('a'));
  const cold = cli(['run', target, '--root', root, '--out', join(root, 'cold')], dir);
  assert.equal(cold.code, 0, cold.stderr);
  assert.notDeepEqual(trialKeys('cold'), trialKeys('a'));

  // A crash in the middle of the transfer: the journal ends after part of the observations (and a torn line).
  run('c');
  const lines = readFileSync(join(root, 'c', 'journal.jsonl'), 'utf8').split('\n');
  const cut = lines.findIndex((l) => l.includes('"warm_observation"')) + 7;
  writeFileSync(join(root, 'c', 'journal.jsonl'), lines.slice(0, cut).join('\n') + '\n{"type":"warm_obs');
  const resumed = cli(['resume', join(root, 'c')], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  const records = journal(join(root, 'c'));
  const transferred = records.filter((x) => x.type === 'warm_observation');
  const distinct = new Set(transferred.map((x) => `${x.source}#${x.trial}`));
  assert.equal(transferred.length, distinct.size + 7, 'the seven observations before the crash were journaled again, and count once');
  assert.deepEqual(trialKeys('c'), trialKeys('a'));
  assert.equal(JSON.parse(cli(['show', 'c', '--root', root, '--json'], dir).stdout).warmStart.observations, distinct.size);
});

test('kill -9 of a warm-started run, then resume: neither transferred nor finished architectures are evaluated again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-warm-'));
  const root = join(dir, 'runs');
  const space: LayersSpaceOptions = { convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] };
  const spec = (name: string, trials: number) => ({
    name,
    space: { type: 'layers', ...space },
    evaluator: { type: 'train', trainSamples: 1500, validationSamples: 256, testSamples: 0, latencyRepeats: 3, workers: 1 },
    strategy: { type: 'regularized-evolution', population: 4, sampleSize: 2 },
    objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
    budget: { trials },
  });
  // The source: a finished search made by hand (its results written, not trained), five architectures.
  const layers = new LayersSpace(space);
  const sourceGenomes = [[0, 1, 0, 0, 0], [0, 2, 1, 0, 1], [0, 1, 2, 0, 0], [0, 0, 0, 0, 1], [0, 2, 2, 2, 0]];
  await handMadeRun(dir, root, 'src', spec('src', 5), sourceGenomes.map((genome, i) => ({ key: layers.key(genome), genome, arch: layers.toArch(genome), metrics: { val_accuracy: 0.5 + i / 10 } })));
  const file = join(dir, 'target.nas.json');
  writeFileSync(file, JSON.stringify({ ...spec('target', 8), warmStart: { runs: ['src'], k: 2 } }, null, 2));

  await killDuringRun(['run', file, '--root', root, '--out', join(root, 'target')], dir, 3);
  const before = journal(join(root, 'target'));
  const finishedBefore = before.filter((x) => x.type === 'trial_finished').map((x) => x.trial as number);
  assert.ok(finishedBefore.length >= 3 && finishedBefore.length < 8, `${finishedBefore.length} trials before the kill`);

  const r = cli(['resume', join(root, 'target'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const records = journal(join(root, 'target'));
  const resumedAt = records.findIndex((x) => x.type === 'resumed');
  // The transfer was complete before the kill: nothing was transferred again.
  assert.equal(records.filter((x) => x.type === 'warm_observation').length, 5);
  assert.equal(records.filter((x) => x.type === 'warm_start').length, 1);
  assert.ok(records.slice(resumedAt).every((x) => x.type !== 'warm_observation'));
  // Every trial exactly once; none finished before the kill started again after it.
  assert.deepEqual(records.filter((x) => x.type === 'trial_finished').map((x) => x.trial).sort((a, b) => (a as number) - (b as number)), [0, 1, 2, 3, 4, 5, 6, 7]);
  const startedAfter = records.slice(resumedAt).filter((x) => x.type === 'trial_started').map((x) => x.trial as number);
  assert.deepEqual(startedAfter.filter((t) => finishedBefore.includes(t)), []);
  // The two transferred architectures evaluated first are the source's two best.
  assert.deepEqual(records.filter((x) => x.type === 'trial_finished').slice(0, 2).map((x) => x.key), [layers.key(sourceGenomes[4]), layers.key(sourceGenomes[3])]);
});

test('nas-studio similar: the same task first, then by meta-features and rank correlation; other spaces and unfinished runs are left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-similar-'));
  const root = join(dir, 'runs');
  const spaceOptions: LayersSpaceOptions = { convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] };
  const layers = new LayersSpace(spaceOptions);
  const spec = (dataset: unknown, input = [28, 28, 1]) => ({
    space: { type: 'layers', ...spaceOptions, input },
    evaluator: { type: 'train', dataset, trainSamples: 4, validationSamples: 2 },
    strategy: { type: 'random' },
    objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
    budget: { trials: 6 },
  });
  // Two small image folders: 28x28 gray images in ten classes (like MNIST) and 8x8 colour ones in two.
  const folder = (name: string, classes: number, size: number, colour: [number, number, number]) => {
    for (let c = 0; c < classes; c++) {
      mkdirSync(join(dir, name, `class${c}`), { recursive: true });
      for (let i = 0; i < 3; i++) writePng(join(dir, name, `class${c}`, `${i}.png`), size, size, () => [...colour, 255]);
    }
    return name;
  };
  const gray = { type: 'folder', train: folder('gray', 10, 28, [51, 51, 51]), channels: 1 };
  const colour = { type: 'folder', train: folder('colour', 2, 8, [255, 0, 102]) };
  const genomes = [[0, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 2, 1, 0, 0], [0, 2, 2, 1, 1], [0, 1, 1, 0, 1], [0, 2, 0, 2, 0]];
  const trials = (accuracy: (i: number) => number) => genomes.map((genome, i) => ({ key: layers.key(genome), genome, arch: layers.toArch(genome), metrics: { val_accuracy: accuracy(i) } }));
  await handMadeRun(dir, root, 'same-task', spec({ type: 'mnist' }), trials((i) => 0.5 + i / 20));
  await handMadeRun(dir, root, 'alike', spec(gray), trials((i) => 0.3 + i / 50));
  await handMadeRun(dir, root, 'opposite', spec(colour, [8, 8, 3]), trials((i) => 0.9 - i / 50));
  const unfinished = join(dir, 'unfinished.nas.json');
  writeFileSync(unfinished, JSON.stringify(spec({ type: 'mnist' })));
  await new RunService(root).create({ specPath: unfinished, text: readFileSync(unfinished, 'utf8') }, join(root, 'unfinished'));
  const target = join(dir, 'new.nas.json');
  writeFileSync(target, JSON.stringify(spec({ type: 'mnist' })));

  const r = cli(['similar', target, '--root', root, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const ranked = JSON.parse(r.stdout) as { id: string; sameTask: boolean; score: number; metaDistance?: number; rankCorrelation?: { rho: number; common: number }; metaFeatures?: { examples: number; classes: number; shape: number[]; mean: number[]; std: number[] } }[];
  assert.deepEqual(ranked.map((x) => x.id), ['same-task', 'alike', 'opposite']);
  assert.deepEqual([ranked[0].sameTask, ranked[0].score], [true, 1]);
  // Results in the same order as the same task's: rho 1; in the reverse order: rho -1 (six common architectures).
  assert.deepEqual(ranked[1].rankCorrelation, { rho: 1, common: 6 });
  assert.deepEqual(ranked[2].rankCorrelation, { rho: -1, common: 6 });
  // The folders' meta-features, known by construction: 30 gray images of 51/255, 6 colour ones of (255, 0, 102)/255.
  assert.deepEqual({ ...ranked[1].metaFeatures, mean: ranked[1].metaFeatures!.mean.map((v) => +v.toFixed(6)) }, { examples: 30, classes: 10, shape: [28, 28, 1], mean: [0.2], std: [0.001] });
  assert.deepEqual({ ...ranked[2].metaFeatures, mean: ranked[2].metaFeatures!.mean.map((v) => +v.toFixed(6)) }, { examples: 6, classes: 2, shape: [8, 8, 3], mean: [1, 0, 0.4], std: [0.001, 0.001, 0.001] });
  for (const x of ranked.slice(1)) assert.ok(Math.abs(x.score - (Math.exp(-x.metaDistance!) + (x.rankCorrelation!.rho + 1) / 2) / 2) < 1e-12);

  const text = cli(['similar', target, '--root', root], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Finished searches of the "layers" space, most similar task first \(1 other search skipped/);
  assert.match(text.stdout, /1\s+same-task\s+val_accuracy · 60000 × 28x28x1, 10 classes\s+same task/);
  assert.match(text.stdout, /2\s+alike\s+val_accuracy · 30 × 28x28x1, 10 classes\s+\d\.\d{3}\s+1\.000 \(6 common\)/);
  assert.match(text.stdout, /--warm-start same-task,alike/);
  const bad = cli(['similar', join(dir, 'missing.nas.json'), '--root', root], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot read spec .*missing\.nas\.json \(ENOENT\)/);
});

/** A finished search whose trials are written by hand (no evaluation): created through the run service, then journaled. */
async function handMadeRun(dir: string, root: string, id: string, spec: object, trials: { key: string; genome: number[]; arch: unknown; metrics: Record<string, number> }[]): Promise<void> {
  const file = join(dir, `${id}.nas.json`);
  writeFileSync(file, JSON.stringify(spec));
  const { location } = await new RunService(root).create({ specPath: file, text: readFileSync(file, 'utf8') }, join(root, id));
  const records = [
    { type: 'started', at: 't', pid: 1, budget: trials.length },
    ...trials.map((t, trial) => ({ type: 'trial_finished', at: 't', elapsedMs: trial, trial, ...t, feasible: true, cached: false, durationMs: 1 })),
    { type: 'finished', at: 't', reason: 'budget' },
  ];
  appendFileSync((location as { folder: { journal: string } }).folder.journal, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

