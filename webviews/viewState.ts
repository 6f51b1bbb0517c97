/**
 * What each view keeps with setState, and checks for reading it back (after a reload the
 * host's WebviewPanelSerializer gets the same object, so both sides use these).
 */
import { arrayOf, bool, int, num, object, oneOf, optional, str, validate, type Check } from '../contract/validate';

export interface GraphViewState {
  readonly title: string;
  readonly supernet: boolean;
  /** Where the graph came from, so the host can rebuild it after a reload. */
  readonly experiment?: string;
  readonly trial?: number;
}

export interface PlotViewState {
  readonly experiment: string;
  readonly x: string;
  readonly y: string;
  readonly feasibleOnly: boolean;
  readonly window?: readonly number[];
  readonly selected?: number;
}

export interface ProgressViewState {
  readonly experiments: readonly string[];
  readonly axis: 'evaluations' | 'time';
}

export interface ProxylessViewState {
  readonly experiment: string;
}

export interface LatencyViewState {
  /** The latency table folder whose validation.json the view shows. */
  readonly folder: string;
}

export const latencyViewStateCheck: Check<LatencyViewState> = object({ folder: str });

export const proxylessViewStateCheck: Check<ProxylessViewState> = object({ experiment: str });

/** A quantization view shows one run, as a ProxylessNAS view does. */
export type QuantizationViewState = ProxylessViewState;
export const quantizationViewStateCheck: Check<QuantizationViewState> = proxylessViewStateCheck;

export interface TableViewState {
  readonly experiment: string;
  /** Column id the rows are sorted by. */
  readonly sort: string;
  readonly descending: boolean;
  /** Column ids the user hid. */
  readonly hidden: readonly string[];
}

export interface AnalysisViewState {
  readonly experiment: string;
  /** The metric lines are coloured by and importance is computed for. */
  readonly metric?: string;
}

export const tableViewStateCheck: Check<TableViewState> = object({ experiment: str, sort: str, descending: bool, hidden: arrayOf(str) });

export const analysisViewStateCheck: Check<AnalysisViewState> = object({ experiment: str, metric: optional(str) });

export const graphViewStateCheck: Check<GraphViewState> = object({ title: str, supernet: bool, experiment: optional(str), trial: optional(int) });

export const plotViewStateCheck: Check<PlotViewState> = (v, path) => {
  const state = object({ experiment: str, x: str, y: str, feasibleOnly: bool, window: optional(arrayOf(num)), selected: optional(int) })(v, path);
  return state.window && state.window.length !== 4 ? { ...state, window: undefined } : state;
};

export const progressViewStateCheck: Check<ProgressViewState> = object({ experiments: arrayOf(str), axis: oneOf('evaluations', 'time') });

export function readState<T>(check: Check<T>): (saved: unknown) => T | undefined {
  return (saved) => {
    const result = validate(check, saved);
    return result.ok ? result.value : undefined;
  };
}
