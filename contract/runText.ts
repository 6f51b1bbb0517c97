/**
 * One-line texts about runs that the CLI, the explorer, the status bar and notifications share:
 * how far a run is and what it has found so far, for every kind.
 */
import { formatPercent } from './format';
import { formatMetric, metricPhrase } from './metricInfo';
import type { RunSummary, SearchRunSummary, SpecializationRunSummary, SupernetRunSummary } from './runs';

/** "Validation accuracy 98.12%": the best value of a single-objective search's objective. */
export function bestLine(summary: SearchRunSummary): string | undefined {
  const objective = summary.objectives[0];
  if (!summary.best || !objective) return undefined;
  return metricPhrase(objective.metric, summary.best.metrics[objective.metric], summary.metricInfo);
}

/** "front: 7 architectures": what a search with two or more objectives found. */
export function frontLine(summary: SearchRunSummary): string | undefined {
  const size = summary.pareto?.length ?? 0;
  return size > 0 ? `front: ${size} architecture${size === 1 ? '' : 's'}` : undefined;
}

/** What a search found: the Pareto front's size with several objectives, else the best value. */
export function searchResultLine(summary: SearchRunSummary): string | undefined {
  return summary.objectives.length > 1 ? frontLine(summary) : bestLine(summary);
}

/** "largest 98.73% · smallest 97.88%": validation accuracies of a supernet after its last epoch. */
export function trainingLine(summary: SupernetRunSummary): string | undefined {
  const t = summary.training;
  if (t.accuracy === undefined) return undefined;
  return `largest ${formatPercent(t.accuracy)}${t.smallestAccuracy === undefined ? '' : ` · smallest ${formatPercent(t.smallestAccuracy)}`}`;
}

/** "best 79.10% at 24.87 ms": the most accurate sub-network a specialization found. */
export function specializationLine(summary: SpecializationRunSummary): string | undefined {
  const best = [...summary.subnets].sort((a, b) => b.predictedAccuracy - a.predictedAccuracy)[0];
  return best ? `best ${formatPercent(best.predictedAccuracy)} at ${best.efficiency.toFixed(2)} ${summary.efficiency.unit}` : undefined;
}

/** What a run has found so far (or why it cannot be read). */
export function resultLine(summary: RunSummary): string | undefined {
  switch (summary.kind) {
    case 'search':
      return searchResultLine(summary);
    case 'supernet':
      return trainingLine(summary);
    case 'specialization':
      return specializationLine(summary);
    case 'unreadable':
      return summary.damage?.[0];
  }
}

/** What a run found, short enough for an explorer row: "best 97.12%", "front: 7 architectures". */
export function shortResultLine(summary: RunSummary): string | undefined {
  if (summary.kind !== 'search' || summary.objectives.length > 1) return resultLine(summary);
  const objective = summary.objectives[0];
  return summary.best && objective ? `best ${formatMetric(objective.metric, summary.best.metrics[objective.metric], summary.metricInfo)}` : undefined;
}

/** How far a run is: "12/50" trials, "epoch 3/11" of a supernet, "2/3 limits" of a specialization. */
export function extentLine(summary: RunSummary): string {
  switch (summary.kind) {
    case 'search':
      return `${summary.trials}/${summary.budget}`;
    case 'supernet':
      return `epoch ${summary.training.epoch}/${summary.training.epochs}`;
    case 'specialization':
      return `${summary.progress.done}/${summary.progress.total} limit${summary.progress.total === 1 ? '' : 's'}`;
    case 'unreadable':
      return 'unreadable';
  }
}

/** Legend text of a run in overlays: its name and, for searches, the strategy. */
export function runLabel(summary: RunSummary): string {
  return summary.kind === 'search' && summary.strategy ? `${summary.name} · ${summary.strategy}` : summary.name;
}

/** Legend texts for runs shown together; runs that would read the same also give their id. */
export function runLabels(summaries: readonly RunSummary[]): string[] {
  const labels = summaries.map(runLabel);
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) ? `${label} · ${summaries[i].id}` : label));
}
