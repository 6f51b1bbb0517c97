import type { ExperimentSummary } from '../server/protocol';
import { formatMetric } from '../server/report/format';

/** "val_accuracy 0.9812": the best value of the first objective, when there is one. */
export function bestLine(summary: ExperimentSummary): string | undefined {
  const objective = summary.objectives[0];
  if (!summary.best || !objective) return undefined;
  return `${objective.metric} ${formatMetric(objective.metric, summary.best.metrics[objective.metric])}`;
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
