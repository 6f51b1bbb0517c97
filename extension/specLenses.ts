/**
 * What the CodeLens line above a `*.nas.json` spec says and does: Run (or Stop while its
 * latest run is going, Resume when that one was stopped), the live status with the best
 * result so far, its trials table, and the progress of every run of the spec. Above a `*.supernet.json`,
 * `*.proxyless.json`, `*.scaling.json`, `*.ensemble.json` or `*.quantize.json` spec: Train / Run / Scale / Grow / Quantize, Stop,
 * Resume and the live status, which opens the run's results (a ProxylessNAS search's status names
 * the derived network and its measured latency). Pure: codeLens.ts renders it.
 */
import * as path from 'node:path';
import { extentLine, resultLine } from '../contract/runText';
import type { RunSummary } from '../contract/runs';
import type { SpecKind } from './commands/resolveTargets';
import { runAction } from './runs/runRows';
import { STATUS_ICON } from './runs/statusIcons';

export interface SpecLens {
  readonly title: string;
  readonly tooltip: string;
  readonly command: string;
  /** What the command gets: the spec file, the latest run's id, or the ids of the spec's runs. */
  readonly target: 'spec' | 'latest' | 'all';
}

/** Runs shown together in the spec's progress overlay, newest first. */
const PROGRESS_RUNS = 6;

function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  const normal = (p: string) => (platform === 'win32' ? path.win32.resolve(p).toLowerCase() : path.posix.resolve(p));
  return normal(a) === normal(b);
}

/** Runs started from this spec file, newest first. */
export function runsOfSpec(summaries: readonly RunSummary[], specPath: string, platform: NodeJS.Platform = process.platform): RunSummary[] {
  return summaries.filter((s) => s.source !== '' && samePath(s.source, specPath, platform)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * The run a command opens without asking: the latest run of the spec in the active editor, else
 * the only run there is (of those `runs`); undefined when the user has to pick.
 */
export function runToOpen(runs: readonly RunSummary[], activeSpec: string | undefined, platform: NodeJS.Platform = process.platform): string | undefined {
  const latest = activeSpec === undefined ? undefined : runsOfSpec(runs, activeSpec, platform)[0];
  return latest?.id ?? (runs.length === 1 ? runs[0].id : undefined);
}

export function progressRuns(experiments: readonly RunSummary[]): string[] {
  return experiments.slice(0, PROGRESS_RUNS).map((s) => s.id);
}

function statusText(s: RunSummary): string {
  const result = resultLine(s);
  const error = s.status === 'failed' && s.error ? ` · ${s.error.length > 60 ? `${s.error.slice(0, 59)}…` : s.error}` : '';
  const best = s.kind === 'search' && s.objectives.length === 1 ? 'best ' : '';
  return `${s.status} ${extentLine(s)}${result ? ` · ${best}${result}` : ''}${error}`;
}

/** Per kind of spec file: its Run lens (long and short title), where resuming starts, what its results view is. */
const SPEC_ACTIONS: Record<SpecKind, { readonly title: string; readonly short: string; readonly tooltip: string; readonly command: string; readonly resumeFrom: string; readonly results: string }> = {
  search: { title: '$(play) Run Experiment', short: '$(play) Run', tooltip: 'Start a new experiment from this spec', command: 'nasStudio.runExperiment', resumeFrom: 'its journal', results: 'latency/accuracy plot' },
  supernet: { title: '$(play) Train Supernet', short: '$(play) Train', tooltip: 'Start a new training run from this spec', command: 'nasStudio.trainSupernet', resumeFrom: 'its last epoch checkpoint', results: 'training curves' },
  proxyless: { title: '$(play) Run ProxylessNAS Search', short: '$(play) Run', tooltip: 'Start a new ProxylessNAS search from this spec', command: 'nasStudio.runProxyless', resumeFrom: 'its last epoch checkpoint', results: 'architecture parameters and derived network' },
  scaling: { title: '$(play) Scale Network', short: '$(play) Scale', tooltip: 'Start a new compound scaling study from this spec', command: 'nasStudio.scaleNetwork', resumeFrom: 'its journal (trained networks are kept)', results: 'accuracy/FLOPs plot' },
  ensemble: { title: '$(play) Grow Ensemble', short: '$(play) Grow', tooltip: 'Start a new AdaNet ensemble from this spec', command: 'nasStudio.growEnsemble', resumeFrom: 'its journal (trained candidates are kept)', results: 'objective per iteration' },
  quantization: { title: '$(play) Quantize', short: '$(play) Quantize', tooltip: 'Start a new HAQ quantization from this spec', command: 'nasStudio.runQuantization', resumeFrom: "its agent's last checkpoint (no episode repeated)", results: 'quantization view' },
};

/** What running a spec of this kind is called ("Train Supernet") and the command that does it. */
export function specRunAction(kind: SpecKind): { readonly title: string; readonly command: string } {
  const { title, command } = SPEC_ACTIONS[kind];
  return { title: title.replace(/^\$\([^)]*\)\s*/, ''), command };
}

/** The lenses for a spec (an experiment, supernet, ProxylessNAS, scaling, ensemble or quantization spec) whose runs (newest first) are these. */
export function specLenses(experiments: readonly RunSummary[], kind: SpecKind = 'search'): SpecLens[] {
  const latest = experiments[0];
  const action = SPEC_ACTIONS[kind];
  const run: SpecLens = { title: action.title, tooltip: action.tooltip, command: action.command, target: 'spec' };
  if (!latest) return [run];
  const active = latest.status === 'running' || latest.status === 'stopping';
  const lenses: SpecLens[] = [];
  if (active) lenses.push({ title: '$(debug-stop) Stop', tooltip: `Stop ${latest.name} (${latest.id})`, command: 'nasStudio.stopExperiment', target: 'latest' });
  else lenses.push({ ...run, title: action.short });
  if (runAction(latest) === 'resume') {
    lenses.push({ title: '$(debug-continue) Resume', tooltip: `Continue ${latest.id} from ${action.resumeFrom}`, command: 'nasStudio.resumeExperiment', target: 'latest' });
  }
  lenses.push({
    title: `$(${STATUS_ICON[latest.status]}) ${statusText(latest)}`,
    tooltip: `Latest run ${latest.id}: open its ${action.results}`,
    command: 'nasStudio.openResults',
    target: 'latest',
  });
  if (kind !== 'search') return lenses;
  if (latest.kind === 'search') lenses.push({ title: '$(table) Trials table', tooltip: `The trials of ${latest.id}: sort, filter, export`, command: 'nasStudio.openTrialsTable', target: 'latest' });
  const runs = Math.min(experiments.length, PROGRESS_RUNS);
  lenses.push({
    title: `$(graph-line) Progress${runs > 1 ? ` (${runs} runs)` : ''}`,
    tooltip: runs > 1 ? `Best so far of the ${runs} latest runs of this spec, overlaid` : 'Best so far, evaluation by evaluation',
    command: 'nasStudio.showProgress',
    target: 'all',
  });
  return lenses;
}
