/** Plumbing of a view that shows one run's summary (ProxylessNAS, specialization): its `init` carries the run, later `summary` messages of that run replace it, and it is redrawn once per frame. */
import type { ProxylessRunSummary, SpecializationRunSummary } from '../contract/runs';
import type { HostToWebview } from '../contract/webviewMessages';
import { showError } from './controls';
import { connectToHost, type HostConnection } from './hostConnection';
import { proxylessViewStateCheck, readState, type ProxylessViewState } from './viewState';

type Shown = { proxyless: ProxylessRunSummary; specialization: SpecializationRunSummary };

/** Connects the view; `render` gets the run whenever it changed (its state is the run id, saved for a reload). */
export function showRunSummary<K extends keyof Shown>(view: K, root: HTMLElement, render: (run: Shown[K]) => void): HostConnection<ProxylessViewState> {
  let run: Shown[K] | undefined;
  let frame = 0;
  const schedule = () => {
    if (frame === 0)
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (run) render(run);
      });
  };
  const handle = (message: HostToWebview): void => {
    if (message.type === 'init' && message.view === view) {
      run = (message as unknown as { run: Shown[K] }).run;
      host.saveState({ experiment: run.id });
      showError(root, undefined);
      schedule();
    } else if (message.type === 'summary' && message.summary.kind === view && message.summary.id === run?.id) {
      run = message.summary as Shown[K];
      schedule();
    } else if (message.type === 'error') {
      showError(root, message.message);
    }
  };
  const host = connectToHost<ProxylessViewState>(view, handle, readState(proxylessViewStateCheck));
  return host;
}
