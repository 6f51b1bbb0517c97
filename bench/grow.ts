// Growing a found network on Fashion-MNIST (issue 14), with the run kinds' own runners:
//   Scaling: one base CNN, a compound scaling run per seed (grid search of α, β, γ at φ = 1,
//     the family φ = 1, 2, and depth-, width- and resolution-only networks at the compound
//     members' counted FLOPs); test accuracy of each rule at φ = 2, every network trained for the
//     same epochs. Claim (EfficientNet): compound ≥ every single-dimension rule at φ = 2.
//   Ensembles: an AdaNet run per seed (simple DNN generator, selection by the objective on
//     held-out examples); the ensemble's test accuracy vs its best member's and vs one network
//     (a single hidden layer) with the ensemble's parameter count, trained alike on the same
//     split. Claim (AdaNet): the ensemble beats its best member.
//
// Usage: npm run bench:grow [-- --json] [--seeds-scaling 3] [--seeds-ensemble 5]
//        [--train-samples 3000] [--epochs 2] [--root DIR] [--only scaling|ensemble]
// With --json the last line is {"scaling": {"phi2": {compound, depth, width, resolution, flops}},
// "ensemble": {ensemble, best_member, single_equal_params}} (mean test accuracies as fractions).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnsembleRunSummary, ScalingRunSummary } from '../contract/runs';
import { errorMessage } from '../server/core/errors';
import { hashString } from '../server/core/rng';
import { runTrainJob } from '../server/evaluators/train/trainJob';
import type { EnsembleSpec } from '../server/ensemble/ensembleSpec';
import type { EnsembleState } from '../server/ensemble/ensembleState';
import { RunService } from '../server/runs/runService';
import type { LayerStackArch } from '../server/spaces/layers/layerSpec';
import { fashionMnistIdx } from '../scripts/fashionMnistIdx';
import { json, log, option } from './benchArgs';

const root = option('root', mkdtempSync(join(tmpdir(), 'nas-grow-')));
const scalingSeeds = Number(option('seeds-scaling', '3'));
const ensembleSeeds = Number(option('seeds-ensemble', '5'));
const trainSamples = Number(option('train-samples', '3000'));
const epochs = Number(option('epochs', '2'));
const only = option('only', '');
const dataset = { type: 'idx', ...fashionMnistIdx(join(root, 'fashion-mnist-idx')) };
const training = { epochs, batchSize: 64, learningRate: 0.001, trainSamples, validationSamples: 1000, testSamples: 2000, workers: 2 };
const RULES = ['compound', 'depth', 'width', 'resolution'] as const;

/** The base network: two conv stages (conv + 2×2 max-pool) and a softmax classifier. */
const BASE: LayerStackArch = {
  space: 'layers',
  input: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 16, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'conv2d', filters: 32, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

const service = new RunService(join(root, 'runs'));

async function run(name: string, suffix: string, spec: object): Promise<{ summary: unknown; spec: unknown; state: unknown }> {
  const specDir = join(root, 'specs');
  mkdirSync(specDir, { recursive: true });
  const specPath = join(specDir, `${name}${suffix}`);
  const text = JSON.stringify({ name, ...spec }, null, 2);
  writeFileSync(specPath, text);
  const { location } = await service.create({ specPath, text });
  const started = performance.now();
  const outcome = await service.execute(location, {
    signal: new AbortController().signal,
    backend: 'auto',
    events: { started: () => undefined, progress: () => undefined, finished: () => undefined, log: () => undefined },
  });
  if (outcome.status !== 'finished') throw new Error(`${name}: ${outcome.status} ${outcome.error ?? ''}`);
  const read = service.read(location);
  if (!read.readable) throw new Error(`${name}: the finished run cannot be read`);
  log(`  ${name}: ${((performance.now() - started) / 60000).toFixed(1)} min (${read.view.folder.dir})`);
  return { summary: service.summary(location), spec: read.view.spec, state: read.view.state };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

async function scaling() {
  const perRule: Record<string, number[]> = Object.fromEntries(RULES.map((r) => [r, []]));
  const flops: Record<string, number[]> = Object.fromEntries(RULES.map((r) => [r, []]));
  log('| seed | chosen (α, β, γ) | rule | φ=2 network | FLOPs | vs compound | test accuracy |');
  log('|---|---|---|---|---|---|---|');
  for (let seed = 0; seed < scalingSeeds; seed++) {
    const { summary } = await run(`scaling-seed${seed}`, '.scaling.json', { base: { architecture: BASE }, dataset, training, grid: { step: 0.15, tolerance: 0.1 }, maxPhi: 2, baselines: ['depth', 'width', 'resolution'], seed });
    const s = summary as ScalingRunSummary;
    const compound = s.lines.find((l) => l.rule === 'compound')!.points.find((p) => p.phi === 2)!;
    for (const line of s.lines) {
      const p = line.points.find((q) => q.phi === 2)!;
      perRule[line.rule].push(p.testAccuracy ?? NaN);
      flops[line.rule].push(p.flops);
      const c = s.coefficients!;
      log(`| ${seed} | ${c.depth}, ${c.width}, ${c.resolution} | ${line.rule} | ${p.description} | ${p.flops} | ${(p.flops / compound.flops).toFixed(3)} | ${pct(p.testAccuracy ?? NaN)} |`);
    }
  }
  const phi2 = Object.fromEntries(RULES.map((r) => [r, mean(perRule[r])]));
  log('');
  log('| rule | mean test accuracy at φ = 2 | mean FLOPs |');
  log('|---|---|---|');
  for (const r of RULES) log(`| ${r} | ${pct(phi2[r])} | ${Math.round(mean(flops[r]))} |`);
  return { phi2: { ...phi2, flops: Object.fromEntries(RULES.map((r) => [r, Math.round(mean(flops[r]))])) } };
}

/** One network with a single hidden layer of as many weights as the ensemble, trained on the run's split. */
async function singleEqualParams(spec: EnsembleSpec, params: number, seed: number): Promise<{ accuracy: number; params: number; units: number }> {
  const [h, w, c] = spec.network.input;
  const inputs = h * w * c;
  const classes = spec.network.classes;
  const units = Math.max(1, Math.round((params - classes) / (inputs + 1 + classes)));
  const arch: LayerStackArch = { space: 'layers', input: spec.network.input, layers: [{ type: 'flatten' }, { type: 'dense', units, activation: 'relu' }, { type: 'dense', units: classes, activation: 'softmax' }] };
  const options = { ...spec.training, dataset: spec.dataset, backend: spec.training.backend === 'auto' ? 'wasm' : spec.training.backend } as Parameters<typeof runTrainJob>[0]['options'];
  const metrics = await runTrainJob({ arch, options, baseDir: join(root, 'specs'), splitSeed: hashString(`split/${spec.seed}`), seed: hashString(`${seed}/single`) }, { progress: () => undefined });
  return { accuracy: metrics.test_accuracy ?? NaN, params: metrics.params ?? NaN, units };
}

async function ensembles() {
  const ensembleAcc: number[] = [];
  const bestMemberAcc: number[] = [];
  const singleAcc: number[] = [];
  log('| seed | members | ensemble test | best member test | single (equal params) test | ensemble params | single params |');
  log('|---|---|---|---|---|---|---|');
  for (let seed = 0; seed < ensembleSeeds; seed++) {
    const generator = { type: 'blocks', block: { type: 'dense', units: 64 }, initialDepth: 1, maxDepth: 4 };
    const { summary, spec, state } = await run(`ensemble-seed${seed}`, '.ensemble.json', { network: { input: [28, 28, 1], classes: 10 }, dataset, training, generator, maxIterations: 4, seed });
    const s = summary as EnsembleRunSummary;
    const last = s.iterations.at(-1)!;
    // The best member by held-out (validation) accuracy; its test accuracy is reported.
    const { candidates } = state as EnsembleState;
    const members = s.members.map((m) => ({ ...m, testAccuracy: candidates.get(m.trial)?.metrics.test_accuracy ?? NaN }));
    const best = members.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a));
    const single = await singleEqualParams(spec as EnsembleSpec, last.params, seed);
    ensembleAcc.push(last.testAccuracy ?? NaN);
    bestMemberAcc.push(best.testAccuracy);
    singleAcc.push(single.accuracy);
    log(`| ${seed} | ${s.members.map((m) => m.description).join(' + ')} | ${pct(last.testAccuracy ?? NaN)} | ${pct(best.testAccuracy)} (${best.description}) | ${pct(single.accuracy)} (fc${single.units}) | ${last.params} | ${single.params} |`);
  }
  const result = { ensemble: mean(ensembleAcc), best_member: mean(bestMemberAcc), single_equal_params: mean(singleAcc) };
  log('');
  log(`| mean | | ${pct(result.ensemble)} | ${pct(result.best_member)} | ${pct(result.single_equal_params)} | | |`);
  return result;
}

async function main(): Promise<void> {
  log(`runs and specs in ${root}; Fashion-MNIST, ${trainSamples} training examples, ${epochs} epochs per network`);
  const result: Record<string, unknown> = {};
  if (only !== 'ensemble') {
    log('\n## Compound scaling');
    result.scaling = await scaling();
  }
  if (only !== 'scaling') {
    log('\n## AdaNet ensembles');
    result.ensemble = await ensembles();
  }
  if (json) console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(errorMessage(e));
  process.exit(1);
});
