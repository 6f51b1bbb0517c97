import { formatDuration } from '../../contract/format';
import { formatMetric, metricPhrase } from '../../contract/metricInfo';
import { Requests } from '../../contract/protocol';
import { bestLine, frontLine, searchResultLine, warmStartLine } from '../../contract/runText';
import type { SearchRunSummary, TrialItem } from '../../contract/runs';
import { detail, type EngineRequest, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** Trials listed under a search before a "more" row. */
export const TRIAL_PAGE = 200;

function openTrial(runId: string, trial: number): ItemNode['command'] {
  return { command: 'nasStudio.openTrialGraph', title: 'Open Trial Graph', arguments: [{ experiment: runId, trial }] };
}

/** A trial's objective values, in their units: "77.60% · 24.98 ms". */
function objectiveValues(s: TrialRowRun, t: Pick<TrialItem, 'metrics'>): string {
  return s.objectives.map((o) => formatMetric(o.metric, t.metrics[o.metric], s.metricInfo)).join(' · ');
}

/** What a trial's row shows of its run: the metrics in the label, and their titles and units. */
export type TrialRowRun = Pick<SearchRunSummary, 'id' | 'objectives' | 'metricInfo'>;

/** One trial's row: its number and objective values, then its architecture and duration (or why it failed). */
export function trialRow(s: TrialRowRun, t: TrialItem): ItemNode {
  const values = t.error ? 'failed' : objectiveValues(s, t);
  const note = t.cached ? 'repeat' : formatDuration(t.durationMs);
  return {
    kind: 'item',
    runId: s.id,
    key: `trial/${t.trial}`,
    label: `#${t.trial}  ${values}`,
    description: t.error ? t.error : `${t.description} · ${note}`,
    icon: t.error ? 'error' : t.feasible ? 'symbol-class' : 'circle-slash',
    tooltip: [
      `**Trial ${t.trial}** · ${t.description}${t.feasible || t.error ? '' : ' (violates a constraint)'}`,
      ...Object.entries(t.metrics).map(([k, v]) => metricPhrase(k, v, s.metricInfo)),
      `Duration: ${note}`,
    ].join('  \n'),
    contextValue: 'trial',
    trial: t.trial,
    command: openTrial(s.id, t.trial),
  };
}

/** The first page of a search's trials in trial order, and a row that opens the table for the rest. */
async function trialRows(summary: SearchRunSummary, request: EngineRequest): Promise<ItemNode[]> {
  const page = await request(Requests.getTrials, { id: summary.id, offset: 0, limit: TRIAL_PAGE });
  const rows = [...page.items].sort((a, b) => a.trial - b.trial).map((t) => trialRow(summary, t));
  const remaining = page.total - page.items.length;
  if (remaining > 0) rows.push(detail(summary.id, `… ${remaining} more trials (open the table)`, undefined, 'ellipsis', { key: 'more', command: openTable(summary.id) }));
  return rows;
}

/** The Pareto front's members, best first objective first, with every objective's value. */
async function frontRows(summary: SearchRunSummary, request: EngineRequest): Promise<ItemNode[]> {
  const members = await Promise.all((summary.pareto ?? []).map((trial) => request(Requests.getTrial, { id: summary.id, trial })));
  return members.map((t) => ({ ...trialRow(summary, t), key: `front/${t.trial}`, icon: 'star-full' }));
}

function openTable(runId: string): ItemNode['command'] {
  return { command: 'nasStudio.openTrialsTable', title: 'Open Trials Table', arguments: [runId] };
}

/** An architecture search: its best trial or its Pareto front, the trials table, and its trials a page at a time. */
export const searchPresenter: RunPresenter<SearchRunSummary> = {
  title: 'architecture search',
  children(s) {
    const rows: ItemNode[] = [];
    if (s.objectives.length > 1) {
      const front = frontLine(s);
      // The key changes with the front, so an expanded front is fetched again when it changes.
      if (front) rows.push(detail(s.id, 'Pareto front', `${s.pareto?.length} architectures`, 'star-full', { key: `front/${(s.pareto ?? []).join(',')}`, expand: (request) => frontRows(s, request) }));
    } else if (s.best) {
      rows.push(detail(s.id, `Best: ${s.best.description}`, bestLine(s), 'star-full', { key: 'best', contextValue: 'best', trial: s.best.trial, command: openTrial(s.id, s.best.trial) }));
    }
    const warm = warmStartLine(s);
    if (warm) rows.push(detail(s.id, warm.replace(/^warm start/, 'Warm start'), undefined, 'history', { key: `warm/${s.warmStart!.observations}` }));
    rows.push(detail(s.id, 'Trials table', 'sort, filter, export CSV', 'table', { key: 'table', command: openTable(s.id) }));
    // The key changes with the count, so an expanded list is fetched again as trials finish.
    rows.push(detail(s.id, `Trials (${s.trials})`, undefined, 'list-ordered', { key: `trials/${s.trials}`, expand: (request) => trialRows(s, request) }));
    return rows;
  },
  tooltip(s) {
    const warm = s.warmStart ? [warmStartLine(s)!] : [];
    if (s.objectives.length > 1) return [`Pareto front over ${s.objectives.map((o) => o.metric).join(', ')}: ${s.pareto?.length ?? 0} architectures`, ...warm];
    return [...(s.best ? [`Best: ${s.best.description}${bestLine(s) ? ` (${bestLine(s)})` : ''}`] : []), ...warm];
  },
  outcome(s) {
    if (s.objectives.length > 1) return searchResultLine(s) ? `Pareto ${searchResultLine(s)}.` : undefined;
    return s.best ? `Best: ${s.best.description} (${bestLine(s)}).` : undefined;
  },
};
