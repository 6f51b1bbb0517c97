import { TRAINED_METRICS } from '../../contract/trainedMetrics';
import { formatCount, formatPercent } from '../../contract/format';
import { Requests } from '../../contract/protocol';
import { coefficientsText, scalingLine } from '../../contract/runText';
import type { ScalingLine, ScalingRunSummary } from '../../contract/runs';
import { detail, type EngineRequest, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';
import { TRIAL_PAGE, trialRow } from './searchPresenter';

const RULE_TITLES: Record<ScalingLine['rule'], string> = { compound: 'Compound', depth: 'Depth only', width: 'Width only', resolution: 'Resolution only' };

/** "φ=1 91.20% · φ=2 92.31%": a rule's members after the base. */
export function lineText(line: ScalingLine): string {
  const members = line.points.filter((p) => p.phi > 0);
  return members.length === 0 ? 'not trained yet' : members.map((p) => `φ=${p.phi} ${formatPercent(p.valAccuracy)} at ${formatCount(p.flops)} FLOPs`).join(' · ');
}

async function networkRows(summary: ScalingRunSummary, request: EngineRequest): Promise<ItemNode[]> {
  const page = await request(Requests.getTrials, { id: summary.id, offset: 0, limit: TRIAL_PAGE });
  return page.items.map((t) => trialRow({ id: summary.id, objectives: [{ metric: 'val_accuracy', goal: 'maximize' }], metricInfo: TRAINED_METRICS }, t));
}

/** A compound scaling study: the grid's choice, each rule's members, and every network trained. */
export const scalingPresenter: RunPresenter<ScalingRunSummary> = {
  title: 'compound scaling',
  children(s) {
    const base = s.lines[0]?.points.find((p) => p.phi === 0);
    const rows: ItemNode[] = [
      detail(s.id, 'Base', `${s.base.description}${base ? ` · ${formatPercent(base.valAccuracy)}` : ''}`, 'circle-outline', { tooltip: `From ${s.base.from}; ${formatCount(s.base.flops)} FLOPs` }),
      detail(s.id, 'Grid search', s.coefficients ? `chose ${coefficientsText(s.coefficients)} of ${s.grid.length} points` : `${s.grid.length} points`, 'symbol-numeric'),
      ...s.lines.map((l) => detail(s.id, RULE_TITLES[l.rule], lineText(l), l.rule === 'compound' ? 'star-full' : 'graph-line', { key: `rule/${l.rule}` })),
    ];
    rows.push(detail(s.id, `Networks (${s.trials})`, undefined, 'list-ordered', { key: `networks/${s.trials}`, expand: (request) => networkRows(s, request) }));
    return rows;
  },
  tooltip: (s) => [`Base: ${s.base.description} (${s.base.from})`, ...(scalingLine(s) ? [`Compound scaling: ${scalingLine(s)}`] : [])],
  outcome: (s) => (scalingLine(s) ? `Compound scaling: ${scalingLine(s)}.` : undefined),
};
