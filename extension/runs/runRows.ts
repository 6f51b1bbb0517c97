/**
 * What the explorer shows for any run: its row (name, status, how far, what it found), its
 * tooltip, the words its menus match, and the rows below it — common lines first (status,
 * error, damage), then its kind's. Pure; runsTree.ts renders it.
 */
import { extentLine, shortResultLine } from '../../contract/runText';
import type { RunStatus, RunSummary } from '../../contract/runs';
import { detail, type ItemNode } from './explorerNodes';
import { presenterOf } from './presenters';
import { STATUS_ICON } from './statusIcons';

/** Statuses a run continues from where its journal ends (resumeRun). */
const RESUMABLE: ReadonlySet<RunStatus> = new Set(['pending', 'stopped', 'interrupted', 'failed']);

/** What "Run" does on a run: continue it, start its spec again, or nothing. */
export function runAction(summary: RunSummary): 'resume' | 'start-again' | undefined {
  if (RESUMABLE.has(summary.status)) return 'resume';
  if (summary.status === 'finished' && summary.source !== '') return 'start-again';
  return undefined;
}

export interface RunRow {
  readonly label: string;
  readonly description: string;
  readonly icon: string;
  /** Markdown lines. */
  readonly tooltip: readonly string[];
  /** `run <kind> <status> [runnable] [flags…]`, matched by package.json menus. */
  readonly contextValue: string;
}

function progressText(s: RunSummary): string {
  return `${s.progress.done}/${s.progress.total} ${s.progress.unit}`;
}

function damageText(s: RunSummary): string {
  return s.kind === 'unreadable' ? 'NAS Studio cannot read this folder.' : `\`nas-studio repair ${s.id} --yes\` rewrites a clean journal.`;
}

export function runRow(s: RunSummary): RunRow {
  const presenter = presenterOf(s);
  const result = shortResultLine(s);
  const flags = [...(runAction(s) ? ['runnable'] : []), ...(presenter?.menuFlags?.(s) ?? [])];
  return {
    label: s.name,
    description: `${s.status} · ${extentLine(s)}${result ? ` · ${result}` : ''}`,
    icon: presenter?.icon?.(s) ?? STATUS_ICON[s.status],
    contextValue: ['run', s.kind, s.status, ...flags].join(' '),
    tooltip: [
      `**${s.name}** (${s.id})${presenter ? `, ${presenter.title}` : ''}`,
      `Status: ${s.status}, ${s.kind === 'unreadable' ? 'unreadable' : progressText(s)}`,
      ...(presenter?.tooltip(s) ?? []),
      s.error ? `Error: ${s.error}` : '',
      s.damage?.length ? `Damaged: ${s.damage.join('; ')}. ${damageText(s)}` : '',
      `Folder: \`${s.dir}\``,
    ].filter(Boolean),
  };
}

/** The rows below a run: its status (which opens its results), error, damage, then its kind's rows. */
export function runChildren(s: RunSummary): ItemNode[] {
  const opens = s.views.length > 0 ? { command: { command: 'nasStudio.openResults', title: 'Open Results', arguments: [s.id] } } : {};
  const rows = [detail(s.id, 'Status', s.kind === 'unreadable' ? s.status : `${s.status}, ${progressText(s)}`, STATUS_ICON[s.status], opens)];
  if (s.error) rows.push(detail(s.id, 'Error', s.error, 'error'));
  if (s.damage?.length) {
    const more = s.damage.length > 1 ? ` (+${s.damage.length - 1} more)` : '';
    rows.push(detail(s.id, 'Damaged', `${s.damage[0]}${more}`, 'error', { tooltip: `${s.damage.join('  \n')}\n\n${damageText(s)}` }));
  }
  return [...rows, ...(presenterOf(s)?.children(s) ?? [])];
}

/** The notification when a run ends: "NAS Studio: mnist finished after 20/20 trials. Best: …". */
export function endMessage(s: RunSummary): string {
  const outcome = presenterOf(s)?.outcome(s);
  return `NAS Studio: ${s.name} ${s.status} after ${progressText(s)}.${outcome ? ` ${outcome}` : ''}${s.error ? ` ${s.error}` : ''}`;
}
