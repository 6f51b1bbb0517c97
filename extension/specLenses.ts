/**
 * What the CodeLens line above a `*.nas.json` spec says and does: Run (or Stop while its
 * latest run is going, Resume when that one was stopped), the live status with the best
 * result so far, and the progress of every run of the spec. Above a `*.supernet.json` spec:
 * Train, Stop, Resume and the live status, which opens the training curves. Pure: codeLens.ts
 * renders it.
 */
import * as path from 'node:path';
import { extentLine, resultLine } from '../contract/runText';
import type { RunSummary } from '../contract/runs';
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

export function progressRuns(experiments: readonly RunSummary[]): string[] {
  return experiments.slice(0, PROGRESS_RUNS).map((s) => s.id);
}

function statusText(s: RunSummary): string {
  const result = resultLine(s);
  const error = s.status === 'failed' && s.error ? ` · ${s.error.length > 60 ? `${s.error.slice(0, 59)}…` : s.error}` : '';
  const best = s.kind === 'search' && s.objectives.length === 1 ? 'best ' : '';
  return `${s.status} ${extentLine(s)}${result ? ` · ${best}${result}` : ''}${error}`;
}

/** The lenses for a spec (an experiment spec, or a supernet spec) whose runs (newest first) are these. */
export function specLenses(experiments: readonly RunSummary[], kind: 'search' | 'supernet' = 'search'): SpecLens[] {
  const latest = experiments[0];
  const supernet = kind === 'supernet';
  const run: SpecLens = supernet
    ? { title: '$(play) Train Supernet', tooltip: 'Start a new training run from this spec', command: 'nasStudio.trainSupernet', target: 'spec' }
    : { title: '$(play) Run Experiment', tooltip: 'Start a new experiment from this spec', command: 'nasStudio.runExperiment', target: 'spec' };
  if (!latest) return [run];
  const active = latest.status === 'running' || latest.status === 'stopping';
  const lenses: SpecLens[] = [];
  if (active) lenses.push({ title: '$(debug-stop) Stop', tooltip: `Stop ${latest.name} (${latest.id})`, command: 'nasStudio.stopExperiment', target: 'latest' });
  else lenses.push({ ...run, title: supernet ? '$(play) Train' : '$(play) Run' });
  if (runAction(latest) === 'resume') {
    const from = supernet ? 'its last epoch checkpoint' : 'its journal';
    lenses.push({ title: '$(debug-continue) Resume', tooltip: `Continue ${latest.id} from ${from}`, command: 'nasStudio.resumeExperiment', target: 'latest' });
  }
  lenses.push({
    title: `$(${STATUS_ICON[latest.status]}) ${statusText(latest)}`,
    tooltip: `Latest run ${latest.id}: open its ${supernet ? 'training curves' : 'latency/accuracy plot'}`,
    command: 'nasStudio.openResults',
    target: 'latest',
  });
  if (supernet) return lenses;
  const runs = Math.min(experiments.length, PROGRESS_RUNS);
  lenses.push({
    title: `$(graph-line) Progress${runs > 1 ? ` (${runs} runs)` : ''}`,
    tooltip: runs > 1 ? `Best so far of the ${runs} latest runs of this spec, overlaid` : 'Best so far, evaluation by evaluation',
    command: 'nasStudio.showProgress',
    target: 'all',
  });
  return lenses;
}
