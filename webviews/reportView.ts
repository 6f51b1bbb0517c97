/**
 * The host of an offline report: runs first in the page, reads the embedded report data, and
 * stands in for VS Code — `acquireVsCodeApi` for each view bundle that follows, answering
 * `ready` with that view's `init`, streaming the trials in pages once every view is ready,
 * showing a clicked trial's graph, and turning exports into downloads.
 */
import { archGraphs } from '../server/graphs/archToGraph';
import type { SearchRunSummary, TrialRecord } from '../contract/runs';
import { readJsonScriptElement } from '../contract/html';
import { checkWebviewMessage, type HostToWebview, type ViewKind } from '../contract/webviewMessages';
import { toPages } from './paging';
import { reportDataCheck, reportDataElementId, type ReportData } from '../contract/reportData';
import { validate } from '../contract/validate';

const parsed = validate(reportDataCheck, readJsonScriptElement(reportDataElementId));
const views = Array.from(document.querySelectorAll<HTMLElement>('[data-nas-view]'), (e) => e.dataset.nasView);
const ready = new Set<string>();
let dataSent = false;

document.body.classList.add(matchMedia('(prefers-color-scheme: light)').matches ? 'vscode-light' : 'vscode-dark');

function send(message: HostToWebview): void {
  window.postMessage(message, '*');
}

/** The best trial of a search's report. */
function bestOf(data: ReportData): SearchRunSummary['best'] {
  return data.summary.kind === 'search' ? data.summary.best : undefined;
}

function graphMessage(data: ReportData, trial: TrialRecord | undefined, title: string): HostToWebview {
  const best = bestOf(data);
  const arch = trial?.arch ?? best?.arch;
  if (!arch) return { type: 'error', message: 'no architecture to show yet' };
  try {
    return { type: 'showGraph', title, ...archGraphs(arch), experiment: data.summary.id, trial: trial?.trial ?? best?.trial };
  } catch (error) {
    return { type: 'error', message: `cannot draw ${title}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function onReady(data: ReportData, view: ViewKind): void {
  const { summary } = data;
  // A report holds the views of its run's kind: a plot and a graph for a search, progress for a search or a supernet training.
  if (view === 'plot' && summary.kind === 'search') send({ type: 'init', view, experiment: summary, x: data.axes.x, y: data.axes.y, constraints: data.constraints });
  if (view === 'progress' && (summary.kind === 'search' || summary.kind === 'supernet')) send({ type: 'init', view, runs: [{ experiment: summary, label: data.label }] });
  if (view === 'proxyless' && summary.kind === 'proxyless') send({ type: 'init', view, run: summary });
  if (view === 'graph') {
    const trial = bestOf(data)?.trial;
    const best = graphMessage(data, undefined, trial === undefined ? 'Best architecture' : `Best architecture · trial ${trial}`);
    send(best.type === 'showGraph' ? { ...best, type: 'init', view: 'graph' } : best);
  }
  ready.add(view);
  if (!dataSent && views.every((v) => v && ready.has(v))) {
    dataSent = true;
    for (const page of toPages(data.trials)) send({ type: 'trials', experiment: summary.id, ...page });
    if (data.training.length > 0) for (const page of toPages(data.training)) send({ type: 'training', experiment: summary.id, ...page });
  }
}

function download(fileName: string, format: 'svg' | 'png', data: string): void {
  const bytes = format === 'svg' ? new TextEncoder().encode(data) : Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: format === 'svg' ? 'image/svg+xml' : 'image/png' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function receive(data: ReportData, message: unknown): void {
  const result = checkWebviewMessage(message);
  if (!result.ok) {
    console.error(`report: a view sent a malformed message: ${result.error}`);
    return;
  }
  const m = result.value;
  switch (m.type) {
    case 'ready':
      onReady(data, m.view);
      return;
    case 'openTrial': {
      const trial = data.trials.find((t) => t.trial === m.trial);
      send(graphMessage(data, trial, `Trial ${m.trial}`));
      document.querySelector('[data-nas-view="graph"]')?.scrollIntoView({ behavior: 'smooth' });
      return;
    }
    case 'exportImage':
      download(m.fileName, m.format, m.data);
      return;
    case 'error':
      console.error(`report: ${m.message}`);
      return;
  }
}

const states = new Map<number, unknown>();
let acquired = 0;
(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => {
  const slot = acquired++;
  return {
    postMessage: (message: unknown) => {
      if (parsed.ok) receive(parsed.value, message);
    },
    getState: () => states.get(slot),
    setState: (state: unknown) => states.set(slot, state),
  };
};

if (!parsed.ok) {
  const banner = document.createElement('div');
  banner.className = 'nas-error';
  banner.setAttribute('role', 'alert');
  banner.textContent = `This report's data is damaged: ${parsed.error}`;
  document.body.prepend(banner);
}
