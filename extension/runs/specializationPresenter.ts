import { sameAsText, sweepRows, type SweepRow } from '../../contract/specializationSweep';
import type { SpecializationRunSummary, SpecializedSubnetInfo } from '../../contract/runs';
import type { ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** "≤ 20 ms: 78.12 %": a sub-network's limit and predicted accuracy. */
export function subnetLabel(summary: SpecializationRunSummary, subnet: SpecializedSubnetInfo): string {
  return `≤ ${subnet.limit} ${summary.efficiency.unit}: ${(subnet.predictedAccuracy * 100).toFixed(2)} %`;
}

/** "r224 d23344": resolution and depth per stage, the part of the encoding a row has room for (the tooltip has all of it). */
export function shortEncoding(description: string): string {
  return description.split(' ').slice(0, 2).join(' ');
}

/** The request's n-th limit is the run's trial n (server/specialize/specializationRun.ts lists sub-networks as trials). */
export function subnetTrial(s: SpecializationRunSummary, subnet: SpecializedSubnetInfo): number {
  return s.request.limits.indexOf(subnet.limit) + 1;
}

/**
 * One row per finished limit: predicted accuracy, cost, size and the short encoding; a star on
 * the sweep's Pareto set only, "same as ≤ 55 ms" where a larger limit found nothing better;
 * a click opens the sub-network's graph.
 */
export function subnetRow(s: SpecializationRunSummary, row: SweepRow<SpecializedSubnetInfo>): ItemNode {
  const { subnet } = row;
  const unit = s.efficiency.unit;
  const repeat = sameAsText(row, unit);
  const sweep = s.subnets.length > 1;
  return {
    kind: 'item',
    runId: s.id,
    key: `limit/${subnet.limit}`,
    label: `${subnetLabel(s, subnet)}${repeat ? ` (${repeat})` : ''}`,
    description: `${subnet.efficiency.toFixed(2)} ${unit} · ${subnet.mflops.toFixed(0)} MFLOPs · ${shortEncoding(subnet.description)}`,
    icon: row.pareto && sweep ? 'star-full' : 'circle-outline',
    tooltip:
      `\`${subnet.description}\`  \npredicted accuracy ${(subnet.predictedAccuracy * 100).toFixed(2)} %, ${s.efficiency.metric} ${subnet.efficiency.toFixed(3)} ${unit}, ` +
      `${subnet.mflops.toFixed(1)} MFLOPs, ${subnet.mparams.toFixed(2)} M params` +
      (sweep ? (row.pareto ? '  \n★ on the sweep\'s Pareto set' : `  \nnot on the sweep's Pareto set${repeat ? `: ${repeat}` : ''}`) : '') +
      '  \nClick to open its graph.',
    contextValue: 'subnet',
    limit: subnet.limit,
    trial: subnetTrial(s, subnet),
    command: { command: 'nasStudio.openTrialGraph', title: 'Open Sub-network Graph', arguments: [{ experiment: s.id, trial: subnetTrial(s, subnet) }] },
  };
}

/** A specialization: the best OFA sub-network for each latency or FLOPs limit. */
export const specializationPresenter: RunPresenter<SpecializationRunSummary> = {
  title: 'specialization',
  children: (s) => sweepRows(s.subnets).map((row) => subnetRow(s, row)),
  tooltip: (s) => [`Predictor: \`${s.request.predictor}\``, `Efficiency: ${s.efficiency.label}`, `Limits: ${s.request.limits.join(', ')} ${s.efficiency.unit}`],
  outcome: (s) => (s.subnets.length > 0 ? `${s.subnets.map((n) => subnetLabel(s, n)).join(', ')}.` : undefined),
  resultsElsewhere: () => 'Its sub-networks are listed under it in the Experiments view (click one for its graph); "Show Specialization Curve" draws accuracy against the limit; "Export Sub-network" writes one as JSON for OFA\'s set_active_subnet.',
};
