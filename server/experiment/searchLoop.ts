import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../../contract/metrics';
import type { ProgressParams, TrialItem } from '../../contract/runs';
import { extendCurve, type EpochPoint } from '../../contract/trialCurve';
import { CancelledError, NasError, UnavailableError, errorMessage } from '../core/errors';
import type { Evaluator } from '../core/evaluator';
import { observe } from '../core/objectives';
import { hashString, Rng } from '../core/rng';
import type { Genome, SearchSpace } from '../core/searchSpace';
import type { Strategy } from '../core/strategy';
import { createQueueEvaluator } from '../runtime/queue/queueEvaluator';
import { withDeviceLatency } from '../evaluators/train/deviceLatencyEvaluator';
import { DEFAULT_QUEUE } from '../runtime/queue/queueProtocol';
import type { ActiveRun, FinishReason } from '../runs/runKind';
import { writeFileAtomic } from '../store/atomicFile';
import { readRecordsAt } from '../store/journal';
import { evaluators, strategies } from './registry';
import { toTrialRecord, type FinishedTrial } from './searchRecords';
import type { SearchState } from './searchState';
import { optionsOf, type ExperimentSpec } from './spec';
import { warmStarted } from './warmStart';
import { transferredRecords } from './warmStartTransfer';

/** After this many failed trials in a row the run fails: the cause is systematic. */
const MAX_CONSECUTIVE_FAILURES = 3;
const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs a search to the end of its budget, resuming where its journal stops: a fresh strategy
 * replays every journaled trial (same seed, same observations, so the same proposals) and only
 * unfinished trials are evaluated. A warm start's transferred observations come from the
 * journal too (transferred once, on the first start), so its prior and top-k replay alike. Proposals are made in batches of the evaluator's concurrency
 * and told back in proposal order, so replay is deterministic.
 */
export async function runSearch(run: ActiveRun<ExperimentSpec, SearchState>): Promise<FinishReason> {
  const { spec, state, folder } = run;
  const journaled = readRecordsAt(folder.journal, [...state.trials.values()]) as FinishedTrial[];
  const transferred = transferredRecords(run);
  const evaluator = await createEvaluator(run);
  try {
    const own = strategies.find((s) => s.type === spec.strategy.type)!.create(optionsOf(spec.strategy), {
      space: state.space,
      rng: new Rng(spec.seed).fork('strategy'),
      budget: spec.budget.trials,
      objectiveCount: spec.objectives.length,
    });
    const strategy = spec.warmStart ? warmStarted(own, spec.warmStart, transferred) : own;
    const loop = new SearchLoop(run, strategy, evaluator, journaled);
    const reason = await loop.run();
    exportBest(run);
    return reason;
  } finally {
    await evaluator.dispose();
  }
}

async function createEvaluator(run: ActiveRun<ExperimentSpec, SearchState>): Promise<Evaluator> {
  const evaluator = await createTrialEvaluator(run);
  const latency = run.spec.latency;
  if (!latency) return evaluator;
  const log = (m: string) => run.events.log(m);
  return withDeviceLatency(evaluator, { ...latency, run: run.folder.id }, run.state.space, log);
}

async function createTrialEvaluator(run: ActiveRun<ExperimentSpec, SearchState>): Promise<Evaluator> {
  const { spec, header, folder, state } = run;
  const log = (m: string) => run.events.log(m);
  const metrics = [...new Set([...spec.objectives.map((o) => o.metric), ...spec.constraints.map((c) => c.metric), ...spec.report])];
  const definition = evaluators.find((d) => d.type === spec.evaluator.type)!;
  const queue = spec.execution?.queue;
  if (queue) {
    return createQueueEvaluator(
      { redis: queue.redis, name: queue.name ?? DEFAULT_QUEUE, concurrency: queue.concurrency ?? 4 },
      { experiment: folder.id, space: spec.space, evaluator: spec.evaluator, baseDir: header.baseDir, experimentSeed: spec.seed, metrics },
      definition.metricNames(optionsOf(spec.evaluator), header.baseDir),
      log,
    );
  }
  return definition.create(optionsOf(spec.evaluator), { space: state.space, baseDir: header.baseDir, workDir: folder.dir, modelsDir: folder.models, seed: spec.seed, metrics, backend: run.backend, log });
}

/** Writes exports/best.arch.json: the best architecture with its metrics. */
function exportBest(run: ActiveRun<ExperimentSpec, SearchState>): void {
  const { best, space } = run.view().state;
  if (!best) return;
  const content = { ...best.arch, description: space.describe(best.genome), trial: best.trial, metrics: best.metrics };
  mkdirSync(run.folder.exports, { recursive: true });
  writeFileAtomic(join(run.folder.exports, 'best.arch.json'), JSON.stringify(content, null, 2) + '\n');
}

class SearchLoop {
  private readonly done: Map<number, FinishedTrial>;
  private readonly cache = new Map<string, Metrics>();
  private readonly startedAt = performance.now();
  private readonly elapsedBefore: number;
  private readonly replayedAtStart: number;
  private readonly space: SearchSpace;
  private readonly spec: ExperimentSpec;
  private readonly inFlight = new Map<number, { fraction: number; message: string }>();
  /** Learning curves of the trials evaluated here, as their epochs are journaled. */
  private readonly curves = new Map<number, EpochPoint[]>();
  private lastProgress = 0;
  private consecutiveFailures = 0;

  constructor(
    private readonly active: ActiveRun<ExperimentSpec, SearchState>,
    private readonly strategy: Strategy,
    private readonly evaluator: Evaluator,
    journaled: readonly FinishedTrial[],
  ) {
    this.spec = active.spec;
    this.space = active.state.space;
    this.elapsedBefore = active.state.elapsedMs;
    this.done = new Map(journaled.map((t) => [t.trial, t]));
    this.replayedAtStart = journaled.length;
    for (const t of journaled) if (!t.error) this.cache.set(t.key, t.metrics);
  }

  private elapsed(): number {
    return this.elapsedBefore + performance.now() - this.startedAt;
  }

  async run(): Promise<FinishReason> {
    const budget = this.spec.budget.trials;
    const limitMs = this.spec.budget.minutes !== undefined ? this.spec.budget.minutes * 60_000 : Infinity;
    const batchSize = Math.max(1, this.evaluator.concurrency);
    for (let first = 0; first < budget; first += batchSize) {
      const trials = Array.from({ length: Math.min(batchSize, budget - first) }, (_, i) => first + i);
      const allReplayed = trials.every((t) => this.done.has(t));
      if (!allReplayed && this.elapsed() >= limitMs) return 'time';
      if (this.active.signal.aborted) throw new CancelledError();
      const genomes = trials.map(() => this.strategy.ask());
      const results = await Promise.all(trials.map((trial, i) => this.resultOf(trial, genomes[i])));
      for (const record of results) {
        this.strategy.tell(record.genome, observe(record.metrics, this.spec.objectives, this.spec.constraints));
      }
    }
    return 'budget';
  }

  /** A journaled trial (checked against the replayed proposal), a cached one, or a new evaluation. */
  private async resultOf(trial: number, genome: Genome): Promise<FinishedTrial> {
    const key = this.space.key(genome);
    const description = this.space.describe(genome);
    const journaled = this.done.get(trial);
    if (journaled) {
      if (journaled.key !== key) {
        throw new NasError('damaged', `trial ${trial} in the journal (${journaled.key}) differs from the replayed proposal (${key}); the journal does not belong to this spec`);
      }
      return journaled;
    }
    this.reportProgress(trial, 0, description, true);
    const t0 = performance.now();
    let metrics = this.cache.get(key);
    const cached = metrics !== undefined;
    let error: string | undefined;
    if (!metrics) {
      this.active.append({ type: 'trial_started', trial, key, at: new Date().toISOString() });
      try {
        metrics = await this.evaluator.evaluate(genome, {
          signal: this.active.signal,
          seed: hashString(`${this.spec.seed}/trial/${trial}`),
          trial,
          progress: (fraction, message) => this.reportProgress(trial, fraction, message ?? ''),
          epoch: (point) => this.epochFinished(trial, point),
          log: (message) => this.active.events.log(`trial ${trial}: ${message}`),
        });
        this.cache.set(key, metrics);
        this.consecutiveFailures = 0;
      } catch (e) {
        if (e instanceof CancelledError || this.active.signal.aborted) throw new CancelledError();
        // Bad input and lost infrastructure end the run (resumable), they are not the architecture's result.
        if (e instanceof UnavailableError || (e instanceof NasError && (e.code === 'invalid-data' || e.code === 'missing-data' || e.code === 'invalid-spec'))) throw e;
        error = errorMessage(e);
        metrics = {};
        this.active.events.log(`trial ${trial} failed: ${error}`);
        if (++this.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
          throw new NasError('failed', `${MAX_CONSECUTIVE_FAILURES} trials failed in a row; last error: ${error}`);
        }
      }
    }
    const record: FinishedTrial = {
      type: 'trial_finished',
      at: new Date().toISOString(),
      elapsedMs: Math.round(this.elapsed()),
      trial,
      key,
      genome: [...genome],
      arch: this.space.toArch(genome),
      metrics,
      feasible: error === undefined && observe(metrics, this.spec.objectives, this.spec.constraints).feasible,
      cached,
      durationMs: Math.round(performance.now() - t0),
      ...(error !== undefined ? { error } : {}),
    };
    this.active.append(record);
    this.done.set(trial, record);
    this.inFlight.delete(trial);
    const curve = this.curves.get(trial);
    const item: TrialItem = { ...toTrialRecord(record), description, ...(error !== undefined ? { error } : {}), ...(curve ? { curve } : {}) };
    this.active.events.finished({ unit: 'trials', trial: item });
    this.reportProgress(undefined, 0, '', true);
    return record;
  }

  /** Journals a point of a trial's learning curve and shows the curve so far at once. */
  private epochFinished(trial: number, point: EpochPoint): void {
    this.active.append({ type: 'trial_epoch', trial, ...point });
    const points = extendCurve(this.curves.get(trial) ?? [], point);
    this.curves.set(trial, points);
    const current = this.inFlight.get(trial);
    this.reportProgress(trial, current?.fraction ?? 0, current?.message ?? '', true, { trial, points });
  }

  /** Overall progress: finished trials plus the fractions of those in flight, and what each is doing. */
  private reportProgress(trial: number | undefined, fraction: number, message: string, force = false, curve?: ProgressParams['curve']): void {
    if (trial !== undefined) this.inFlight.set(trial, { fraction, message });
    const now = performance.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    const budget = this.spec.budget.trials;
    const done = this.done.size;
    const partial = [...this.inFlight.values()].reduce((s, t) => s + t.fraction, 0);
    const elapsedHere = now - this.startedAt;
    const doneHere = done + partial - this.replayedAtStart;
    const remaining = budget - done - partial;
    this.active.events.progress({
      fraction: budget ? (done + partial) / budget : 0,
      done,
      total: budget,
      unit: 'trials',
      message: [...this.inFlight.entries()].map(([n, t]) => `trial ${n}: ${t.message}`).join('; '),
      ...(doneHere > 0.05 ? { etaSeconds: ((elapsedHere / doneHere) * remaining) / 1000 } : {}),
      ...(curve ? { curve } : {}),
    });
  }

}
