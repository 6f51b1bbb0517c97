import { formatCount, formatPercent, percentCell, table } from '../contract/format';
import type { EnsembleIteration, EnsembleRunSummary, RunSummary } from '../contract/runs';
import { ensembleLine } from '../contract/runText';
import type { RunEvents, RunView } from '../server/runs/runKind';
import type { EnsembleSpec } from '../server/ensemble/ensembleSpec';
import { candidateItem, type EnsembleState } from '../server/ensemble/ensembleState';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asEnsemble = (view: RunView<unknown, unknown>) => view as RunView<EnsembleSpec, EnsembleState>;
const asSummary = (summary: RunSummary) => summary as EnsembleRunSummary;

export function iterationLine(it: EnsembleIteration): string {
  const candidates = it.candidates.map((c) => `#${c.trial} ${c.description} F ${c.heldOutObjective.toFixed(4)}`).join(', ');
  const decision = it.chosen === undefined ? 'the previous ensemble wins: growth stops' : `adds #${it.chosen}`;
  return `iteration ${it.iteration + 1}: ${decision}; held-out F ${it.heldOutObjective.toFixed(4)}, val ${formatPercent(it.valAccuracy)}${it.testAccuracy !== undefined ? `, test ${formatPercent(it.testAccuracy)}` : ''} (candidates: ${candidates})`;
}

/** A line per trained candidate and per iteration; a live status line. */
function ensemblePrinter(id: string, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter {
  const line = new StatusLine(stream, out);
  const events: RunEvents = {
    started: ({ resumed, done, total }) => {
      line.watch(done);
      line.print(resumed ? `resuming ${id} after ${done} of ${total} iterations (trained candidates are kept)` : `AdaNet ensemble ${id}: up to ${total} iterations`);
    },
    progress: (p) => line.showProgress(p),
    finished: (unit) => {
      if (unit.unit === 'trials') line.print(`  candidate ${unit.trial.trial} ${unit.trial.description}: val ${formatPercent(unit.trial.metrics.val_accuracy)}, ${formatCount(unit.trial.metrics.params)} params (${(unit.trial.durationMs / 1000).toFixed(1)}s)`);
      if (unit.unit === 'iterations') line.print(iterationLine(unit.iteration));
    },
    log: (message) => line.print(`  ${message}`),
  };
  return { events, close: () => line.clear() };
}

/** The ensemble's members with their weights, and the objective per iteration. */
export function ensembleTable(summary: EnsembleRunSummary): string[] {
  const members = summary.members.map((m, j) => [String(j + 1), String(m.trial), m.description, m.weights.map((w) => w.toFixed(3)).join(' '), formatCount(m.params), percentCell(m.valAccuracy)]);
  const iterations = summary.iterations.map((it) => [
    String(it.iteration + 1),
    it.chosen === undefined ? 'previous wins' : `#${it.chosen}`,
    it.objective.toFixed(4),
    it.heldOutObjective.toFixed(4),
    percentCell(it.valAccuracy),
    percentCell(it.testAccuracy),
    formatCount(it.params),
  ]);
  return [
    `${summary.members.length} member${summary.members.length === 1 ? '' : 's'}${summary.converged ? ' (growth stopped: the previous ensemble won)' : ''}${summary.graphFile ? `; graph: ${summary.graphFile}` : ''}`,
    table(['member', 'trial', 'subnetwork', 'mixture weight', 'params', 'val alone (%)'], members),
    table(['iteration', 'added', 'F (train)', 'F (held-out)', 'val (%)', 'test (%)', 'params'], iterations),
  ];
}

/** How `nas-studio` shows AdaNet ensemble runs. */
export const ensembleConsole: RunConsole = {
  printer: (view, out, stream) => ensemblePrinter(view.folder.id, out, stream),
  result: (_view, summary) => ['', ...ensembleTable(asSummary(summary))],
  show: (_view, summary) => {
    const s = asSummary(summary);
    return [`${s.name} (${s.id}): AdaNet ensemble ${s.status}, ${s.iterations.length}/${s.maxIterations} iterations${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`, ...ensembleTable(s)];
  },
  json: (_view, summary) => {
    const s = asSummary(summary);
    return { run: s.id, status: s.status, converged: s.converged, members: s.members, iterations: s.iterations };
  },
  showJson: (view, summary) => ({ ...summary, candidates: [...asEnsemble(view).state.candidates.values()].sort((a, b) => a.trial - b.trial).map(candidateItem) }),
  listResult: (summary) => ensembleLine(asSummary(summary)) ?? '-',
};
