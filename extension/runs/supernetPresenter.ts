import { formatPercent } from '../../contract/format';
import { trainingLine } from '../../contract/runText';
import type { SupernetRunSummary } from '../../contract/runs';
import { detail, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** An Once-for-All supernet training: its sub-networks' accuracies and its speed. */
export const supernetPresenter: RunPresenter<SupernetRunSummary> = {
  title: 'supernet training',
  children(s) {
    const t = s.training;
    const test = (which: 'largest' | 'smallest') => (t.test ? ` · test ${formatPercent(t.test[which].accuracy)}` : '');
    const rows: ItemNode[] = [];
    if (t.epoch > 0) rows.push(detail(s.id, 'Phase', `${t.phase} (epoch ${t.epoch}/${t.epochs})`, 'layers'));
    if (t.accuracy !== undefined) rows.push(detail(s.id, 'Largest sub-network', `validation ${formatPercent(t.accuracy)}${test('largest')}`, 'arrow-up'));
    if (t.smallestAccuracy !== undefined) rows.push(detail(s.id, 'Smallest sub-network', `validation ${formatPercent(t.smallestAccuracy)}${test('smallest')}`, 'arrow-down'));
    if (t.imagesPerSecond !== undefined) rows.push(detail(s.id, 'Speed', `${Math.round(t.imagesPerSecond)} images/s${t.backend ? ` on ${t.backend}` : ''}`, 'dashboard'));
    return rows;
  },
  tooltip: (s) => (trainingLine(s) ? [`Validation accuracy: ${trainingLine(s)}`] : []),
  outcome: (s) => (trainingLine(s) ? `Validation accuracy: ${trainingLine(s)}.` : undefined),
  icon: (s) => (s.status === 'finished' ? 'layers' : undefined),
  // A checkpoint to export sub-networks from, and nobody writing it.
  menuFlags: (s) => (s.training.epoch > 0 && s.status !== 'running' && s.status !== 'stopping' && s.status !== 'damaged' ? ['exportable'] : []),
};
