import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendChoice } from '../../contract/backends';
import type { Metrics } from '../../contract/metrics';
import { latencyFidelityLine } from '../../contract/runText';
import { hashString } from '../core/rng';
import type { TrainJob } from '../evaluators/train/trainJob';
import type { RunEvents } from '../runs/runKind';
import { WorkerPool } from '../runtime/workerPool';
import { writeFileAtomic } from '../store/atomicFile';
import type { RunFolder } from '../store/runFolder';
import { argmax } from './archParameters';
import { predictedLatency, type LatencyModel } from './latencyModel';
import { archOfChoices, describeProxylessArch } from './proxylessArch';
import type { DerivedRecord, EpochRecord } from './proxylessState';
import type { MixedBlock } from './proxylessSpace';
import type { ProxylessSpec } from './proxylessSpec';

export interface DeriveContext {
  readonly spec: ProxylessSpec;
  readonly blocks: readonly MixedBlock[];
  readonly latency: LatencyModel;
  readonly folder: RunFolder;
  readonly baseDir: string;
  readonly backend: BackendChoice;
  readonly signal: AbortSignal;
  readonly events: RunEvents;
}

/**
 * The end of a search (the reference's `convert_to_normal_net`): the most likely candidate of
 * every block after the last epoch gives the network, which the train evaluator's job trains
 * from scratch for the spec's epochs in a worker thread, saves as a TF.js model (batch norms
 * folded in) and times at batch 1. The table's prediction for it is checked against that
 * measurement. Writes exports/derived/ and exports/derived.arch.json.
 */
export async function deriveNetwork(last: EpochRecord, context: DeriveContext): Promise<DerivedRecord> {
  const { spec, blocks, latency, folder, events } = context;
  const choices = last.probabilities.map(argmax);
  const arch = archOfChoices(spec.supernet, blocks, choices);
  const description = describeProxylessArch(arch);
  const predictedLatencyMs = predictedLatency(latency, choices);
  events.log(`derived ${description}: the latency table predicts ${predictedLatencyMs.toFixed(3)} ms; training it from scratch for ${spec.derived.epochs} epoch(s)`);
  const modelDir = join(folder.exports, 'derived');
  const job: TrainJob = {
    arch,
    options: { ...spec.derived, dataset: spec.dataset, workers: 1, backend: context.backend },
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
  const archFile = join(folder.exports, 'derived.arch.json');
  const record: DerivedRecord = {
    type: 'derived',
    at: new Date().toISOString(),
    arch,
    choices,
    description,
    expectedLatencyMs: last.expectedLatencyMs,
    predictedLatencyMs,
    measuredLatencyMs: metrics.latency_ms,
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
