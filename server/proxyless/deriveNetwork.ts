import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendChoice } from '../../contract/backends';
import type { Metrics } from '../../contract/metrics';
import type { RelativeLatency } from '../../contract/runs';
import { latencyFidelityLine } from '../../contract/runText';
import { hashString } from '../core/rng';
import type { TrainJob } from '../evaluators/train/trainJob';
import type { RunEvents } from '../runs/runKind';
import { WorkerPool } from '../runtime/workerPool';
import { writeFileAtomic } from '../store/atomicFile';
import type { RunFolder } from '../store/runFolder';
import { argmax } from './archParameters';
import { predictedLatency, type LatencyModel } from './latencyModel';
import type { NetworkTimingJob } from './latencyValidation';
import { mostLikelyNearTarget } from './nearTargetChoice';
import { archOfChoices, describeProxylessArch } from './proxylessArch';
import type { DerivedRecord, EpochRecord } from './proxylessState';
import type { MixedBlock } from './proxylessSpace';
import type { ProxylessSpec } from './proxylessSpec';
import { referenceChoices, relativeLatency } from './relativeLatency';

/** The network the spec's `derived.selection` hands over, and the argmax network when that is another one. */
export function selectNetwork(last: Pick<EpochRecord, 'probabilities'>, context: Pick<DeriveContext, 'spec' | 'blocks' | 'latency' | 'events'>): { choices: number[]; mostLikely?: DerivedRecord['mostLikely'] } {
  const { spec, blocks, latency, events } = context;
  const argmaxChoices = last.probabilities.map(argmax);
  const { selection = 'argmax', targetTolerance = 0.1 } = spec.derived;
  if (selection === 'argmax') return { choices: argmaxChoices };
  const target = spec.latency.target;
  const band = `±${(targetTolerance * 100).toFixed(0)} % of the ${target} ms target`;
  const argmaxMs = predictedLatency(latency, argmaxChoices);
  const argmaxDescription = describeProxylessArch(archOfChoices(spec.supernet, blocks, argmaxChoices));
  const near = mostLikelyNearTarget(latency, last.probabilities, target, targetTolerance);
  if (!near) {
    events.log(`no network of the space is within ${band} by the latency table: deriving the most likely one, ${argmaxDescription} (${argmaxMs.toFixed(3)} ms)`);
    return { choices: argmaxChoices };
  }
  if (near.every((c, b) => c === argmaxChoices[b])) return { choices: argmaxChoices };
  const logP = (choices: number[]) => choices.reduce((sum, c, b) => sum + Math.log(last.probabilities[b][c]), 0);
  events.log(
    `the most likely network, ${argmaxDescription}, is predicted at ${argmaxMs.toFixed(3)} ms, outside ${band}; ` +
      `deriving the most likely network within it (${Math.exp(logP(argmaxChoices) - logP(near)).toFixed(1)}× less likely)`,
  );
  return { choices: near, mostLikely: { description: argmaxDescription, predictedLatencyMs: argmaxMs } };
}

export interface DeriveContext {
  readonly spec: ProxylessSpec;
  readonly blocks: readonly MixedBlock[];
  readonly latency: LatencyModel;
  readonly folder: RunFolder;
  readonly baseDir: string;
  readonly backend: BackendChoice;
  readonly signal: AbortSignal;
  readonly events: RunEvents;
  /** Time the network against reference networks too: the latency table's correction was measured on this host. */
  readonly tableMeasuredHere: boolean;
}

/**
 * The end of a search (the reference's `convert_to_normal_net`): the most likely candidate of
 * every block after the last epoch gives the network (or, with `near-target` selection, the most
 * likely network within the band around the target), which the train evaluator's job trains
 * from scratch for the spec's epochs in a worker thread, saves as a TF.js model (batch norms
 * folded in) and times at batch 1. The table's prediction for it is checked against that
 * measurement and, when the table was corrected on this host, against the network timed with
 * reference networks (relativeLatency.ts). Writes exports/derived/ and exports/derived.arch.json.
 */
export async function deriveNetwork(last: EpochRecord, context: DeriveContext): Promise<DerivedRecord> {
  const { spec, blocks, latency, folder, events } = context;
  const { choices, mostLikely } = selectNetwork(last, context);
  const { selection: _selection, targetTolerance: _tolerance, ...training } = spec.derived;
  const arch = archOfChoices(spec.supernet, blocks, choices);
  const description = describeProxylessArch(arch);
  const predictedLatencyMs = predictedLatency(latency, choices);
  events.log(`derived ${description}: the latency table predicts ${predictedLatencyMs.toFixed(3)} ms; training it from scratch for ${spec.derived.epochs} epoch(s)`);
  const modelDir = join(folder.exports, 'derived');
  const job: TrainJob = {
    arch,
    options: { ...training, dataset: spec.dataset, workers: 1, backend: context.backend },
    baseDir: context.baseDir,
    // The train evaluator's split and initialization, fixed by the run's seed.
    splitSeed: hashString(`split/${spec.seed}`),
    seed: spec.seed,
    modelDir,
  };
  const pool = new WorkerPool<TrainJob, Metrics>('trainingWorker', 1, (message) => events.log(message));
  let metrics: Metrics;
  try {
    metrics = await pool.run(job, {
      signal: context.signal,
      progress: (fraction, message) => events.progress({ fraction, done: last.epochs, total: last.epochs + 1, unit: 'epochs', message: `derived network: ${message}` }),
    });
  } finally {
    await pool.close();
  }
  const relative = context.tableMeasuredHere ? await timeAgainstReferences(choices, context) : undefined;
  const archFile = join(folder.exports, 'derived.arch.json');
  const record: DerivedRecord = {
    type: 'derived',
    at: new Date().toISOString(),
    arch,
    choices,
    description,
    expectedLatencyMs: last.expectedLatencyMs,
    predictedLatencyMs,
    ...(mostLikely ? { mostLikely } : {}),
    measuredLatencyMs: metrics.latency_ms,
    ...(relative ? { relativeLatency: relative } : {}),
    valAccuracy: metrics.val_accuracy,
    ...(metrics.test_accuracy !== undefined ? { testAccuracy: metrics.test_accuracy } : {}),
    params: metrics.params,
    flops: metrics.flops,
    epochs: spec.derived.epochs,
    trainSeconds: metrics.train_seconds,
    modelDir,
    archFile,
  };
  mkdirSync(folder.exports, { recursive: true });
  const exported = {
    ...arch,
    description,
    metrics: {
      val_accuracy: record.valAccuracy,
      ...(record.testAccuracy !== undefined ? { test_accuracy: record.testAccuracy } : {}),
      latency_ms: record.measuredLatencyMs,
      ...(relative ? { latency_at_table_speed_ms: relative.atTableSpeedMs } : {}),
      predicted_latency_ms: predictedLatencyMs,
      expected_latency_ms: record.expectedLatencyMs,
      params: record.params,
      flops: record.flops,
    },
  };
  writeFileAtomic(archFile, JSON.stringify(exported, null, 2) + '\n');
  events.log(`derived network: ${latencyFidelityLine(record)}; validation ${(record.valAccuracy * 100).toFixed(2)} %`);
  return record;
}

/** The derived network timed in the same rounds as reference networks of the space, in a worker thread that trains nothing. */
async function timeAgainstReferences(choices: readonly number[], context: DeriveContext): Promise<RelativeLatency> {
  const { spec, blocks, latency, events } = context;
  const references = referenceChoices(latency, blocks, choices, spec.seed);
  events.log(`timing the derived network with ${references.length} networks of the space near its table latency`);
  const pool = new WorkerPool<NetworkTimingJob, number[]>('networkTimingWorker', 1, (message) => events.log(message));
  try {
    const archs = [choices, ...references].map((c) => archOfChoices(spec.supernet, blocks, c));
    const [derivedMs, ...referenceMs] = await pool.run({ archs, repeats: spec.derived.latencyRepeats, backend: context.backend }, { signal: context.signal });
    return relativeLatency(derivedMs, referenceMs, references.map((c) => predictedLatency(latency, c)));
  } finally {
    await pool.close();
  }
}
