import { dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { NasError, errorMessage } from '../core/errors';
import { runExperiment, SHUTDOWN, type RunnerEvents } from '../experiment/runner';
import { formatPath, validateSpecText, type SpecDiagnostic } from '../experiment/validate';
import type { ArchJson, NodeMetrics } from '../../contract/architecture';
import type { ArchitectureMatch, ExperimentKind, ExperimentSummary, ProgressParams, SubnetChoice, SubnetExport, TrainingEpoch, TrialFinishedParams, TrialItem, TrialPage } from '../../contract/protocol';
import { formatPercent, trainingProgressLine } from '../../contract/format';
import { exportSupernetSubnet } from './subnetExporter';
import { ArchDetails } from './archDetails';
import { ExperimentStore, readMeta, type ExperimentFiles } from '../store/experimentStore';
import { loadExperimentState, summarize, toTrialRecord, type ExperimentState } from '../store/experimentState';
import type { FinishedTrial } from '../store/records';
import { runSupernetTraining, type TrainingEvents } from '../supernet/supernetRunner';
import { validateSupernetSpecText } from '../supernet/validateSupernet';

export interface ManagerListener {
  experimentChanged(summary: ExperimentSummary): void;
  trialFinished(params: TrialFinishedParams): void;
  progress(params: ProgressParams): void;
  log(message: string): void;
}

/** A spec that cannot run; carries its diagnostics. */
export class InvalidSpecError extends NasError {
  constructor(
    readonly file: string,
    readonly diagnostics: readonly SpecDiagnostic[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('invalid-spec', `${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'} in the spec; first: ${formatPath(errors[0]?.path ?? [])}: ${errors[0]?.message}`);
  }
}

interface ActiveRun {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * The engine's experiments - architecture searches and supernet training runs: starts, resumes
 * and stops runs in this process and turns runner events into the notifications the editor
 * shows. Several experiments may run at once.
 */
export class ExperimentManager {
  private readonly store: ExperimentStore;
  private readonly active = new Map<string, ActiveRun>();
  private readonly details = new ArchDetails();

  constructor(
    experimentsRoot: string,
    private readonly listener: ManagerListener,
  ) {
    this.store = new ExperimentStore(experimentsRoot);
  }

  get root(): string {
    return this.store.root;
  }

  list(): ExperimentSummary[] {
    return this.store.list().map((f) => this.summaryOf(f));
  }

  get(id: string): ExperimentSummary {
    return this.summaryOf(this.files(id));
  }

  trials(id: string, offset: number, limit: number): TrialPage {
    const state = loadExperimentState(this.files(id));
    const items = state.trials.slice(offset, offset + limit).map((t) => trialItem(state, t));
    return { total: state.trials.length, offset, items };
  }

  /** The finished epochs of a supernet training run. */
  trainingEpochs(id: string): TrainingEpoch[] {
    const state = loadExperimentState(this.files(id));
    if (!state.training) throw new NasError('invalid-request', `${id} is an architecture search, not a supernet training run`);
    return state.training.epochs.map(({ type: _type, at: _at, phaseIndex: _phaseIndex, elapsedMs: _elapsedMs, ...epoch }) => epoch);
  }

  /** Per-node figures for a graph of an architecture of this experiment (see archDetails.ts). */
  async archDetails(id: string, arch: ArchJson): Promise<Record<string, NodeMetrics>> {
    return this.details.of(loadExperimentState(this.files(id)), arch);
  }

  /** Exports a sub-network of a trained supernet run (see subnetExporter.ts). */
  exportSubnet(id: string, choice: SubnetChoice, outDir: string, signal: AbortSignal): Promise<SubnetExport> {
    return exportSupernetSubnet(this.files(id), choice, outDir, signal, (message) => this.listener.log(`${id}: ${message}`));
  }

  trial(id: string, trial: number): TrialItem {
    const state = loadExperimentState(this.files(id));
    const found = state.trials.find((t) => t.trial === trial);
    if (!found) throw new NasError('not-found', `experiment ${id} has no finished trial ${trial}`);
    return trialItem(state, found);
  }

  /**
   * Experiments (all, or those named) that evaluated this architecture, compared by their
   * space's canonical key; architectures another space cannot parse simply do not match.
   */
  findArchitecture(arch: ArchJson, ids?: readonly string[]): ArchitectureMatch[] {
    const candidates = ids ? ids.flatMap((id) => this.store.find(id) ?? []) : this.store.list();
    return candidates.flatMap((files) => {
      const state = loadExperimentState(files);
      if (!state.space || state.space.id !== arch.space) return [];
      let key: string;
      try {
        key = state.space.key(state.space.fromArch(arch));
      } catch {
        return [];
      }
      const found = state.trials.find((t) => t.key === key && !t.cached && !t.error);
      if (!found) return [];
      const { trial, description, metrics, feasible } = trialItem(state, found);
      return [{ experiment: files.id, name: state.meta.name, trial, description, metrics, feasible }];
    });
  }

  /** Validates the spec (file or unsaved text), creates its experiment and starts it. */
  start(specPath: string, text?: string): string {
    return this.create(specPath, text, 'search');
  }

  /** Validates a `*.supernet.json` spec (file or unsaved text), creates its run folder and starts training. */
  startSupernet(specPath: string, text?: string): string {
    return this.create(specPath, text, 'supernet');
  }

  private create(specPath: string, text: string | undefined, kind: ExperimentKind): string {
    const specText = text ?? readFileSync(specPath, 'utf8');
    const context = { file: specPath, baseDir: dirname(specPath) };
    const validation = kind === 'supernet' ? validateSupernetSpecText(specText, context) : validateSpecText(specText, context);
    if (!validation.spec) throw new InvalidSpecError(specPath, validation.diagnostics);
    const files = this.store.create(validation.spec.name, specText, specPath, undefined, kind);
    this.launch(files);
    return files.id;
  }

  resume(id: string): void {
    const files = this.files(id);
    if (this.active.has(files.id)) throw new NasError('busy', `experiment ${id} is already running`);
    const state = loadExperimentState(files);
    if (state.status === 'finished') throw new NasError('busy', `experiment ${id} has already finished`);
    if (state.status === 'running') throw new NasError('busy', `experiment ${id} is running in another process`);
    this.launch(files);
  }

  /** Experiments whose process died mid-run, resumed from their journals. */
  resumeInterrupted(): string[] {
    const interrupted = this.store.list().filter((f) => !this.active.has(f.id) && loadExperimentState(f).status === 'interrupted');
    for (const files of interrupted) this.launch(files);
    return interrupted.map((f) => f.id);
  }

  async stop(id: string): Promise<ExperimentSummary> {
    const run = this.active.get(this.files(id).id);
    if (run) {
      run.controller.abort();
      await run.done;
    }
    return this.get(id);
  }

  /** Engine shutdown: runs end without being marked stopped, so the next engine resumes them. */
  async shutdown(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(SHUTDOWN);
    await Promise.all(runs.map((r) => r.done));
  }

  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  private files(id: string): ExperimentFiles {
    const files = this.store.find(id);
    if (!files) throw new NasError('not-found', `no experiment "${id}" in ${this.store.root}`);
    return files;
  }

  private summaryOf(files: ExperimentFiles): ExperimentSummary {
    const summary = summarize(loadExperimentState(files));
    if (this.active.has(files.id) && summary.status !== 'running') {
      const run = this.active.get(files.id)!;
      return { ...summary, status: run.controller.signal.aborted ? 'stopping' : 'running' };
    }
    return summary;
  }

  private launch(files: ExperimentFiles): void {
    const controller = new AbortController();
    const run = readMeta(files).kind === 'supernet' ? this.train(files, controller.signal) : this.search(files, controller.signal);
    const id = files.id;
    const done = run
      .then((outcome) => this.listener.log(`${id}: ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`))
      .catch((e) => this.listener.log(`${id}: ${errorMessage(e)}`))
      .finally(() => {
        this.active.delete(id);
        this.listener.experimentChanged(this.summaryOf(files));
      });
    this.active.set(id, { controller, done });
    this.listener.experimentChanged(this.summaryOf(files));
  }

  private search(files: ExperimentFiles, signal: AbortSignal): Promise<{ status: string; error?: string }> {
    const { listener } = this;
    const id = files.id;
    let budget = 0;
    let trialsDone = 0;
    const inFlight = new Map<number, { fraction: number; message: string }>();
    const progress = () => {
      const partial = [...inFlight.values()].reduce((s, t) => s + t.fraction, 0);
      const message = [...inFlight.entries()].map(([n, t]) => `trial ${n}: ${t.message}`).join('; ');
      listener.progress({ id, fraction: budget ? (trialsDone + partial) / budget : 0, trialsDone, budget, message });
    };
    const events: RunnerEvents = {
      started: (info) => {
        budget = info.budget;
        trialsDone = info.replayed;
        listener.log(`${id}: ${info.resumed ? `resumed, ${info.replayed} trial(s) replayed from the journal` : `started, ${info.budget} trials`}`);
        listener.experimentChanged(this.summaryOf(files));
        progress();
      },
      trialStarted: (trial, description) => {
        inFlight.set(trial, { fraction: 0, message: description });
        progress();
      },
      trialProgress: (trial, fraction, message) => {
        inFlight.set(trial, { fraction, message });
        progress();
      },
      trialFinished: (record, description) => {
        inFlight.delete(record.trial);
        trialsDone++;
        const error = (record as { error?: string }).error;
        listener.trialFinished({ id, trial: { ...record, description, ...(error ? { error } : {}) }, summary: this.summaryOf(files) });
        progress();
      },
      log: (message) => listener.log(`${id}: ${message}`),
    };
    return runExperiment(files, signal, events);
  }

  /** A supernet run: progress within epochs (fraction over all epochs' steps), a summary change per epoch. */
  private train(files: ExperimentFiles, signal: AbortSignal): Promise<{ status: string; error?: string }> {
    const { listener } = this;
    const id = files.id;
    const events: TrainingEvents = {
      started: (info) => {
        listener.log(`${id}: ${info.resumed ? `resumed after epoch ${info.epochsDone} from its last checkpoint` : `started, ${info.epochs} epochs`}`);
        listener.experimentChanged(this.summaryOf(files));
      },
      progress: (p, fraction) => listener.progress({ id, fraction, trialsDone: p.epoch - 1, budget: p.epochs, message: trainingProgressLine(p), training: p }),
      epochFinished: (r) => {
        listener.log(`${id}: epoch ${r.epoch}/${r.epochs} (${r.phase}) validation accuracy largest ${formatPercent(r.validation.largest.accuracy)}, smallest ${formatPercent(r.validation.smallest.accuracy)}`);
        listener.experimentChanged(this.summaryOf(files));
      },
      log: (message) => listener.log(`${id}: ${message}`),
    };
    return runSupernetTraining(files, signal, events);
  }
}

function trialItem(state: ExperimentState, t: FinishedTrial): TrialItem {
  return { ...toTrialRecord(t), description: state.space ? state.space.describe(t.genome) : t.key, ...(t.error ? { error: t.error } : {}) };
}
