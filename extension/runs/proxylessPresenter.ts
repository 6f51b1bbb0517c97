import { formatMs, formatPercent } from '../../contract/format';
import { latencyFidelityLine, latencyTableLine, proxylessLine } from '../../contract/runText';
import type { ProxylessRunSummary } from '../../contract/runs';
import { detail, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** A ProxylessNAS search: where the search is, its expected latency, then the derived network (which opens in the graph view). */
export const proxylessPresenter: RunPresenter<ProxylessRunSummary> = {
  title: 'ProxylessNAS search',
  children(s) {
    const rows: ItemNode[] = [];
    const last = s.curve.at(-1);
    if (last) {
      rows.push(detail(s.id, 'Search', `${last.phase} (epoch ${s.epoch}/${s.epochs}) · ${s.binarization}`, 'layers'));
      rows.push(detail(s.id, 'Expected latency', `${formatMs(last.expectedLatencyMs)} · target ${formatMs(s.targetMs)} (${s.latencyLoss})`, 'dashboard'));
      rows.push(detail(s.id, 'Most likely network', `validation ${formatPercent(last.validationAccuracy)}`, 'check'));
    }
    const d = s.derived;
    if (d) {
      rows.push(
        detail(s.id, 'Derived architecture', d.description, 'type-hierarchy', {
          tooltip: `${d.description}  \nOpen its graph (${d.archFile})`,
          command: { command: 'nasStudio.openArchGraph', title: 'Open Architecture Graph', arguments: [d.archFile] },
        }),
        detail(s.id, 'Latency', latencyFidelityLine(d), 'watch'),
        ...(s.latencyTable ? [detail(s.id, 'Latency table', latencyTableLine(s.latencyTable), 'table')] : []),
        detail(s.id, 'Accuracy', `validation ${formatPercent(d.valAccuracy)}${d.testAccuracy !== undefined ? ` · test ${formatPercent(d.testAccuracy)}` : ''} (${d.epochs} epoch(s) from scratch)`, 'pass'),
      );
    }
    return rows;
  },
  tooltip: (s) => [`Binarization ${s.binarization}, ${s.latencyLoss} to ${formatMs(s.targetMs)}`, ...(proxylessLine(s) ? [proxylessLine(s)!] : [])],
  outcome: (s) => (s.derived ? `Derived ${s.derived.description}: ${latencyFidelityLine(s.derived)}.` : undefined),
};
