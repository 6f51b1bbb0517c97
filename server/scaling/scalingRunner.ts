import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../../contract/metrics';
import { hashString } from '../core/rng';
import type { TrainJob } from '../evaluators/train/trainJob';
import type { ResolvedTrainOptions } from '../evaluators/train/trainOptions';
import type { ActiveRun, FinishReason } from '../runs/runKind';
import { WorkerPool } from '../runtime/workerPool';
import { writeFileAtomic } from '../store/atomicFile';
import { coefficientsText } from '../../contract/runText';
import { describeScalable } from './scalableArch';
import { familyPhase, searchPhase, type PlannedCandidate } from './scalingPlan';
import { candidateCount, type ScalingSpec } from './scalingSpec';
import { candidateItem, gridChoice, scalingLines, type CandidateRecord, type ScalingState } from './scalingState';

type ScalingRun = ActiveRun<ScalingSpec, ScalingState>;

const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs a compound scaling study to the end, resuming where its journal stops: the base and the
 * grid points (phase 1), then, once the grid has chosen (α, β, γ), the compound family and the
 * single-dimension baselines at matched FLOPs (phase 2). Every distinct network trains once; a
 * candidate that is the same network as a journaled one reuses its result. Candidates train in
 * parallel in worker threads; each is journaled as it finishes.
 */
export async function runScaling(run: ScalingRun): Promise<FinishReason> {
  const { spec } = run;
  const options: ResolvedTrainOptions = { ...spec.training, dataset: spec.dataset, backend: spec.training.backend === 'auto' ? run.backend : spec.training.backend };
  const pool = new WorkerPool<TrainJob, Metrics>('trainingWorker', options.workers, (m) => run.events.log(m));
  const progress = new ScalingProgress(run);
  try {
    await trainCandidates(run, pool, options, progress, searchPhase(spec));
    const winner = gridChoice(spec, run.view().state)!;
    run.events.log(`grid search chose ${coefficientsText(winner.coefficients)} (trial ${winner.trial})`);
    await trainCandidates(run, pool, options, progress, familyPhase(spec, winner));
    writeExports(run);
    return 'budget';
  } finally {
    await pool.close();
  }
}

async function trainCandidates(run: ScalingRun, pool: WorkerPool<TrainJob, Metrics>, options: ResolvedTrainOptions, progress: ScalingProgress, planned: readonly PlannedCandidate[]): Promise<void> {
  const done = run.view().state.candidates;
  const trained = new Map<string, CandidateRecord>();
  for (const c of [...done.values()].sort((a, b) => a.trial - b.trial)) if (!c.cached && !trained.has(c.key)) trained.set(c.key, c);
  const groups = new Map<string, PlannedCandidate[]>();
  for (const c of planned) {
    if (done.has(c.trial)) continue;
    const known = trained.get(c.key);
    if (known) journal(run, c, known.metrics, true, 0);
    else groups.set(c.key, [...(groups.get(c.key) ?? []), c]);
  }
  const splitSeed = hashString(`split/${run.spec.seed}`);
  await Promise.all(
    [...groups.values()].map(async (same) => {
      const first = same[0];
      const started = performance.now();
      const job: TrainJob = { arch: first.arch, options, baseDir: run.header.baseDir, splitSeed, seed: hashString(`${run.spec.seed}/${first.key}`), resizeImages: true };
      const metrics = await pool.run(job, { signal: run.signal, progress: (fraction, message) => progress.update(first, fraction, message) });
      progress.finish(first);
      same.forEach((c, i) => journal(run, c, metrics, i > 0, i === 0 ? performance.now() - started : 0));
    }),
  );
}

function journal(run: ScalingRun, c: PlannedCandidate, metrics: Metrics, cached: boolean, durationMs: number): void {
  const record: CandidateRecord = {
    type: 'candidate_finished',
    at: new Date().toISOString(),
    trial: c.trial,
    role: c.role,
    rule: c.rule,
    phi: c.phi,
    coefficients: c.coefficients,
    ...(c.targetFlops !== undefined ? { targetFlops: c.targetFlops } : {}),
    arch: c.arch,
    key: c.key,
    metrics,
    cached,
    durationMs,
  };
  run.append(record);
  run.events.finished({ unit: 'trials', trial: candidateItem(record) });
}

/** Live progress over the candidates training at once, at most a few times a second. */
class ScalingProgress {
  private readonly running = new Map<number, number>();
  private last = 0;

  constructor(private readonly run: ScalingRun) {}

  update(c: PlannedCandidate, fraction: number, message: string): void {
    this.running.set(c.trial, fraction);
    if (performance.now() - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = performance.now();
    const done = this.run.view().state.candidates.size;
    const total = candidateCount(this.run.spec);
    const inFlight = [...this.running.values()].reduce((a, b) => a + b, 0);
    const what = c.role === 'family' ? `${c.rule} φ=${c.phi}` : c.role;
    this.run.events.progress({ fraction: Math.min(1, (done + inFlight) / total), done, total, unit: 'trials', message: `trial ${c.trial} (${what}, ${describeScalable(c.arch)}): ${message}` });
  }

  finish(c: PlannedCandidate): void {
    this.running.delete(c.trial);
  }
}

/** exports/scaling.json (the lines, as the plot draws them) and each compound member as an architecture file. */
function writeExports(run: ScalingRun): void {
  const { spec, state } = run.view();
  const lines = scalingLines(spec, state);
  mkdirSync(run.folder.exports, { recursive: true });
  writeFileAtomic(join(run.folder.exports, 'scaling.json'), JSON.stringify({ base: spec.base.from, lines }, null, 2) + '\n');
  for (const p of lines.find((l) => l.rule === 'compound')?.points ?? []) {
    const c = state.candidates.get(p.trial)!;
    writeFileAtomic(join(run.folder.exports, `compound-phi${p.phi}.arch.json`), JSON.stringify({ ...c.arch, description: describeScalable(c.arch), trial: c.trial, metrics: c.metrics }, null, 2) + '\n');
  }
}
