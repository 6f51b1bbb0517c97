/**
 * THE contract between the extension host, the engine process and the webviews: every
 * custom request and notification, with its params and result, declared once here.
 * The engine is a language server over IPC (vscode-languageserver); it also validates
 * `*.nas.json` spec documents and publishes their diagnostics the standard LSP way.
 */
import type { ArchJson } from './core/searchSpace';
import type { Metrics } from './core/evaluator';

export type { ArchJson } from './core/searchSpace';
export type { Metrics } from './core/evaluator';

/** 'interrupted': the process running it died; the engine resumes it. */
export type ExperimentStatus = 'pending' | 'running' | 'stopping' | 'stopped' | 'interrupted' | 'finished' | 'failed';

export interface ObjectiveInfo {
  readonly metric: string;
  readonly goal: 'maximize' | 'minimize';
}

/** One evaluated architecture, as journaled and as shown in the editor. */
export interface TrialRecord {
  readonly trial: number;
  readonly key: string;
  readonly genome: readonly number[];
  readonly arch: ArchJson;
  readonly metrics: Metrics;
  /** Whether the constraints of the experiment hold for these metrics. */
  readonly feasible: boolean;
  /** True when the metrics came from an earlier trial of the same architecture. */
  readonly cached: boolean;
  readonly durationMs: number;
}

export interface BestResult {
  readonly trial: number;
  readonly arch: ArchJson;
  readonly description: string;
  readonly metrics: Metrics;
}

export interface ExperimentSummary {
  readonly id: string;
  readonly name: string;
  readonly dir: string;
  /** The spec file it was started from (the snapshot lives in `dir`). */
  readonly specPath: string;
  readonly status: ExperimentStatus;
  readonly trials: number;
  readonly budget: number;
  readonly objectives: readonly ObjectiveInfo[];
  readonly best?: BestResult;
  /** Pareto-optimal trials when there are two or more objectives. */
  readonly pareto?: readonly number[];
  readonly error?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}
