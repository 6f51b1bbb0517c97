import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLut } from '../../server/ofa/latencyTable';
import { layerKey, loadLatencyModel, supernetLayers } from '../../server/proxyless/latencyModel';
import { parseProxylessArch } from '../../server/proxyless/proxylessArch';
import { mixedBlocks } from '../../server/proxyless/proxylessSpace';
import { validateProxylessSpecText } from '../../server/proxyless/validateProxyless';
import { writeTinyProxylessSpec } from '../tinyProxyless';

const CLI = join(__dirname, '../../bin/nas-studio.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Fidelity = { within10: number; mape: number };
type Line = { type: string; epoch?: number; probabilities?: number[][]; archSteps?: number; expectedLatencyMs?: number; correction?: { networks: number; raw?: Fidelity; corrected?: Fidelity } };

function journal(dir: string): Line[] {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

const epochsOf = (dir: string) => journal(dir).filter((r) => r.type === 'epoch_finished');

test('nas-studio run of a ProxylessNAS spec: kill -9 after an epoch, resume continues without repeating one and ends as an uninterrupted run; --json, show, exports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-proxyless-'));
  const spec = writeTinyProxylessSpec(dir, 'tiny');
  const run = join(dir, 'run');
  const child = spawn(process.execPath, [CLI, 'run', spec, '--out', run], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      // The finished epoch's line (after its checkpoint), not the live status line: a search epoch with architecture steps.
      if (/^epoch 3\/4 search /m.test(output)) resolve();
    });
    child.once('exit', () => reject(new Error(`the search ended before the kill:\n${output}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const before = epochsOf(run).map((e) => e.epoch);
  assert.ok(before.length >= 3 && before.length < 4, `killed after epochs ${before}`);
  const checkpoint = JSON.parse(readFileSync(join(run, 'checkpoints/latest.json'), 'utf8'));
  assert.equal(checkpoint.epochsDone, 3);
  // What resuming needs besides the weights: α, both optimizers' state, the RNG position.
  assert.equal(checkpoint.search.alphas.length, 4);
  assert.ok(checkpoint.search.adam.steps.some((n: number) => n > 0), 'Adam has taken steps');
  assert.equal(checkpoint.search.rng.length, 4);
  assert.equal(checkpoint.search.archSteps, 8);
  assert.ok(checkpoint.layout.momentum.length > 0 && checkpoint.layout.weights.length > checkpoint.layout.momentum.length);

  const list = cli(['list', '--root', dir], dir);
  assert.match(list.stdout, /run\s+interrupted\s+epoch 3\/4\s+E\[lat\]/);

  const resumed = cli(['resume', run, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming run after 3 of 4 epochs/);
  assert.deepEqual(epochsOf(run).map((e) => e.epoch), [1, 2, 3, 4]);
  assert.equal(journal(run).filter((r) => r.type === 'latency_table').length, 1, 'the table is measured once');
  // Then checked against 60 random networks measured end to end, and corrected from them.
  const correction = journal(run).find((r) => r.type === 'latency_table')!.correction!;
  assert.equal(correction.networks, 60);
  for (const f of [correction.raw!, correction.corrected!]) assert.ok(f.within10 >= 0 && f.within10 <= 1 && f.mape >= 0, JSON.stringify(f));
  assert.match(output, /60 networks measured end to end: table sums \d+\.\d % within ±10 % \(mean error \d+\.\d %\); corrected \d+\.\d % within ±10 % \(mean error \d+\.\d %\), cross-validated/);
  const last = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.status, 'finished');
  const derived = last.derived;
  assert.deepEqual(Object.keys(derived.arch), ['space', 'input', 'classes', 'stem', 'stemStride', 'stages']);
  parseProxylessArch(derived.arch);
  for (const key of ['expectedLatencyMs', 'predictedLatencyMs', 'measuredLatencyMs', 'valAccuracy', 'testAccuracy']) assert.equal(typeof derived[key], 'number', key);
  assert.ok(derived.measuredLatencyMs > 0 && derived.predictedLatencyMs > 0);
  // Trained from scratch (a small network: the target pulls towards skipped blocks): well above chance (10 %).
  assert.ok(derived.testAccuracy > 0.25, `test accuracy ${derived.testAccuracy}`);
  assert.match(resumed.stderr, /derived network: measured [\d.]+ ms \(table [\d.]+ ms, [+−][\d.]+ %\); [\d.]+ ms at the table's machine speed \(table [+−][\d.]+ %\): timed with 8 networks of the space, which ran [\d.]+× their table latency/);
  // The run measured its table: the network is timed again with reference networks of the space.
  const relative = derived.relativeLatency;
  assert.equal(relative.references, 8);
  assert.ok(relative.slowdown > 0 && Math.abs(relative.atTableSpeedMs - relative.measuredMs / relative.slowdown) < 1e-9, JSON.stringify(relative));
  // The same network timed twice (trained, in its training worker; initialized, with the references): alike.
  assert.ok(relative.measuredMs / derived.measuredLatencyMs > 1 / 3 && relative.measuredMs / derived.measuredLatencyMs < 3, `${relative.measuredMs} and ${derived.measuredLatencyMs} ms`);

  // The same spec uninterrupted, with the latency table the first run measured (a spec may name a table folder):
  // the same α after every epoch (weights, α, Adam, momentum and RNG position were all restored).
  const again = writeTinyProxylessSpec(dir, 'again', { latency: { target: 0.3, loss: 'add#linear', table: 'run/exports/latency-table' } });
  const whole = join(dir, 'whole');
  const uninterrupted = cli(['run', again, '--out', whole, '--json'], dir);
  assert.equal(uninterrupted.code, 0, uninterrupted.stderr);
  const probabilities = (folder: string) => epochsOf(folder).map((e) => e.probabilities);
  assert.deepEqual(probabilities(run), probabilities(whole));
  const moved = probabilities(run)[3]!.flat().some((p, i) => Math.abs(p - probabilities(run)[1]!.flat()[i]) > 1e-3);
  assert.ok(moved, 'the architecture steps moved α');
  // Towards the target, far below the supernet's expected latency: faster.
  const expected = epochsOf(run).map((e) => e.expectedLatencyMs!);
  assert.ok(expected[3] < expected[1], `expected latency by epoch: ${expected}`);
  assert.deepEqual(JSON.parse(uninterrupted.stdout.trim().split('\n').at(-1)!).derived.arch, derived.arch);
  // The named table was corrected on this host: the network is timed with references again.
  assert.equal(JSON.parse(uninterrupted.stdout.trim().split('\n').at(-1)!).derived.relativeLatency.references, 8);
  // The named folder's correction applies to the second run too.
  assert.deepEqual(journal(whole).find((r) => r.type === 'latency_table'), { ...journal(whole).find((r) => r.type === 'latency_table'), source: 'file', dir: join(run, 'exports/latency-table'), correction: { networks: 60 } });

  const show = cli(['show', run], dir);
  assert.equal(show.code, 0);
  assert.equal(show.stdout.split('\n').filter((l) => l.startsWith('epoch ')).length, 4);
  assert.match(show.stdout, new RegExp(`derived: ${derived.description.replace(/[|]/g, '\\|')}`));
  assert.match(show.stdout, /latency table: measured here on .*; 60 networks measured end to end: table sums/);

  const archFile = JSON.parse(readFileSync(join(run, 'exports/derived.arch.json'), 'utf8'));
  assert.deepEqual({ ...archFile, description: undefined, metrics: undefined }, { ...derived.arch, description: undefined, metrics: undefined });
  assert.equal(archFile.metrics.latency_ms, derived.measuredLatencyMs);
  assert.equal(archFile.metrics.latency_at_table_speed_ms, relative.atTableSpeedMs);
  assert.ok(existsSync(join(run, 'exports/derived/model.json')) && existsSync(join(run, 'exports/derived/weights.bin')));
  assert.deepEqual(readdirSync(join(run, 'exports/latency-table')).sort(), ['28_lookup_table.yaml', 'proxyless_correction.json']);

  // A resumed finished run writes nothing.
  const length = readFileSync(join(run, 'journal.jsonl'), 'utf8').length;
  assert.equal(cli(['resume', run], dir).code, 0);
  assert.equal(readFileSync(join(run, 'journal.jsonl'), 'utf8').length, length);
});

test('bad ProxylessNAS specs are refused before a folder exists: file:line:col problems, a missing latency table folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-proxyless-bad-'));
  const spec = writeTinyProxylessSpec(dir, 'bad', {
    supernet: { input: [28, 28, 1], classes: 10, stages: [{ width: 8, stride: 2, blocks: 1 }], kernels: [3], expandRatios: [6] },
  });
  const r = cli(['run', spec, '--root', join(dir, 'runs')], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${spec}:\\d+:\\d+: error: "two" samples two candidates per block, but stage 1 · block 1 has only one`));

  const few = writeTinyProxylessSpec(dir, 'few', { latency: { target: 0.3, loss: 'add#linear', correctionNetworks: 3 } });
  const tooFew = cli(['run', few, '--root', join(dir, 'runs')], dir);
  assert.equal(tooFew.code, 2);
  assert.match(tooFew.stderr, new RegExp(`${few}:\\d+:\\d+: error: a correction is fitted on networks and cross-validated over 5 folds: measure at least 8 networks, or 0 for none`));

  const mulLog = writeTinyProxylessSpec(dir, 'fast', { latency: { target: 0.5, loss: 'mul#log' } });
  const fast = cli(['run', mulLog, '--root', join(dir, 'runs')], dir);
  assert.equal(fast.code, 2);
  assert.match(fast.stderr, /mul#log compares log E\[lat\] with log T, which needs latencies above 1 ms; for a 0.5 ms target use "add#linear"/);

  const table = writeTinyProxylessSpec(dir, 'table', { latency: { target: 0.3, loss: 'add#linear', table: 'phone-luts' } });
  const missing = cli(['run', table, '--root', join(dir, 'runs')], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`${join(dir, 'phone-luts')}: not found; expected a latency table folder`));
  assert.equal(existsSync(join(dir, 'runs')) && readdirSync(join(dir, 'runs')).length > 0, false, 'no run folder');

  // A table folder without this space's layers names the first missing key and its file.
  const luts = join(dir, 'phone-luts');
  spawnSync('mkdir', [luts]);
  writeFileSync(join(luts, '28_lookup_table.yaml'), 'Logits-input:1x1x16-output:10:\n  mean: 0.01\n');
  const incomplete = cli(['run', table, '--root', join(dir, 'runs')], dir);
  assert.equal(incomplete.code, 2);
  assert.match(incomplete.stderr, /28_lookup_table\.yaml: missing latency table entry 'Stem-input:28x28x1-output:14x14x8-kernel:3-stride:2-act:relu'/);
});

test('nas-studio lut --proxyless SPEC measures every layer of the spec\'s supernet into a table a spec can name; bad arguments are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-proxyless-lut-'));
  const spec = writeTinyProxylessSpec(dir, 'tiny');
  const out = join(dir, 'phone-luts');
  const r = cli(['lut', '--proxyless', spec, '--out', out, '--repeats', '2', '--warmup', '0', '--backend', 'cpu'], dir);
  assert.equal(r.code, 0, r.stderr);
  const file = join(out, '28_lookup_table.yaml');
  assert.match(r.stdout, new RegExp(`wrote ${file.replace(/[.]/g, '\\.')}`));
  // Exactly the layers the search's latency model looks up: the stem, every MBConv candidate of every block, the head.
  const validation = validateProxylessSpecText(readFileSync(spec, 'utf8'), { file: spec, baseDir: dir });
  const config = validation.spec!.supernet;
  const keys = [...new Set(supernetLayers(config, mixedBlocks(config)).map(layerKey))].sort();
  const table = parseLut(readFileSync(file, 'utf8'), file);
  assert.deepEqual([...table.keys()].sort(), keys);
  assert.ok([...table.values()].every((e) => e.mean > 0));
  assert.match(r.stdout, new RegExp(`measured ${keys.length} layers`));
  const model = await loadLatencyModel(out, config, mixedBlocks(config));
  assert.ok(model.fixedMs > 0);
  assert.equal(model.correction, undefined);

  // --validate N: N random networks measured end to end, the correction written where searches find it.
  const validated = cli(['lut', '--proxyless', spec, '--lut', out, '--validate', '8', '--backend', 'cpu'], dir);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /^8 networks measured end to end: table sums [\d.]+ % within ±10 % \(mean error [\d.]+ %\); corrected [\d.]+ % within ±10 %/m);
  assert.match(validated.stdout, new RegExp(`wrote ${join(out, 'proxyless_correction.json').replace(/[.]/g, '\\.')}`));
  const corrected = await loadLatencyModel(out, config, mixedBlocks(config));
  assert.equal(corrected.correction?.networks, 8);
  const raw = await loadLatencyModel(out, config, mixedBlocks(config), { raw: true });
  assert.ok(Math.abs(corrected.fixedMs - (corrected.correction!.intercept + corrected.correction!.fixedScale * raw.fixedMs)) < 1e-12);
  const few = cli(['lut', '--proxyless', spec, '--lut', out, '--validate', '3'], dir);
  assert.equal(few.code, 2);
  assert.match(few.stderr, /--validate/);
  const neither = cli(['lut', '--proxyless', spec, '--lut', out], dir);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /--lut DIR with --proxyless is for --validate N/);

  const both = cli(['lut', '--proxyless', spec, '--resolutions', '160', '--out', out], dir);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--resolutions is for OFA tables; a --proxyless table is for the spec's input size/);
  const bad = writeTinyProxylessSpec(dir, 'bad', { search: { binarization: 'three' } });
  const refused = cli(['lut', '--proxyless', bad, '--out', join(dir, 'other')], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, new RegExp(`${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: .*binarization`));
  assert.equal(existsSync(join(dir, 'other')), false);
});
