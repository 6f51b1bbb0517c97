import type { ExperimentSummary } from '../contract/runs';
import { formatMetric, formatPercent } from '../contract/format';

/** "val_accuracy 0.9812": the best value of the first objective, when there is one. */
export function bestLine(summary: ExperimentSummary): string | undefined {
  const objective = summary.objectives[0];
  if (!summary.best || !objective) return undefined;
  return `${objective.metric} ${formatMetric(objective.metric, summary.best.metrics[objective.metric])}`;
}

/** "largest 98.73% · smallest 97.88%": validation accuracies of a supernet run after its last epoch. */
export function trainingLine(summary: ExperimentSummary): string | undefined {
  const t = summary.training;
  if (!t || t.accuracy === undefined) return undefined;
  return `largest ${formatPercent(t.accuracy)}${t.smallestAccuracy === undefined ? '' : ` · smallest ${formatPercent(t.smallestAccuracy)}`}`;
}

/** What a run has found so far: the best objective value of a search, the accuracies of a supernet. */
export function resultLine(summary: ExperimentSummary): string | undefined {
  return summary.kind === 'supernet' ? trainingLine(summary) : bestLine(summary);
}

/** How far a run is: "12/50" trials, or "epoch 3/11" of a supernet training. */
export function extentLine(summary: ExperimentSummary): string {
  const t = summary.training;
  return summary.kind === 'supernet' && t ? `epoch ${t.epoch}/${t.epochs}` : `${summary.trials}/${summary.budget}`;
}

/** Legend text of an experiment in overlays: its name and strategy. */
export function runLabel(summary: Pick<ExperimentSummary, 'name' | 'strategy'>): string {
  return summary.strategy ? `${summary.name} · ${summary.strategy}` : summary.name;
}

/** Legend texts for experiments shown together; runs that would read the same also give their id. */
export function runLabels(summaries: readonly Pick<ExperimentSummary, 'id' | 'name' | 'strategy'>[]): string[] {
  const labels = summaries.map(runLabel);
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) ? `${label} · ${summaries[i].id}` : label));
}
