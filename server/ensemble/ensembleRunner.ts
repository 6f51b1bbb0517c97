import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../../contract/metrics';
import { NasError } from '../core/errors';
import { hashString } from '../core/rng';
import type { ResolvedTrainOptions } from '../evaluators/train/trainOptions';
import type { ActiveRun, FinishReason } from '../runs/runKind';
import { WorkerPool } from '../runtime/workerPool';
import { writeFileAtomic } from '../store/atomicFile';
import type { DataRef, EnsembleJob, ExportResult, IterationResult } from './ensembleJobs';
import type { EnsembleSpec } from './ensembleSpec';
import { candidateItem, converged, iterationInfo, subnetworkDescription, type CandidateTrainedRecord, type EnsembleState, type IterationRecord } from './ensembleState';
import { searchCandidates } from './searchGenerator';
import { candidatesPerIteration, generateCandidates, linearStack, type GeneratedCandidate } from './subnetworkGenerator';

type EnsembleRun = ActiveRun<EnsembleSpec, EnsembleState>;
type Pool = WorkerPool<EnsembleJob, unknown>;

/** Largest difference of the reloaded model's probabilities from the ensemble's own that counts as the same predictions (float32 rounding). */
const RELOAD_TOLERANCE = 1e-4;

export function memberDir(run: Pick<EnsembleRun, 'folder'>, trial: number): string {
  return join(run.folder.checkpoints, 'members', `trial-${trial}`);
}

/**
 * Grows an AdaNet ensemble, resuming where its journal stops. Each iteration trains the
 * generator's candidates (journaled one by one, never trained twice), fits the mixture weights of
 * the previous members plus each candidate on the training examples, and keeps the candidate whose
 * ensemble has the lowest objective on the held-out examples; when the previous ensemble is lower,
 * growth stops (unless `forceGrow`). The ensemble is then exported as one TF.js model.
 */
export async function runEnsemble(run: EnsembleRun): Promise<FinishReason> {
  const { spec } = run;
  const options: ResolvedTrainOptions = { ...spec.training, dataset: spec.dataset, backend: spec.training.backend === 'auto' ? run.backend : spec.training.backend };
  const data: DataRef = { arch: linearStack(spec.network), options, baseDir: run.header.baseDir, splitSeed: hashString(`split/${spec.seed}`) };
  const pool: Pool = new WorkerPool<EnsembleJob, unknown>('ensembleWorker', options.workers, (m) => run.events.log(m));
  try {
    while (!converged(run.view().state) && run.view().state.iterations.length < spec.maxIterations) await iterate(run, pool, data);
    await exportEnsemble(run, pool, data);
    return converged(run.view().state) ? 'converged' : 'budget';
  } finally {
    await pool.close();
  }
}

async function iterate(run: EnsembleRun, pool: Pool, data: DataRef): Promise<void> {
  const { spec } = run;
  const state = run.view().state;
  const iteration = state.iterations.length;
  const previous = state.iterations.at(-1);
  const lastAdded = previous ? state.candidates.get(previous.members[previous.members.length - 1])! : undefined;
  const generated = spec.generator.type === 'blocks' ? generateCandidates({ ...spec, generator: spec.generator }, lastAdded?.depth) : searchCandidates({ ...spec, generator: spec.generator }, state.iterations);
  const trials = generated.map((_, k) => iteration * candidatesPerIteration(spec) + k);
  await Promise.all(generated.map((c, k) => (state.candidates.has(trials[k]) ? undefined : trainCandidate(run, pool, data, iteration, trials[k], c))));
  run.events.progress({ fraction: progressFraction(run, 0.95), done: iteration, total: spec.maxIterations, unit: 'iterations', message: `iteration ${iteration + 1}: fitting mixture weights of ${generated.length} candidate ensemble${generated.length === 1 ? '' : 's'}` });
  const members = previous?.members ?? [];
  const after = run.view().state;
  const frozen = (trial: number) => ({ dir: memberDir(run, trial), complexity: after.candidates.get(trial)!.complexity });
  const result = (await pool.run(
    {
      kind: 'iteration',
      data,
      classes: spec.network.classes,
      objective: spec.objective,
      forceGrow: spec.forceGrow,
      members: members.map(frozen),
      ...(previous ? { mixture: previous.mixture } : {}),
      candidates: trials.map(frozen),
    },
    { signal: run.signal },
  )) as IterationResult;
  const chosen = result.chosen === undefined ? null : trials[result.chosen];
  const ensemble = result.chosen === undefined ? result.previous! : result.candidates[result.chosen];
  const record: IterationRecord = {
    type: 'iteration_finished',
    at: new Date().toISOString(),
    iteration,
    candidates: result.candidates.map((c, k) => ({ trial: trials[k], objective: c.objective.objective, heldOutObjective: c.heldOut.objective, mixture: c.mixture })),
    chosen,
    members: chosen === null ? members : [...members, chosen],
    mixture: ensemble.mixture,
    objective: ensemble.objective.objective,
    heldOutObjective: ensemble.heldOut.objective,
    valAccuracy: ensemble.valAccuracy,
    ...(ensemble.testAccuracy !== undefined ? { testAccuracy: ensemble.testAccuracy } : {}),
  };
  run.append(record);
  const info = iterationInfo(run.view().state, record);
  run.events.log(
    chosen === null
      ? `iteration ${iteration + 1}: the previous ensemble (held-out F ${result.previous!.heldOut.objective.toFixed(4)}) beats every candidate; growth stops`
      : `iteration ${iteration + 1}: added trial ${chosen} (${subnetworkDescription(after.candidates.get(chosen)!.arch)}), held-out F ${record.heldOutObjective.toFixed(4)}`,
  );
  writeGraphFile(run);
  run.events.finished({ unit: 'iterations', iteration: info });
}

async function trainCandidate(run: EnsembleRun, pool: Pool, data: DataRef, iteration: number, trial: number, c: GeneratedCandidate): Promise<void> {
  const started = performance.now();
  const job: EnsembleJob = {
    kind: 'member',
    train: { arch: c.arch, options: data.options, baseDir: data.baseDir, splitSeed: data.splitSeed, seed: hashString(`${run.spec.seed}/candidate/${trial}`), modelDir: memberDir(run, trial) },
  };
  const metrics = (await pool.run(job, {
    signal: run.signal,
    progress: (fraction, message) =>
      run.events.progress({
        fraction: progressFraction(run, fraction * 0.9),
        done: iteration,
        total: run.spec.maxIterations,
        unit: 'iterations',
        message: `iteration ${iteration + 1}, candidate ${trial} (${subnetworkDescription(c.arch)}): ${message}`,
      }),
  })) as Metrics;
  const record: CandidateTrainedRecord = { type: 'candidate_trained', at: new Date().toISOString(), iteration, trial, arch: c.arch, depth: c.depth, complexity: c.complexity, metrics, durationMs: performance.now() - started };
  run.append(record);
  run.events.finished({ unit: 'trials', trial: candidateItem(record) });
}

function progressFraction(run: EnsembleRun, withinIteration: number): number {
  return Math.min(1, (run.view().state.iterations.length + withinIteration) / run.spec.maxIterations);
}

/** exports/ensemble.arch.json: the current ensemble, which the editor draws as a graph. */
function writeGraphFile(run: EnsembleRun): void {
  const { state, spec } = run.view();
  const last = state.iterations.at(-1);
  if (!last) return;
  const members = last.members.map((trial, j) => ({ trial, weights: last.mixture.weights[j], arch: state.candidates.get(trial)!.arch }));
  const arch = {
    space: 'ensemble',
    description: `AdaNet ensemble of ${members.length} after iteration ${last.iteration + 1}`,
    mixtureWeights: spec.objective.type,
    members,
    bias: last.mixture.bias,
    metrics: { val_accuracy: last.valAccuracy, ...(last.testAccuracy !== undefined ? { test_accuracy: last.testAccuracy } : {}), objective: last.objective, held_out_objective: last.heldOutObjective },
  };
  mkdirSync(run.folder.exports, { recursive: true });
  writeFileAtomic(join(run.folder.exports, 'ensemble.arch.json'), JSON.stringify(arch, null, 2) + '\n');
}

/** exports/ensemble/: the ensemble as one TF.js model, checked to reload with the same predictions. */
async function exportEnsemble(run: EnsembleRun, pool: Pool, data: DataRef): Promise<void> {
  const last = run.view().state.iterations.at(-1);
  if (!last) return;
  const outDir = join(run.folder.exports, 'ensemble');
  const result = (await pool.run(
    { kind: 'export', data, classes: run.spec.network.classes, memberDirs: last.members.map((t) => memberDir(run, t)), mixture: last.mixture, outDir },
    { signal: run.signal },
  )) as ExportResult;
  if (!(result.reloadMaxDifference <= RELOAD_TOLERANCE)) {
    throw new NasError('failed', `the exported ensemble does not reload with the ensemble's predictions (largest difference ${result.reloadMaxDifference})`);
  }
  run.events.log(`exported the ensemble to ${outDir} (${result.params} weights; reloaded, ${result.checkedExamples} validation predictions within ${result.reloadMaxDifference.toExponential(1)})`);
}
