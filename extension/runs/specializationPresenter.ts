import type { SpecializationRunSummary, SpecializedSubnetInfo } from '../../contract/runs';
import type { ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** "≤ 20 ms: 78.12 %": a sub-network's limit and predicted accuracy. */
export function subnetLabel(summary: SpecializationRunSummary, subnet: SpecializedSubnetInfo): string {
  return `≤ ${subnet.limit} ${summary.efficiency.unit}: ${(subnet.predictedAccuracy * 100).toFixed(2)} %`;
}

/** One row per finished limit: predicted accuracy, cost, size; Pareto-optimal ones starred. */
export function subnetRow(s: SpecializationRunSummary, subnet: SpecializedSubnetInfo): ItemNode {
  const unit = s.efficiency.unit;
  return {
    kind: 'item',
    runId: s.id,
    key: `limit/${subnet.limit}`,
    label: subnetLabel(s, subnet),
    description: `${subnet.efficiency.toFixed(2)} ${unit} · ${subnet.mflops.toFixed(0)} MFLOPs · ${subnet.description}`,
    icon: subnet.pareto ? 'star-full' : 'circle-outline',
    tooltip:
      `${subnet.description}  \npredicted accuracy ${(subnet.predictedAccuracy * 100).toFixed(2)} %, ${s.efficiency.metric} ${subnet.efficiency.toFixed(3)} ${unit}, ` +
      `${subnet.mparams.toFixed(2)} M params${subnet.pareto ? ', Pareto-optimal' : ''}`,
    contextValue: 'subnet',
    limit: subnet.limit,
  };
}

/** A specialization: the best OFA sub-network for each latency or FLOPs limit. */
export const specializationPresenter: RunPresenter<SpecializationRunSummary> = {
  title: 'specialization',
  children: (s) => s.subnets.map((subnet) => subnetRow(s, subnet)),
  tooltip: (s) => [`Predictor: \`${s.request.predictor}\``, `Efficiency: ${s.efficiency.label}`, `Limits: ${s.request.limits.join(', ')} ${s.efficiency.unit}`],
  outcome: (s) => (s.subnets.length > 0 ? `${s.subnets.map((n) => subnetLabel(s, n)).join(', ')}.` : undefined),
  resultsElsewhere: () => 'Its sub-networks are listed under it in the Experiments view; "Export Sub-network" writes one as JSON for OFA\'s set_active_subnet.',
};
