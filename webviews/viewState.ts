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

export const proxylessViewStateCheck: Check<ProxylessViewState> = object({ experiment: str });

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
