import { dirname, join } from 'node:path';
import { CancelledError, NasError, UnavailableError, errorMessage } from '../core/errors';
import type { Evaluator, Metrics } from '../core/evaluator';
import { observe } from '../core/objectives';
import { hashString, Rng } from '../core/rng';
import type { Genome, SearchSpace } from '../core/searchSpace';
import type { Strategy } from '../core/strategy';
import type { TrialRecord } from '../protocol';
import { writeFileAtomic, type ExperimentFiles } from '../store/experimentStore';
import { loadExperimentState, type ExperimentState } from '../store/experimentState';
import type { FinishedTrial } from '../store/records';
import { runLocked, type RunOutcome } from '../store/lockedRun';
import { evaluators, strategies } from './registry';
import { createQueueEvaluator } from '../runtime/queue/queueEvaluator';
import { DEFAULT_QUEUE } from '../runtime/queue/queueProtocol';
import { optionsOf, type ExperimentSpec } from './spec';

export interface RunnerEvents {
  /** Once per run, after the journal has been replayed. */
  started?(info: { resumed: boolean; replayed: number; budget: number }): void;
  trialStarted?(trial: number, description: string): void;
  trialProgress?(trial: number, fraction: number, message: string): void;
  /** After the trial is journaled. `replayed` trials come from the journal of an earlier run. */
  trialFinished?(record: TrialRecord, description: string): void;
  log?(message: string): void;
}

export { SHUTDOWN, type RunOutcome } from '../store/lockedRun';

/** After this many failed trials in a row the experiment fails: the cause is systematic. */
const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * Runs an experiment folder to the end of its budget, resuming where its journal stops:
 * a fresh strategy replays every journaled trial (same seed, same observations, so the same
 * proposals) and only unfinished trials are evaluated. Proposals are made in batches of the
 * evaluator's concurrency and told back in proposal order, so replay is deterministic.
 */
export function runExperiment(files: ExperimentFiles, signal: AbortSignal, events: RunnerEvents = {}): Promise<RunOutcome> {
  return runLocked(files, signal, async (journal) => {
    const before = loadExperimentState(files);
    const { spec, space } = before;
    if (!spec || !space) throw new NasError('spec', before.error ?? 'invalid spec snapshot');
    if (before.status === 'finished') return before;
    const log = (m: string) => events.log?.(m);
    const baseDir = dirname(before.meta.specPath);
    const metrics = [...new Set([...spec.objectives.map((o) => o.metric), ...spec.constraints.map((c) => c.metric), ...spec.report])];
    const queue = spec.execution?.queue;
    const evaluator: Evaluator = queue
      ? await createQueueEvaluator(
          { redis: queue.redis, name: queue.name ?? DEFAULT_QUEUE, concurrency: queue.concurrency ?? 4 },
          { experiment: files.id, space: spec.space, evaluator: spec.evaluator, baseDir, experimentSeed: spec.seed, metrics },
          evaluators.find((d) => d.type === spec.evaluator.type)!.metricNames(optionsOf(spec.evaluator), baseDir),
          log,
        )
      : await evaluators.find((d) => d.type === spec.evaluator.type)!.create(optionsOf(spec.evaluator), { space, baseDir, workDir: files.dir, seed: spec.seed, metrics, log });
    try {
      const strategy = strategies.find((s) => s.type === spec.strategy.type)!.create(optionsOf(spec.strategy), {
        space,
        rng: new Rng(spec.seed).fork('strategy'),
        budget: spec.budget.trials,
        objectiveCount: spec.objectives.length,
      });
      const resumed = before.trials.length > 0 || before.status !== 'pending';
      const at = () => new Date().toISOString();
      journal.append(resumed ? { type: 'resumed', at: at(), pid: process.pid, replayed: before.trials.length } : { type: 'started', at: at(), budget: spec.budget.trials, pid: process.pid });
      events.started?.({ resumed, replayed: before.trials.length, budget: spec.budget.trials });

      const loop = new SearchLoop(spec, space, strategy, evaluator, before.trials, before.elapsedMs, journal.append.bind(journal), events, signal);
      const reason = await loop.run();
      journal.append({ type: 'finished', at: at(), reason });
      const state = loadExperimentState(files);
      exportBest(files, state, space);
      return state;
    } finally {
      await evaluator.dispose();
    }
  });
}

/** Writes exports/best.arch.json: the best architecture with its metrics. */
function exportBest(files: ExperimentFiles, state: ExperimentState, space: SearchSpace): void {
  if (!state.best) return;
  const content = { ...state.best.arch, description: space.describe(state.best.genome), trial: state.best.trial, metrics: state.best.metrics };
  writeFileAtomic(join(files.exports, 'best.arch.json'), JSON.stringify(content, null, 2) + '\n');
}

class SearchLoop {
  private readonly done: Map<number, FinishedTrial>;
  private readonly cache = new Map<string, Metrics>();
  private readonly startedAt = performance.now();
  private consecutiveFailures = 0;

  constructor(
    private readonly spec: ExperimentSpec,
    private readonly space: SearchSpace,
    private readonly strategy: Strategy,
    private readonly evaluator: Evaluator,
    journaled: readonly FinishedTrial[],
    private readonly elapsedBefore: number,
    private readonly append: (record: FinishedTrial | { type: 'trial_started'; trial: number; key: string; at: string }) => void,
    private readonly events: RunnerEvents,
    private readonly signal: AbortSignal,
  ) {
    this.done = new Map(journaled.map((t) => [t.trial, t]));
    for (const t of journaled) if (!t.error) this.cache.set(t.key, t.metrics);
  }

  private elapsed(): number {
    return this.elapsedBefore + performance.now() - this.startedAt;
  }

  async run(): Promise<'budget' | 'time'> {
    const budget = this.spec.budget.trials;
    const limitMs = this.spec.budget.minutes !== undefined ? this.spec.budget.minutes * 60_000 : Infinity;
    const batchSize = Math.max(1, this.evaluator.concurrency);
    for (let first = 0; first < budget; first += batchSize) {
      const trials = Array.from({ length: Math.min(batchSize, budget - first) }, (_, i) => first + i);
      const allReplayed = trials.every((t) => this.done.has(t));
      if (!allReplayed && this.elapsed() >= limitMs) return 'time';
      if (this.signal.aborted) throw new CancelledError();
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
        throw new NasError('journal', `trial ${trial} in the journal (${journaled.key}) differs from the replayed proposal (${key}); the journal does not belong to this spec`);
      }
      return journaled;
    }
    this.events.trialStarted?.(trial, description);
    const t0 = performance.now();
    let metrics = this.cache.get(key);
    const cached = metrics !== undefined;
    let error: string | undefined;
    if (!metrics) {
      this.append({ type: 'trial_started', trial, key, at: new Date().toISOString() });
      try {
        metrics = await this.evaluator.evaluate(genome, {
          signal: this.signal,
          seed: hashString(`${this.spec.seed}/trial/${trial}`),
          trial,
          progress: (fraction, message) => this.events.trialProgress?.(trial, fraction, message ?? ''),
          log: (message) => this.events.log?.(`trial ${trial}: ${message}`),
        });
        this.cache.set(key, metrics);
        this.consecutiveFailures = 0;
      } catch (e) {
        if (e instanceof CancelledError || this.signal.aborted) throw new CancelledError();
        // Infrastructure (Redis, workers), not the architecture: the run stops resumable and
        // the trial, left unfinished in the journal, runs again on resume.
        if (e instanceof UnavailableError) throw e;
        error = errorMessage(e);
        metrics = {};
        this.events.log?.(`trial ${trial} failed: ${error}`);
        if (++this.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
          throw new NasError('trials', `${MAX_CONSECUTIVE_FAILURES} trials failed in a row; last error: ${error}`);
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
    this.append(record);
    this.done.set(trial, record);
    this.events.trialFinished?.(record, description);
    return record;
  }
}
