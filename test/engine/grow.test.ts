// Issue 14: compound scaling and AdaNet ensembles are run kinds. Both resume after kill -9
// without training a finished candidate again; the exported ensemble is one TF.js model that
// reloads with the predictions of its members weighted by the mixture weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ArchJson } from '../../contract/architecture';
import { RunManager } from '../../server/engine/runManager';
import { searchCandidates } from '../../server/ensemble/searchGenerator';
import type { LayerStackArch } from '../../server/spaces/layers/layerSpec';
import { loadLayersModel } from '../../server/supernet/tfjsModelFiles';

const CLI = join(__dirname, '../../bin/nas-studio.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** Tiny training on a slice of the embedded MNIST: about a second per network. */
const TRAINING = { epochs: 1, batchSize: 64, trainSamples: 512, validationSamples: 256, testSamples: 256, workers: 1 };

const BASE = {
  space: 'layers',
  input: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

function writeScalingSpec(dir: string): string {
  const file = join(dir, 'tiny.scaling.json');
  writeFileSync(file, JSON.stringify({ name: 'tiny', base: { architecture: BASE }, dataset: { type: 'mnist' }, training: TRAINING, grid: { step: 0.2, tolerance: 0.15 }, maxPhi: 2, baselines: ['depth'], seed: 1 }));
  return file;
}

function writeEnsembleSpec(dir: string): string {
  const file = join(dir, 'tiny.ensemble.json');
  const generator = { type: 'blocks', block: { type: 'dense', units: 16 }, initialDepth: 0, maxDepth: 3 };
  writeFileSync(file, JSON.stringify({ name: 'tinyens', network: { input: [28, 28, 1], classes: 10 }, dataset: { type: 'mnist' }, training: TRAINING, generator, objective: { steps: 50 }, maxIterations: 3, forceGrow: true, seed: 2 }));
  return file;
}

type Record = { type: string; trial?: number; iteration?: number };
const journal = (run: string): Record[] =>
  readFileSync(join(run, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record);

/** Starts `nas-studio run SPEC --out RUN` and kills it with SIGKILL once `ready` matches its output. */
async function runAndKill(spec: string, run: string, cwd: string, ready: RegExp): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'run', spec, '--out', run], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      if (ready.test(output)) resolve();
    });
    child.once('exit', () => reject(new Error(`the run ended before the kill:\n${output}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return output;
}

test('a compound scaling run killed with kill -9 resumes without training a finished network again; show and list read it', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-scaling-'));
  const spec = writeScalingSpec(dir);
  const run = join(dir, 'run');
  await runAndKill(spec, run, dir, /^ ?3\/\d+ {2}trial 2 /m);
  const before = journal(run).filter((r) => r.type === 'candidate_finished').map((r) => r.trial);
  assert.ok(before.length >= 3, `killed after trials ${before}`);

  const resumed = cli(['resume', run, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming run: ${before.length} of \\d+ networks already trained`));
  const trials = journal(run).filter((r) => r.type === 'candidate_finished').map((r) => r.trial!);
  assert.deepEqual([...trials].sort((a, b) => a - b), [...new Set(trials)].sort((a, b) => a - b), 'every network trained exactly once');
  assert.deepEqual(trials.slice(0, before.length), before, 'the journal kept the networks trained before the kill');
  const result = lastJson(resumed.stdout);
  assert.equal(result.status, 'finished');
  const rules = result.lines.map((l: { rule: string }) => l.rule);
  assert.deepEqual(rules, ['compound', 'depth']);
  for (const line of result.lines) {
    assert.deepEqual(line.points.map((p: { phi: number }) => p.phi), [0, 1, 2], `${line.rule}: the base and φ = 1, 2`);
    for (const p of line.points) assert.ok(p.flops > 0 && p.params > 0 && p.valAccuracy >= 0 && p.latencyMs > 0, JSON.stringify(p));
  }
  // The reference's rounding at φ = 1 from the chosen coefficients: filters round_filters(8·β), repeats ceil(α).
  const { depth, width } = result.coefficients;
  const phi1 = result.lines[0].points[1];
  const filters = Math.max(8, Math.floor((8 * width + 4) / 8) * 8);
  const expectedFilters = filters < 0.9 * 8 * width ? filters + 8 : filters;
  assert.equal(phi1.description, `28px conv3x3-${expectedFilters}${Math.ceil(depth) > 1 ? `×${Math.ceil(depth)}` : ''}`);

  const show = cli(['show', run], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^compound {2}2 /m);
  const listed = cli(['list', '--root', dir], dir);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /run\s+finished/);
  // A network's graph asks the engine for per-node figures: a scaling study measures none (and is no error).
  const manager = new RunManager(dir, { runChanged: () => undefined, trialFinished: () => undefined, progress: () => undefined, log: () => undefined }, 'wasm');
  const network = journal(run).find((r) => r.type === 'candidate_finished') as unknown as { arch: ArchJson };
  assert.deepEqual(await manager.archDetails(run, network.arch), {});
});

test('a compound scaling run grows a derived ProxylessNAS network: its family members are the MBConv network scaled by the reference\'s rounding', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-scaling-mbconv-'));
  // As a ProxylessNAS run exports it (exports/derived.arch.json), with its description and metrics.
  const derived = { space: 'proxyless', input: [28, 28, 1], classes: 10, stem: 8, stemStride: 2, stages: [{ width: 8, stride: 2, ops: ['3x3_MBConv3', 'Zero'] }], description: 'k3e3 skip', metrics: { val_accuracy: 0.5 } };
  writeFileSync(join(dir, 'derived.arch.json'), JSON.stringify(derived));
  const spec = join(dir, 'mbconv.scaling.json');
  writeFileSync(spec, JSON.stringify({ name: 'mbconv', base: { file: 'derived.arch.json' }, dataset: { type: 'mnist' }, training: TRAINING, grid: { step: 0.2, tolerance: 0.15 }, maxPhi: 2, baselines: ['width'], seed: 3 }));
  const r = cli(['run', spec, '--out', join(dir, 'run'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const result = lastJson(r.stdout);
  assert.equal(result.status, 'finished');
  assert.equal(result.base.description, '28px stem8 8ch | k3e3 skip');
  assert.deepEqual(result.lines.map((l: { rule: string }) => l.rule), ['compound', 'width']);
  const { depth, width, resolution } = result.coefficients;
  const roundFilters = (f: number, w: number) => {
    const rounded = Math.max(8, Math.floor(Math.trunc(f * w + 4) / 8) * 8);
    return rounded < 0.9 * f * w ? rounded + 8 : rounded;
  };
  const side = (r: number) => Math.max(4, Math.round((28 * r) / 4) * 4);
  for (const phi of [1, 2]) {
    const member = JSON.parse(readFileSync(join(dir, 'run', 'exports', `compound-phi${phi}.arch.json`), 'utf8'));
    // α^φ, β^φ, γ^φ by the reference's rules; the default resolution multiple is the total stride 2·2 = 4.
    assert.deepEqual(member.input, [side(resolution ** phi), side(resolution ** phi), 1], `φ = ${phi}`);
    assert.equal(member.stem, roundFilters(8, width ** phi));
    assert.deepEqual(member.stages[0].ops, Array(Math.ceil(depth ** phi)).fill('3x3_MBConv3'));
    assert.equal(member.stages[0].width, roundFilters(8, width ** phi));
    assert.ok(member.metrics.flops > 0 && member.metrics.params > 0 && member.metrics.latency_ms > 0 && member.metrics.val_accuracy >= 0 && member.metrics.val_accuracy <= 1, JSON.stringify(member.metrics));
  }
});

test('an AdaNet run whose candidates a search strategy proposes resumes after kill -9 with the proposals it made before', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-ensemble-search-'));
  const spec = join(dir, 'search.ensemble.json');
  // Regularized evolution with a population of 2: the second iteration's candidates are mutations chosen by the first iteration's held-out objectives.
  const generator = { type: 'search', space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [8, 16] }, dropout: [0] }, strategy: { type: 'regularized-evolution', population: 2, sampleSize: 1 }, candidates: 2 };
  writeFileSync(spec, JSON.stringify({ name: 'searchens', network: { input: [28, 28, 1], classes: 10 }, dataset: { type: 'mnist' }, training: TRAINING, generator, objective: { steps: 50 }, maxIterations: 2, forceGrow: true, seed: 4 }));
  const run = join(dir, 'run');
  await runAndKill(spec, run, dir, /^ {2}candidate 2 iteration 1:/m);
  const before = journal(run).filter((r) => r.type === 'candidate_trained').map((r) => r.trial);
  assert.ok(before.includes(2) && !before.includes(3), `killed after candidates ${before}`);

  const resumed = cli(['resume', run, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(lastJson(resumed.stdout).status, 'finished');
  const records = journal(run) as (Record & { arch?: LayerStackArch; complexity?: number; candidates?: { heldOutObjective: number }[] })[];
  const trained = records.filter((r) => r.type === 'candidate_trained');
  assert.deepEqual(trained.map((r) => r.trial), [0, 1, 2, 3], 'every candidate trained exactly once');
  // What the strategy proposes, recomputed from the run's spec and the first iteration's objectives: the same for the candidate trained before the kill and the one after.
  const resolved = JSON.parse(readFileSync(join(run, 'spec.json'), 'utf8')).spec;
  const first = records.find((r) => r.type === 'iteration_finished' && r.iteration === 0)!;
  assert.deepEqual([0, 1].map((k) => trained[k].arch), searchCandidates(resolved, []).map((c) => c.arch));
  assert.deepEqual([2, 3].map((k) => trained[k].arch), searchCandidates(resolved, [{ candidates: first.candidates! }]).map((c) => c.arch));
  for (const c of trained) assert.equal(c.complexity, Math.sqrt(c.arch!.layers.filter((l) => l.type === 'dense' && l.activation === 'relu').length));
});

test('an AdaNet run killed with kill -9 resumes without training a finished candidate again; its exported ensemble reloads with the weighted members\' predictions', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-ensemble-'));
  const spec = writeEnsembleSpec(dir);
  const run = join(dir, 'run');
  // Killed inside the second iteration, after one of its candidates trained.
  await runAndKill(spec, run, dir, /^ {2}candidate 2 iteration 1:/m);
  const before = journal(run).filter((r) => r.type === 'candidate_trained').map((r) => r.trial);
  assert.ok(before.includes(2), `killed after candidates ${before}`);

  const resumed = cli(['resume', run, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming run after 1 of 3 iterations/);
  const records = journal(run);
  const trials = records.filter((r) => r.type === 'candidate_trained').map((r) => r.trial);
  assert.deepEqual(trials, [...before, ...[3, 4, 5].filter((t) => !before.includes(t))], 'every candidate trained exactly once');
  assert.deepEqual(records.filter((r) => r.type === 'iteration_finished').map((r) => r.iteration), [0, 1, 2]);
  const result = lastJson(resumed.stdout);
  assert.equal(result.status, 'finished');
  assert.equal(result.members.length, 3, 'forceGrow adds a member every iteration');
  const objectives = result.iterations.map((i: { objective: number }) => i.objective);
  assert.ok(objectives.every((f: number) => Number.isFinite(f) && f > 0), String(objectives));

  // The exported model against an independent computation: each member's saved model predicts
  // probabilities p_j; with scalar weights softmax(Σ w_j·log p_j + b) equals softmax(Σ w_j·z_j + b)
  // (log p_j differs from the logits z_j by a per-example constant, which softmax ignores).
  const graph = JSON.parse(readFileSync(join(run, 'exports/ensemble.arch.json'), 'utf8')) as { members: { trial: number; weights: number[] }[]; bias: number[] };
  assert.deepEqual(graph.members.map((m) => m.trial), result.members.map((m: { trial: number }) => m.trial));
  const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
  const exported = await loadLayersModel(join(run, 'exports/ensemble'));
  const actual = (exported.predict(x) as tf.Tensor2D).arraySync();
  let mixed = tf.zeros([16, 10]) as tf.Tensor2D;
  for (const m of graph.members) {
    const member = await loadLayersModel(join(run, 'checkpoints/members', `trial-${m.trial}`));
    mixed = tf.add(mixed, tf.mul(tf.log(member.predict(x) as tf.Tensor2D), m.weights[0]));
  }
  const expected = (tf.softmax(tf.add(mixed, tf.tensor1d(graph.bias))) as tf.Tensor2D).arraySync();
  actual.forEach((row, i) => row.forEach((p, c) => assert.ok(Math.abs(p - expected[i][c]) < 1e-5, `example ${i}, class ${c}: ${p} vs ${expected[i][c]}`)));

  const show = cli(['show', run], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^3 {10}#\d /m);
});
