import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, SpecError } from '../../../server/core/errors';
import { OfaMbv3Space } from '../../../server/spaces/ofa/ofaMbv3Space';
import { networkMFlops } from '../../../server/spaces/ofa/mbv3Cost';
import { LatencyTable } from '../../../server/ofa/latencyTable';
import { AccuracyPredictor } from '../../../server/ofa/accuracyPredictor';
import { savePredictor } from '../../../server/ofa/predictorFile';
import { type SpecializationRequest, specialize, markPareto, type SpecializedSubnet } from '../../../server/specialize/specialize';
import { writeSpecializedSubnets } from '../../../server/specialize/specializedSubnetFile';
import { specializeCommand } from '../../../cli/specialize';
import { lutCommand } from '../../../cli/lut';
import { parseNumberList } from '../../../cli/commandSupport';
import { SKIP_MESSAGE, ofaFile } from '../ofa/sharedData';
import { flopsTableJson, isLargestOption, linearPredictor } from '../ofa/generatedFiles';

const predictor = ofaFile('acc_predictor.json');
const note10 = ofaFile('note10');
const flopsTable = ofaFile('flops_table.json');
const skip = predictor && note10 && flopsTable ? false : SKIP_MESSAGE;
const dir = mkdtempSync(join(tmpdir(), 'ofa-specialize-'));
// CLI runs below create their specialization runs here, not in the working folder.
process.env.NAS_STUDIO_HOME = join(dir, 'runs');
const quick = { type: 'guided' as const, evaluations: 300 };

function request(overrides: Partial<SpecializationRequest> = {}): SpecializationRequest {
  return { predictor: predictor!, efficiency: { kind: 'lut', dir: note10! }, limits: [25], finder: quick, ...overrides };
}

function collector() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

test('one limit: the result re-checks against the LUT, the predictor and the FLOPs count', { skip }, async () => {
  const progress: number[] = [];
  const result = await specialize(request(), { progress: (fraction) => progress.push(fraction) });
  assert.equal(result.subnets.length, 1);
  const [subnet] = result.subnets;
  const space = new OfaMbv3Space();
  const table = await LatencyTable.load(note10!);
  assert.ok(subnet.efficiency <= 25);
  assert.ok(Math.abs(table.latency(subnet.arch) - subnet.efficiency) < 1e-9);
  const check = await AccuracyPredictor.load(predictor!, space);
  assert.equal(check.predict(space.fromArch(subnet.arch)), subnet.predictedAccuracy);
  assert.equal(subnet.mflops, networkMFlops(subnet.arch));
  assert.equal(result.efficiency.metric, 'latency_ms');
  assert.ok(progress.length > 0 && progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1])));
});

test('a sweep: one feasible result per limit in request order, never worse for a larger budget', { skip }, async () => {
  const sweep = await specialize(request({ limits: [40, 15, 25], seed: 3 }));
  assert.deepEqual(sweep.subnets.map((s) => s.limit), [40, 15, 25]);
  sweep.subnets.forEach((s) => assert.ok(s.efficiency <= s.limit));
  const [at40, at15, at25] = sweep.subnets.map((s) => s.predictedAccuracy);
  assert.ok(at15 <= at25 && at25 <= at40);
  // The smallest limit has nothing to start from: it is exactly the single search.
  const single = await specialize(request({ limits: [15], seed: 3 }));
  assert.deepEqual(single.subnets[0].arch, sweep.subnets[1].arch);
  // Starred unless a smaller limit's result is as good (then the larger limit found nothing better).
  sweep.subnets.forEach((s) => assert.equal(s.pareto, !sweep.subnets.some((b) => b.limit < s.limit && b.efficiency <= s.efficiency && b.predictedAccuracy >= s.predictedAccuracy)));
});

test('Pareto flags drop a result that a cheaper one matches or beats; a repeat keeps the star at its smallest limit only', () => {
  const subnet = (limit: number, efficiency: number, predictedAccuracy: number) => ({ limit, efficiency, predictedAccuracy }) as SpecializedSubnet;
  const flags = markPareto([subnet(20, 19, 0.8), subnet(25, 24, 0.79), subnet(30, 29, 0.81), subnet(35, 29, 0.81)]).map((s) => s.pareto);
  assert.deepEqual(flags, [true, false, true, false]);
});

test('infeasible limits name the smallest achievable value; bad requests are SpecErrors with paths', { skip }, async () => {
  await assert.rejects(specialize(request({ limits: [30, 9] })), (e: unknown) => e instanceof SpecError && /smallest achievable is 9\.890 ms/.test(e.message) && e.path.join('/') === 'limits/1');
  // Analytic FLOPs: the smallest network is OFA's 'smallest' vector (100.32 MFLOPs at r=160).
  await assert.rejects(specialize(request({ efficiency: { kind: 'flops' }, limits: [90] })), /smallest achievable is 100\.3 MFLOPs \(r=160, depth 2,2,2,2,2\)/);
  await assert.rejects(specialize(request({ limits: [-1] })), (e: unknown) => e instanceof SpecError && e.path.join('/') === 'limits/0');
  await assert.rejects(specialize(request({ finder: { type: 'guided', evaluations: 0 } })), (e: unknown) => e instanceof SpecError && e.path.join('/') === 'finder/evaluations');
  await assert.rejects(specialize(request({ finder: { type: 'magic' } as never })), /unknown finder type "magic"/);
  await assert.rejects(specialize(request({ resolutions: [100] })), (e: unknown) => e instanceof SpecError && e.path.join('/') === 'resolutions/0');
});

test('cancellation through the AbortSignal', { skip }, async () => {
  const controller = new AbortController();
  const run = specialize(request({ finder: { type: 'ofa-evolution' } }), { signal: controller.signal, progress: () => controller.abort() });
  await assert.rejects(run, CancelledError);
});

test('export: ks/e/d/r for set_active_subnet plus predictions; an array for sweeps', { skip }, async () => {
  const result = await specialize(request({ efficiency: { kind: 'flops-table', path: flopsTable! }, limits: [250, 350] }));
  const file = join(dir, 'sweep.json');
  await writeSpecializedSubnets(result, file);
  const sweep = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(sweep.length, 2);
  assert.deepEqual(Object.keys(sweep[0]).slice(0, 7), ['space', 'ks', 'e', 'd', 'r', 'predicted_accuracy', 'table_mflops']);
  assert.deepEqual({ ks: sweep[1].ks, e: sweep[1].e, d: sweep[1].d, r: sweep[1].r }, result.subnets[1].arch);
  assert.deepEqual(sweep[1].constraint, { metric: 'table_mflops', max: 350 });
  await writeSpecializedSubnets(result, file, 250);
  const one = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(one.predicted_accuracy, result.subnets[0].predictedAccuracy);
  assert.deepEqual(new OfaMbv3Space().toOfaArch(new OfaMbv3Space().fromArch(one)), result.subnets[0].arch);
});

test('CLI: table by default, one JSON object on the last line with --json, --out exports', { skip }, async () => {
  const args = ['--predictor', predictor!, '--lut', note10!, '--evaluations', '200'];
  const plain = collector();
  assert.equal(await specializeCommand([...args, '--limits', '20,30'], plain.io), 0);
  assert.match(plain.out[0], /^specialization \S+: 2 limits$/);
  assert.equal(plain.out.filter((l) => /^limit \d+: predicted \d+\.\d\d % at/.test(l)).length, 2, 'a line per finished limit');
  const header = plain.out.findIndex((l) => /guided-local-search search, latency table/.test(l));
  const table = plain.out[header + 1].split('\n');
  assert.match(table[0], /^limit \(ms\)\s+predicted accuracy \(%\)\s+latency \(ms\)\s+FLOPs \(MFLOPs\)\s+params \(M\)\s+time \(s\)\s+pareto\s+note\s+architecture$/);
  assert.equal(table.filter((l) => /^(20|30)\s+\d\d\.\d\d\s+\d+\.\d\d\s/.test(l)).length, 2, 'bare numbers under titles with units');
  assert.match(plain.out.at(-1)!, /^run \S+ finished/);

  const out = join(dir, 'cli.json');
  const json = collector();
  assert.equal(await specializeCommand([...args, '--limit', '25', '--json', '--out', out], json.io), 0);
  const parsed = JSON.parse(json.out[json.out.length - 1]);
  assert.equal(parsed.subnets[0].limit, 25);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).latency_ms, parsed.subnets[0].efficiency);
});

test('CLI: bad arguments and bad input exit with code 2 and a clear message', { skip }, async () => {
  const cases: [string[], RegExp][] = [
    [['--lut', note10!, '--limit', '25'], /--predictor PATH is required/],
    [['--predictor', predictor!, '--limit', '25'], /exactly one efficiency model/],
    [['--predictor', predictor!, '--flops', '--limits', '15:x:5'], /--limits must be numbers/],
    [['--predictor', predictor!, '--flops', '--limit', '300', '--bogus'], /Unknown option '--bogus'/],
    [['--predictor', predictor!, '--lut', note10!, '--limit', '8'], /smallest achievable is 9\.890 ms/],
    [['--predictor', join(dir, 'missing.json'), '--flops', '--limit', '300'], /missing\.json: not found; expected predictor weights/],
    [['--predictor', predictor!, '--lut', join(dir, 'nowhere'), '--limit', '25'], /nowhere: not found; expected a latency table folder/],
    [['--predictor', predictor!, '--flops', '--limit', '300', '--finder', 'ofa-evolution', '--evaluations', '5'], /--evaluations applies to the guided finder only/],
  ];
  for (const [argv, message] of cases) {
    const c = collector();
    assert.equal(await specializeCommand(argv, c.io), 2, argv.join(' '));
    assert.match(c.err[0], message);
  }
});

test('CLI lut: measures a small resolution into a table the LUT reader loads', async () => {
  const out = join(dir, 'measured');
  const c = collector();
  assert.equal(await lutCommand(['--out', out, '--resolutions', '32', '--repeats', '1', '--warmup', '0', '--backend', 'wasm'], c.io), 0);
  assert.match(c.out[0], /measured 96 layers on TensorFlow\.js/);
  const table = await LatencyTable.load(out);
  assert.deepEqual(table.resolutions, [32]);
  const bad = collector();
  assert.equal(await lutCommand(['--resolutions', '32'], bad.io), 2);
  assert.match(bad.err[0], /--out DIR is required/);
});

test('number lists: commas or inclusive from:to:step ranges', () => {
  assert.deepEqual(parseNumberList('15,20, 25', 'limits'), [15, 20, 25]);
  assert.deepEqual(parseNumberList('160:176:4', 'resolutions'), [160, 164, 168, 172, 176]);
  assert.deepEqual(parseNumberList('1:2:0.5', 'limits'), [1, 1.5, 2]);
  assert.throws(() => parseNumberList('5:1:1', 'limits'), /from <= to/);
});

// Reference files generated here (no shared data needed): a plausible predictor, a FLOPs table, a LUT.

/** A linear predictor: `bias` plus 0.005 per active kernel-7 or expand-6 choice (0.6 to 0.8 with the default bias). */
async function generatedPredictor(name: string, bias = 0.6): Promise<string> {
  const file = join(dir, name);
  await savePredictor(linearPredictor(bias, (i) => (isLargestOption(i) ? 0.005 : 0)), file);
  return file;
}

function generatedFlopsTable(name: string, blockFlops: (k: number, e: number) => number): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(flopsTableJson([160, 176, 192, 208, 224], blockFlops)));
  return file;
}

async function runSpecialize(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const c = collector();
  const code = await specializeCommand(argv, c.io);
  return { code, out: c.out, err: c.err };
}

test('CLI with generated files: sound ones specialize; a predictor that is no accuracy predictor exits 2 naming the file', async () => {
  const good = await generatedPredictor('generated-good.json');
  const flops = generatedFlopsTable('generated-flops.json', (k, e) => k * e);
  const ok = await runSpecialize(['--predictor', good, '--flops-table', flops, '--limit', '400', '--evaluations', '60', '--json']);
  assert.equal(ok.code, 0, ok.err.join('\n'));
  const accuracy = JSON.parse(ok.out[ok.out.length - 1]).subnets[0].predictedAccuracy;
  assert.ok(accuracy >= 0.6 && accuracy <= 0.8, `predicted accuracy ${accuracy}`);

  for (const [bias, shown] of [[8.7e305, '8.7e+305'], [5, '5'], [-3, '-3']] as const) {
    const bad = await generatedPredictor(`generated-bias-${bias}.json`, bias);
    const run = await runSpecialize(['--predictor', bad, '--flops', '--limit', '300']);
    assert.equal(run.code, 2, `bias ${bias}`);
    assert.deepEqual(run.out, [], 'nothing is reported as a result');
    assert.equal(run.err.length, 1);
    assert.match(run.err[0], new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not an accuracy predictor: it predicts ${shown.replace('+', '\\+')} for the sub-network r160 `));
  }
});

test('CLI with generated files: a FLOPs table with negative entries and a LUT with NaN or infinite means exit 2 naming file, entry and value', async () => {
  const good = await generatedPredictor('generated-good-2.json');
  const negative = generatedFlopsTable('generated-negative-flops.json', (k, e) => (k === 7 && e === 6 ? -601 : k * e));
  const flopsRun = await runSpecialize(['--predictor', good, '--flops-table', negative, '--limit', '400']);
  assert.equal(flopsRun.code, 2);
  assert.deepEqual(flopsRun.out, []);
  assert.equal(flopsRun.err[0], `error: ${negative}: resolution 160: mobile_inverted_blocks[1] entry '7,6' must be a non-negative number of MFLOPs, got -601`);

  for (const [yaml, shown] of [['.nan', 'NaN'], ['.inf', 'Infinity']]) {
    const lut = join(dir, `generated-lut-${shown}`);
    mkdirSync(lut, { recursive: true });
    const table = join(lut, '160_lookup_table.yaml');
    writeFileSync(table, `Conv-input:160x160x3-output:80x80x24:\n  count: 10\n  mean: ${yaml}\n  std: 0.01\n`);
    const run = await runSpecialize(['--predictor', good, '--lut', lut, '--resolutions', '160', '--limit', '20']);
    assert.equal(run.code, 2);
    assert.deepEqual(run.out, []);
    assert.equal(run.err[0], `error: ${table}: entry 'Conv-input:160x160x3-output:80x80x24' needs a positive, finite 'mean' (milliseconds), got ${shown}`);
  }

  const notALut = await runSpecialize(['--predictor', good, '--lut', good, '--limit', '20']);
  assert.equal(notALut.code, 2);
  assert.match(notALut.err[0], /generated-good-2\.json: is not a folder; expected a latency table folder of <resolution>_lookup_table\.yaml files/);
});

test('CLI: --evaluations beyond the documented maximum is refused before searching', async () => {
  const good = await generatedPredictor('generated-good-3.json');
  const run = await runSpecialize(['--predictor', good, '--flops', '--limit', '300', '--evaluations', '1000000000']);
  assert.equal(run.code, 2);
  assert.deepEqual(run.out, []);
  assert.match(run.err[0], /--evaluations must be <= 200000 \(got 1000000000\)/);
});
