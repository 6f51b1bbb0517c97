import { formatMetric } from '../../contract/format';
import { Requests } from '../../contract/protocol';
import { bestLine, warmStartLine } from '../../contract/runText';
import type { SearchRunSummary, TrialItem } from '../../contract/runs';
import { detail, type EngineRequest, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** Trials listed under a search before a "more" row. */
export const TRIAL_PAGE = 200;

function openTrial(runId: string, trial: number): ItemNode['command'] {
  return { command: 'nasStudio.openTrialGraph', title: 'Open Trial Graph', arguments: [{ experiment: runId, trial }] };
}

/** One trial's row: its architecture, and its first-objective value (or why it failed). */
export function trialRow(runId: string, t: TrialItem, objective: string | undefined): ItemNode {
  const value = objective ? t.metrics[objective] : undefined;
  return {
    kind: 'item',
    runId,
    key: `trial/${t.trial}`,
    label: `#${t.trial} ${t.description}`,
    description: t.error ? `failed: ${t.error}` : objective ? `${objective} ${formatMetric(objective, value)}${t.cached ? ' (repeat)' : ''}` : '',
    icon: t.error ? 'error' : t.feasible ? 'symbol-class' : 'circle-slash',
    tooltip: Object.entries(t.metrics)
      .map(([k, v]) => `${k}: ${formatMetric(k, v)}`)
      .join('  \n'),
    contextValue: 'trial',
    trial: t.trial,
    command: openTrial(runId, t.trial),
  };
}

/** The first page of a search's trials, and a row that opens the plot for the rest. */
async function trialRows(summary: SearchRunSummary, request: EngineRequest): Promise<ItemNode[]> {
  const page = await request(Requests.getTrials, { id: summary.id, offset: 0, limit: TRIAL_PAGE });
  const objective = summary.objectives[0]?.metric;
  const rows = page.items.map((t) => trialRow(summary.id, t, objective));
  const remaining = page.total - page.items.length;
  if (remaining > 0) {
    rows.push(
      detail(summary.id, `… ${remaining} more trials (open the plot)`, undefined, 'ellipsis', {
        key: 'more',
        command: { command: 'nasStudio.openResults', title: 'Open Results', arguments: [summary.id] },
      }),
    );
  }
  return rows;
}

/** An architecture search: its best trial and its trials, a page at a time. */
export const searchPresenter: RunPresenter<SearchRunSummary> = {
  title: 'architecture search',
  children(s) {
    const rows: ItemNode[] = [];
    if (s.best) {
      rows.push(detail(s.id, `Best: ${s.best.description}`, bestLine(s), 'star-full', { key: 'best', contextValue: 'best', trial: s.best.trial, command: openTrial(s.id, s.best.trial) }));
    }
    const warm = warmStartLine(s);
    if (warm) rows.push(detail(s.id, warm.replace(/^warm start/, 'Warm start'), undefined, 'history', { key: `warm/${s.warmStart!.observations}` }));
    // The key changes with the count, so an expanded list is fetched again as trials finish.
    rows.push(detail(s.id, `Trials (${s.trials})`, undefined, 'list-ordered', { key: `trials/${s.trials}`, expand: (request) => trialRows(s, request) }));
    return rows;
  },
  tooltip: (s) => [...(s.best ? [`Best: ${s.best.description}${bestLine(s) ? ` (${bestLine(s)})` : ''}`] : []), ...(s.warmStart ? [warmStartLine(s)!] : [])],
  outcome: (s) => (s.best ? `Best: ${s.best.description} (${bestLine(s)}).` : undefined),
};
