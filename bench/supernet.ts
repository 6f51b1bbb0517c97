// Training speed of the OFA supernet (data-parallel worker threads, own wasm kernels) on a
// reference-like network, against the same architecture as a plain network in the same run:
//   - plain:      REFERENCE_MOBILENET (server/training/mobileNet.ts) with DataParallelTrainer,
//   - supernet:   an ofa-small supernet whose active sub-network is that same architecture
//                 (stem 16, stages 24/40/80/96/160, kernels 3,5,3,5,7, expand 4,4,4,4,6, depth 2),
//                 so the ratio is the cost of elasticity (slicing, kernel transforms, gradient
//                 accumulation over all supernet weights);
//   - expand phase: progressive shrinking as it trains (4 random sub-networks per step and
//                 distillation from the largest network), in images/s and sub-network passes/s.
//
// Usage: npm run bench:supernet [-- --steps N] [--rounds N] [--workers N] [--json]
import { availableParallelism, loadavg } from 'node:os';
import { Rng } from '../server/core/rng';
import type { ImageDataset } from '../server/data/imageDataset';
import { initBackend } from '../server/runtime/backend';
import type { OfaSmallConfig, SubnetArch } from '../server/supernet/ofaSmallConfig';
import { enabledChoices, stepSubnets } from '../server/supernet/sampling';
import type { PhaseSpec } from '../server/supernet/supernetSpec';
import { SupernetTrainer } from '../server/supernet/supernetTrainer';
import { DataParallelTrainer } from '../server/training/dataParallelTrainer';
import { REFERENCE_MOBILENET } from '../server/training/mobileNet';
import { json, log, option } from './benchArgs';

const steps = Number(option('steps', '10'));
const rounds = Number(option('rounds', '2'));
const workers = Number(option('workers', String(Math.min(2, availableParallelism()))));
const batch = 64;
const warmup = 3;
const optimizer = { learningRate: 0.01, momentum: 0.9 };

/** The reference network's stages as an elastic supernet (max depth 2, the reference's depth). */
const CONFIG: OfaSmallConfig = {
  input: REFERENCE_MOBILENET.inputShape,
  classes: REFERENCE_MOBILENET.classes,
  stem: REFERENCE_MOBILENET.stemChannels,
  stemStride: REFERENCE_MOBILENET.stemStride,
  stages: REFERENCE_MOBILENET.stages.map((s) => ({ width: s.width, stride: s.stride })),
  kernels: [3, 5, 7],
  expandRatios: [3, 4, 6],
  depths: [1, 2],
  resolutions: [32],
};

/** REFERENCE_MOBILENET as a sub-network of CONFIG. */
const REFERENCE_SUBNET: SubnetArch = {
  ks: REFERENCE_MOBILENET.stages.flatMap((s) => [s.kernelSize as number, s.kernelSize as number]),
  e: REFERENCE_MOBILENET.stages.flatMap((s) => [s.expandRatio as number, s.expandRatio as number]),
  d: REFERENCE_MOBILENET.stages.map((s) => s.depth),
  r: 32,
};

function randomDataset(count: number): ImageDataset {
  const [h, w, c] = CONFIG.input;
  const rng = new Rng(1);
  const pixels = Uint8Array.from({ length: count * h * w * c }, () => rng.int(256));
  return { name: 'random', shape: CONFIG.input, classes: CONFIG.classes, count, pixels, labels: Uint8Array.from({ length: count }, () => rng.int(CONFIG.classes)) };
}

async function timeSteps(step: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await step(i);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step(warmup + i);
  return (performance.now() - start) / 1000;
}

async function plainSpeed(dataset: ImageDataset): Promise<number> {
  const trainer = await DataParallelTrainer.start({ workers, backend: 'wasm', model: { kind: 'mobilenet', config: REFERENCE_MOBILENET, seed: 1 }, optimizer, maxBatch: batch });
  try {
    const images = Float32Array.from(dataset.pixels.subarray(0, batch * 32 * 32 * 3), (v) => v / 255);
    const labels = Int32Array.from(dataset.labels.subarray(0, batch));
    return (batch * steps) / (await timeSteps(() => trainer.step(images, labels)));
  } finally {
    await trainer.close();
  }
}

async function supernetSpeeds(dataset: ImageDataset): Promise<{ fixed: number; expand: number; expandPasses: number; backend: string }> {
  const trainer = await SupernetTrainer.start({ workers, backend: 'wasm', config: CONFIG, seed: 1, optimizer, train: dataset, normalization: { mean: [0.5], std: [0.25] } });
  try {
    const indices = (i: number) => Int32Array.from({ length: batch }, (_, j) => (i * batch + j) % dataset.count);
    const fixed = (batch * steps) / (await timeSteps((i) => trainer.step(indices(i), undefined, [REFERENCE_SUBNET], optimizer.learningRate, 0)));
    const phases: PhaseSpec[] = [
      { phase: 'full', epochs: 1, learningRate: 0.1, subnetsPerStep: 1 },
      { phase: 'expand', epochs: 1, learningRate: 0.1, subnetsPerStep: 4 },
    ];
    const sets = enabledChoices(CONFIG, [...phases.slice(0, 1), { phase: 'kernel', epochs: 1, learningRate: 0.1, subnetsPerStep: 1 }, { phase: 'depth', epochs: 1, learningRate: 0.1, subnetsPerStep: 2 }, phases[1]], 3);
    await trainer.snapshotTeacher();
    const rng = new Rng(2);
    const seconds = await timeSteps((i) => trainer.step(indices(i), undefined, stepSubnets(CONFIG, phases[1], sets, rng), optimizer.learningRate, 1));
    return { fixed, expand: (batch * steps) / seconds, expandPasses: (4 * batch * steps) / seconds, backend: trainer.backendDetail };
  } finally {
    await trainer.close();
  }
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const dataset = randomDataset(4 * batch);
  const loadBefore = loadavg()[0];
  let plain = 0;
  let best = { fixed: 0, expand: 0, expandPasses: 0, backend: '' };
  for (let round = 0; round < rounds; round++) {
    plain = Math.max(plain, await plainSpeed(dataset));
    const s = await supernetSpeeds(dataset);
    best = { fixed: Math.max(best.fixed, s.fixed), expand: Math.max(best.expand, s.expand), expandPasses: Math.max(best.expandPasses, s.expandPasses), backend: s.backend };
  }
  const load = Math.max(loadBefore, loadavg()[0]);
  log(`${best.backend}; ${workers} worker threads, batch ${batch}, ${steps} steps, best of ${rounds} rounds`);
  log('');
  log(`${'training'.padEnd(58)} ${'img/s'.padStart(8)} ${'vs plain'.padStart(9)}`);
  log(`${'plain network (REFERENCE_MOBILENET, DataParallelTrainer)'.padEnd(58)} ${plain.toFixed(1).padStart(8)} ${'100.0 %'.padStart(9)}`);
  log(`${'supernet, active sub-network = the reference architecture'.padEnd(58)} ${best.fixed.toFixed(1).padStart(8)} ${`${((best.fixed / plain) * 100).toFixed(1)} %`.padStart(9)}`);
  log(`${'supernet, expand phase (4 sub-networks/step, frozen teacher)'.padEnd(58)} ${best.expand.toFixed(1).padStart(8)} ${`(${best.expandPasses.toFixed(1)} sub-network passes/s)`}`);
  log(`load average ${load.toFixed(1)} on ${availableParallelism()} cores${load > availableParallelism() ? ': the machine is busy, timings are unreliable' : ''}`);
  if (json) console.log(JSON.stringify({ plain_img_s: plain, supernet_fixed_img_s: best.fixed, supernet_expand_img_s: best.expand, supernet_expand_passes_s: best.expandPasses, ratio_fixed_vs_plain: best.fixed / plain, workers, batch, steps, rounds, load_average: load }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
