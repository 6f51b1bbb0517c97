import type { ArchJson, NodeMetrics } from '../../contract/architecture';
import type { BackendChoice } from '../../contract/backends';
import type { ExportModelParams, ModelExport } from '../../contract/modelExport';
import type { ArchitectureMatch, StartRunParams, SubnetChoice, SubnetExport, TrialFinishedParams, TrialPage, WarmStartCandidate } from '../../contract/protocol';
import type { ProgressParams, QuantizationEpisodes, RunKindId, RunSummary, SearchRunSummary, TrainingEpoch, TrialItem } from '../../contract/runs';
import type { QuantizationState } from '../quantize/quantizationState';
import type { DecisionInfo } from '../../contract/webviewMessages';
import { NasError, errorMessage } from '../core/errors';
import { bestLine } from '../../contract/runText';
import { ArchDetails } from '../experiment/archDetails';
import { spaces } from '../experiment/registry';
import { optionsOf, type Component } from '../experiment/spec';
import { sourceProblem } from '../experiment/warmStartSource';
import type { EarlierRuns } from '../runs/earlierRuns';
import { matchArchitecture, MAX_TRIAL_PAGE, trialByNumber, trialPage, type SearchView } from '../experiment/searchQueries';
import { runKind } from '../runs/registry';
import { SHUTDOWN } from '../runs/runExecution';
import type { RunEvents, RunView } from '../runs/runKind';
import { readSpecText, RunService } from '../runs/runService';
import { specializationResult, type SpecializationState } from '../specialize/specializationRun';
import type { SpecializationSpec } from '../specialize/specializationSpec';
import { writeSpecializedSubnets } from '../specialize/specializedSubnetFile';
import type { RunLocation } from '../store/runStore';
import { exportSubnetInWorker } from '../supernet/exportSubnetInWorker';
import type { ModelExportJob } from '../deploy/modelExportJob';
import { WorkerPool } from '../runtime/workerPool';
import { trainingEpoch, type SupernetState } from '../supernet/supernetState';
import type { SupernetSpec } from '../supernet/supernetSpec';

export interface ManagerListener {
  runChanged(summary: RunSummary): void;
  trialFinished(params: TrialFinishedParams): void;
  progress(params: ProgressParams): void;
  log(message: string): void;
}

interface ActiveRun {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * The engine's runs, of every kind: creates, resumes and stops them in this process (several at
 * once) and turns their events into the notifications the editor shows. Reads go through one
 * RunService, whose reader keeps each run's folded state between requests.
 */
export class RunManager {
  private readonly service: RunService;
  private readonly active = new Map<string, ActiveRun>();
  private readonly details = new ArchDetails();

  constructor(
    root: string,
    private readonly listener: ManagerListener,
    private readonly backend: BackendChoice,
  ) {
    this.service = new RunService(root);
  }

  get root(): string {
    return this.service.root;
  }

  list(): RunSummary[] {
    return this.service.list().map((s) => this.withActivity(s));
  }

  get(id: string): RunSummary {
    return this.summaryOf(this.service.find(id));
  }

  /** Validates the spec, creates the run (nothing is created when that fails) and starts it. */
  async start(params: StartRunParams): Promise<string> {
    const { location } =
      'specPath' in params
        ? await this.service.create({ specPath: params.specPath, text: params.text ?? readSpecText(params.specPath) })
        : await this.service.create({ kind: runKind('specialization')!, text: JSON.stringify(params.spec), baseDir: this.service.root, label: 'the specialization request' });
    this.launch(location);
    return location.id;
  }

  resume(id: string): void {
    const location = this.service.find(id);
    if (this.active.has(location.id)) throw new NasError('busy', `run ${id} is already running`);
    const summary = this.service.summary(location);
    if (summary.status === 'finished') throw new NasError('invalid-request', `run ${id} has already finished`);
    if (summary.status === 'running') throw new NasError('busy', `run ${id} is running in another process`);
    this.launch(location);
  }

  /** Runs whose process died mid-run, resumed. */
  resumeInterrupted(): string[] {
    const interrupted = this.service
      .store.list()
      .filter((location) => !this.active.has(location.id) && this.service.summary(location).status === 'interrupted');
    for (const location of interrupted) this.launch(location);
    return interrupted.map((l) => l.id);
  }

  async stop(id: string): Promise<RunSummary> {
    const location = this.service.find(id);
    const run = this.active.get(location.id);
    if (run) {
      run.controller.abort();
      await run.done;
    }
    return this.summaryOf(location);
  }

  /** Engine shutdown: runs end without being marked stopped, so the next engine resumes them. */
  async shutdown(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(SHUTDOWN);
    await Promise.all(runs.map((r) => r.done));
  }

  // Searches, and kinds that list the networks they trained as trials.

  trials(id: string, offset: number, limit: number): TrialPage {
    const listed = this.listedTrials(id);
    if (!listed) return trialPage(this.view(id, 'search') as SearchView, offset, limit);
    const start = Math.max(0, Math.floor(offset));
    return { total: listed.length, offset: start, items: listed.slice(start, start + Math.max(0, Math.min(Math.floor(limit), MAX_TRIAL_PAGE))) };
  }

  trial(id: string, trial: number): TrialItem {
    const listed = this.listedTrials(id);
    if (!listed) return trialByNumber(this.view(id, 'search') as SearchView, trial);
    const item = listed.find((t) => t.trial === trial);
    if (!item) throw new NasError('not-found', `run ${id} has no finished trial ${trial}`);
    return item;
  }

  /** The trials of a run whose kind lists them (not a search: its trials are paged from the journal). */
  private listedTrials(id: string): readonly TrialItem[] | undefined {
    const run = this.service.read(this.service.find(id));
    if (!run.readable || !run.kind.trialItems) return undefined;
    return run.kind.trialItems(run.view);
  }

  /** Search runs (all, or those named) that evaluated this architecture. */
  findArchitecture(arch: ArchJson, ids?: readonly string[]): ArchitectureMatch[] {
    const locations = ids ? ids.flatMap((id) => this.service.store.find(id) ?? []) : this.service.store.list();
    return locations.flatMap((location) => {
      const run = this.service.read(location);
      if (!run.readable || run.kind.id !== 'search') return [];
      return matchArchitecture(run.view as SearchView, arch) ?? [];
    });
  }

  decisions(id: string): DecisionInfo[] {
    return (this.view(id, 'search') as SearchView).state.space.decisions.map((d) => ({ name: d.name, choices: d.choices.map(String) }));
  }

  /** Per-node figures a run measured for an architecture: searches and specializations with latency tables; none for other kinds (their graphs show shapes only). */
  archDetails(id: string, arch: ArchJson): Promise<Record<string, NodeMetrics>> {
    const run = this.service.read(this.service.find(id));
    if (!run.readable) throw new NasError('damaged', `run ${id} cannot be read: ${run.summary.damage?.[0]}`);
    if (run.kind.id === 'specialization') {
      const { efficiency } = run.view.spec as SpecializationSpec;
      return efficiency.kind === 'lut' ? this.details.layerLatencies(efficiency.dir, arch) : Promise.resolve({});
    }
    return run.kind.id === 'search' ? this.details.of(run.view as SearchView, arch) : Promise.resolve({});
  }

  /** The runs of this engine's store, as other runs read them (warm starts in spec diagnostics). */
  get runs(): EarlierRuns {
    return this.service.earlier;
  }

  /** Finished searches a new search of this space could be warm-started from, newest first. */
  warmStartCandidates(space: Component, objectiveCount: number): WarmStartCandidate[] {
    const built = buildSpace(space);
    return this.service.earlier
      .all()
      .filter((run) => !sourceProblem(run, built, objectiveCount))
      .map((run) => {
        const summary = run.summary as SearchRunSummary;
        const best = bestLine(summary);
        return { id: summary.id, name: summary.name, trials: summary.trials, objective: summary.objectives[0].metric, ...(best ? { best } : {}), createdAt: summary.createdAt };
      });
  }

  // Supernet training runs.

  trainingEpochs(id: string): TrainingEpoch[] {
    return (this.view(id, 'supernet') as RunView<SupernetSpec, SupernetState>).state.epochs.map(trainingEpoch);
  }

  exportSupernetSubnet(id: string, choice: SubnetChoice, outDir: string, signal: AbortSignal): Promise<SubnetExport> {
    const view = this.view(id, 'supernet');
    return exportSubnetInWorker(view.folder, choice, outDir, signal, (message) => this.listener.log(`${id}: ${message}`));
  }

  /** Exports a trial's model or a supernet's sub-network in a worker thread of its own (aborting terminates it). */
  async exportModel(params: ExportModelParams, signal: AbortSignal): Promise<ModelExport> {
    const location = this.service.find(params.id);
    const pool = new WorkerPool<ModelExportJob, ModelExport>('modelExportWorker', 1, (message) => this.listener.log(`${params.id}: ${message}`));
    try {
      return await pool.run({ root: this.service.root, backend: this.backend, params: { ...params, id: location.id } }, { signal });
    } finally {
      await pool.close();
    }
  }

  // Quantization runs.

  quantizationEpisodes(id: string): QuantizationEpisodes {
    const { episodes, prepared } = (this.view(id, 'quantization') as RunView<unknown, QuantizationState>).state;
    return {
      episodes: episodes.map(({ episode, policy, accuracy, cost, sizeBits, bitOps, reward, explored }) => ({ episode, policy, accuracy, cost, sizeBits, bitOps, reward, explored })),
      ...(prepared ? { graph: prepared.graph } : {}),
    };
  }

  // Specialization runs.

  async exportSpecializedSubnet(id: string, limit: number, path: string): Promise<void> {
    const view = this.view(id, 'specialization') as RunView<SpecializationSpec, SpecializationState>;
    await writeSpecializedSubnets(specializationResult(view.spec, view.state), path, limit);
  }

  /** A readable run of the given kind. */
  private view<Spec = unknown, State = unknown>(id: string, kind: RunKindId): RunView<Spec, State> {
    const run = this.service.read(this.service.find(id));
    if (!run.readable) throw new NasError('damaged', `run ${id} cannot be read: ${run.summary.damage?.[0]}`);
    if (run.kind.id !== kind) throw new NasError('invalid-request', `${id} is ${withArticle(run.kind.title)} run, not ${withArticle(runKind(kind)!.title)} run`);
    return run.view as RunView<Spec, State>;
  }

  private summaryOf(location: RunLocation): RunSummary {
    return this.withActivity(this.service.summary(location));
  }

  /** A run this engine executes is running (or stopping) whatever its journal says so far. */
  private withActivity(summary: RunSummary): RunSummary {
    const run = this.active.get(summary.id);
    if (!run || summary.status === 'running') return summary;
    return { ...summary, status: run.controller.signal.aborted ? 'stopping' : 'running' };
  }

  private launch(location: RunLocation): void {
    const { id } = location;
    const { listener } = this;
    const controller = new AbortController();
    const events: RunEvents = {
      started: (info) => {
        listener.log(`${id}: ${info.resumed ? `resumed after ${info.done} of ${info.total} ${info.unit}, from its journal` : `started, ${info.total} ${info.unit}`}`);
        listener.runChanged(this.summaryOf(location));
      },
      progress: (update) => listener.progress({ id, ...update }),
      finished: (unit) => {
        const summary = this.summaryOf(location);
        if (unit.unit === 'trials') listener.trialFinished({ id, trial: unit.trial, summary });
        else listener.runChanged(summary);
      },
      log: (message) => listener.log(`${id}: ${message}`),
    };
    const done = this.service
      .execute(location, { signal: controller.signal, events, backend: this.backend })
      .then((outcome) => listener.log(`${id}: ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`))
      .catch((e) => listener.log(`${id}: ${errorMessage(e)}`))
      .finally(() => {
        this.active.delete(id);
        listener.runChanged(this.summaryOf(location));
      });
    this.active.set(id, { controller, done });
    listener.runChanged(this.summaryOf(location));
  }
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** A space from `{ type, ...options }`; a request naming an unknown or impossible one is refused. */
function buildSpace(space: Component) {
  const definition = spaces.find((d) => d.type === space.type);
  if (!definition) throw new NasError('invalid-request', `unknown search space type "${space.type}"`);
  try {
    return definition.create(optionsOf(space));
  } catch (e) {
    throw new NasError('invalid-request', `the "${space.type}" space cannot be built from these options: ${errorMessage(e)}`);
  }
}
