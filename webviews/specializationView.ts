/** A specialization sweep: predicted accuracy against the limit (a step curve: its flat parts are limits that found nothing better), the Pareto set as dots, one row per limit. */
import { formatValue, metricTitle } from '../contract/metricInfo';
import type { SpecializationRunSummary } from '../contract/runs';
import { SPECIALIZATION_METRICS } from '../contract/specializationMetrics';
import { sameAsText, sweepRows } from '../contract/specializationSweep';
import { LineChart } from './chart/lineChart';
import { viewRoot } from './controls';
import { html } from './dom';
import { trim } from '../contract/format';
import { showRunSummary } from './runSummaryView';

const root = viewRoot('specialization');
root.classList.add('nas-view', 'nas-specialization-view');

const accuracy = SPECIALIZATION_METRICS.predicted_accuracy;
const heading = html('h2', { class: 'nas-heading' }, ['Specialization']);
const status = html('div', { class: 'nas-status nas-sweep-status' });
const chart = new LineChart('nas-sweep-chart');
const rowsTable = html('table', { class: 'nas-sweep-table', 'aria-label': 'The sub-network of each limit' });
root.append(heading, status, chart.element, rowsTable);

const host = showRunSummary('specialization', root, render);

/** "Latency limit (ms)" or "FLOPs limit (MFLOPs)". */
function limitTitle(s: SpecializationRunSummary): string {
  return `${s.efficiency.unit === 'ms' ? 'Latency' : 'FLOPs'} limit (${s.efficiency.unit})`;
}

function render(s: SpecializationRunSummary): void {
  const unit = s.efficiency.unit;
  const rows = sweepRows([...s.subnets].sort((a, b) => a.limit - b.limit));
  const pareto = rows.filter((r) => r.pareto);
  heading.textContent = `Specialization · ${s.name}`;
  status.textContent =
    `${s.status} · ${s.progress.done}/${s.progress.total} limits · ${s.efficiency.label}` +
    (rows.length > 1 ? ` · ★ Pareto set: ${pareto.length} of ${rows.length} limits; flat steps are limits that found nothing better` : '');
  const points = rows.map((r) => [r.subnet.limit, r.subnet.predictedAccuracy] as const);
  chart.setData({
    series: [
      { label: 'best predicted accuracy within the limit', colour: 1, points, step: true, dots: { radius: 4 }, line: true },
      { label: 'Pareto set', colour: 3, points: pareto.map((r) => [r.subnet.limit, r.subnet.predictedAccuracy] as const), dots: { radius: 4 } },
    ],
    titles: { x: limitTitle(s), y: metricTitle('predicted_accuracy', SPECIALIZATION_METRICS) },
    formatY: (value, step) => (value * 100).toFixed(Math.max(0, Math.min(6, -Math.floor(Math.log10(step * 100))))),
    formatValueX: (value) => `≤ ${trim(value)} ${unit}`,
    formatValueY: (value) => formatValue(value, accuracy),
  });

  const head = html('tr', {}, [
    html('th', {}, ['']),
    html('th', {}, [limitTitle(s)]),
    html('th', {}, [metricTitle('predicted_accuracy', SPECIALIZATION_METRICS)]),
    html('th', {}, [`${unit === 'ms' ? 'Latency' : 'FLOPs'} (${unit})`]),
    html('th', {}, ['MFLOPs']),
    html('th', {}, ['Params (M)']),
    html('th', { class: 'nas-text' }, ['Note']),
    html('th', { class: 'nas-text' }, ['Architecture']),
  ]);
  const body = rows.map((r) => {
    const n = r.subnet;
    const tr = html('tr', { class: r.pareto ? 'nas-sweep-row nas-pareto-row' : 'nas-sweep-row', 'data-limit': String(n.limit), title: 'Click to open its graph' }, [
      html('td', {}, [r.pareto && rows.length > 1 ? '★' : '']),
      html('td', {}, [`≤ ${trim(n.limit)}`]),
      html('td', {}, [(n.predictedAccuracy * 100).toFixed(2)]),
      html('td', {}, [n.efficiency.toFixed(2)]),
      html('td', {}, [n.mflops.toFixed(0)]),
      html('td', {}, [n.mparams.toFixed(2)]),
      html('td', { class: 'nas-text' }, [sameAsText(r, unit) ?? '']),
      html('td', { class: 'nas-text' }, [html('code', {}, [n.description])]),
    ]);
    tr.addEventListener('click', () => host.post({ type: 'openTrial', experiment: s.id, trial: s.request.limits.indexOf(n.limit) + 1 }));
    return tr;
  });
  rowsTable.replaceChildren(html('thead', {}, [head]), html('tbody', {}, body));
}
