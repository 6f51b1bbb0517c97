import type { BackendChoice } from '../../contract/backends';
import type { DerivedNetwork, EnsembleIteration, EpisodeInfo, ProgressParams, ProgressUnit, ProxylessEpoch, ResultsView, RunKindId, RunSummary, SpecializedSubnetInfo, TrainingEpoch, TrialItem } from '../../contract/runs';
import type { SpecDiagnostic, ValidationContext } from '../experiment/specText';
import type { RecordSource } from '../store/journal';
import type { RunFolder, RunHeader } from '../store/runFolder';
import type { EarlierRuns } from './earlierRuns';
import type { JournalRecord } from './journalRecord';
import type { FinishReason, Lifecycle } from './lifecycle';

export { RecordError, type JournalRecord } from './journalRecord';
export type { FinishReason } from './lifecycle';

/** A run's spec, header and folded state as read from its folder (see runReader.ts). */
export interface RunView<Spec, State> {
  readonly folder: RunFolder;
  readonly header: RunHeader;
  readonly spec: Spec;
  readonly state: State;
  readonly lifecycle: Lifecycle;
  /** Records that cannot belong to this run, by line; non-empty makes the run 'damaged'. */
  readonly damage: readonly string[];
  /** Whether a live process holds the run's lock. */
  readonly locked: boolean;
}

/** A unit of a run's work that was just journaled: a trial, an epoch, a limit, a derived network, an iteration, an episode. */
export type FinishedUnit =
  | { readonly unit: 'trials'; readonly trial: TrialItem }
  | { readonly unit: 'epochs'; readonly epoch: TrainingEpoch }
  | { readonly unit: 'limits'; readonly subnet: SpecializedSubnetInfo }
  | { readonly unit: 'search-epochs'; readonly epoch: ProxylessEpoch }
  | { readonly unit: 'derived'; readonly derived: DerivedNetwork }
  | { readonly unit: 'iterations'; readonly iteration: EnsembleIteration }
  | { readonly unit: 'episodes'; readonly episode: EpisodeInfo };

/** What a running run tells the engine or the CLI. */
export interface RunEvents {
  /** Once the run has begun (or resumed) and journaled it. */
  started(info: { readonly resumed: boolean; readonly done: number; readonly total: number; readonly unit: ProgressUnit }): void;
  /** Live progress within the run, at most a few times a second. */
  progress(update: Omit<ProgressParams, 'id'>): void;
  /** After each unit of work is journaled. */
  finished(unit: FinishedUnit): void;
  log(message: string): void;
}

/** A run being executed by this process, which holds its lock. */
export interface ActiveRun<Spec, State> {
  readonly folder: RunFolder;
  readonly header: RunHeader;
  readonly spec: Spec;
  /** The state when execution began (what resuming continues from). */
  readonly state: State;
  /** Appends a record to the journal (fsync'd) after checking the lock is still ours. */
  append<R extends { readonly type: string }>(record: R): void;
  /** The run's current view, with everything appended so far folded in. */
  view(): RunView<Spec, State>;
  readonly signal: AbortSignal;
  readonly events: RunEvents;
  /** The TensorFlow.js backend the user asked for (setting or --backend); 'auto' lets the run's spec decide. */
  readonly backend: BackendChoice;
  /** The other runs of its store (a warm start reads its sources). */
  readonly runs: EarlierRuns;
}

/**
 * One kind of long job. A kind is all a new method needs to plug into the engine, the CLI and
 * the editor: how its spec is validated (once, at creation) and read back (never touching the
 * user's files again), the records it journals and how they fold into its state, its summary,
 * how it runs and resumes, and which views show its results. Every run shares the folder layout
 * (store/runFolder.ts), the lifecycle records (lifecycle.ts), locking and the journal.
 */
export interface RunKind<Spec, State, Summary extends RunSummary = RunSummary> {
  readonly id: RunKindId;
  /** "architecture search", for messages. */
  readonly title: string;
  /** Spec files of this kind (file name suffix); absent for kinds created from requests only. */
  readonly specSuffix?: string;
  readonly views: readonly ResultsView[];
  /** What its progress counts. */
  readonly unit: ProgressUnit;
  /**
   * Validates spec text completely, including the files it names; the spec it returns is
   * resolved (defaults filled in) and is all the run will ever read again.
   */
  validate(text: string, context: ValidationContext): { readonly spec?: Spec; readonly diagnostics: readonly SpecDiagnostic[] };
  /** Checks, before any folder exists, that the run can start (datasets readable, files of the right format). */
  preflight?(spec: Spec, baseDir: string): Promise<void>;
  /** The run's display name. */
  nameOf(spec: Spec): string;
  /** A resolved spec read back from spec.json: structure only, no other file. Throws with the reason. */
  readSpec(value: unknown): Spec;
  /** Folders written before run kinds existed hold the user's spec text: resolve it without touching other files. */
  readLegacySpec?(text: string): Spec;
  /** Older versions' result files of this kind (specializations): the header, spec and records they amount to. */
  readLegacyFile?(value: unknown): { readonly header: RunHeader; readonly spec: Spec; readonly records: readonly JournalRecord[] };
  /** The state of a run with no records yet. */
  initialState(spec: Spec): State;
  /** The state as JSON, for the state cache a run's writer leaves next to its journal. */
  saveState(state: State): unknown;
  /** A state saved by `saveState` (throws when it does not fit the spec; the journal is folded instead). */
  loadState(value: unknown, spec: Spec): State;
  /**
   * Folds one record of this kind into the state: pure (no IO; it changes only `state`).
   * Throws RecordError when the record cannot belong to this run; a repeat of a record already
   * folded (the same trial twice) is ignored.
   */
  apply(state: State, record: JournalRecord, spec: Spec, source: RecordSource | undefined): void;
  /** How far the run is: units done and in all. */
  progress(spec: Spec, state: State): { readonly done: number; readonly total: number };
  summarize(view: RunView<Spec, State>, base: RunSummaryBase): Summary;
  /** The networks a kind other than a search trained, listed as trials (getTrials, the plot), in trial order. */
  trialItems?(view: RunView<Spec, State>): readonly TrialItem[];
  /** Runs to the end, continuing from `run.state`; returns why it ended. Cancellation rejects with CancelledError. */
  execute(run: ActiveRun<Spec, State>): Promise<FinishReason>;
}

/** The part of a summary every kind shares (runReader.ts fills it in). */
export type RunSummaryBase = Omit<RunSummary, 'kind'>;

/**
 * The registry's view of a kind: its spec and state types erased. Sound because a kind's spec
 * and state values only ever come from its own `readSpec`/`validate` and `initialState`.
 */
export type AnyRunKind = RunKind<unknown, unknown>;

export function eraseKind<Spec, State, Summary extends RunSummary>(kind: RunKind<Spec, State, Summary>): AnyRunKind {
  return kind as unknown as AnyRunKind;
}
