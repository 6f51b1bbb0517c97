/** A ProxylessNAS search: α per block and candidate as a heatmap, expected latency and validation accuracy curves, the derived network. */
import { formatMs, formatPercent } from '../contract/format';
import type { ProxylessRunSummary } from '../contract/runs';
import { latencyFidelityLine, latencyTableLine } from '../contract/runText';
import { LineChart, type Band, type Series } from './chart/lineChart';
import { viewRoot } from './controls';
import { html } from './dom';
import { heatmapTable } from './proxyless/heatmap';
import { showRunSummary } from './runSummaryView';

const root = viewRoot('proxyless');
root.classList.add('nas-view', 'nas-proxyless-view');

const heading = html('h2', { class: 'nas-heading' }, ['Architecture parameters']);
const status = html('div', { class: 'nas-status nas-proxyless-status' });
const heatmap = html('div', { class: 'nas-heatmap-wrap' });
const curvesHeading = html('h2', { class: 'nas-heading' }, ['Expected latency and validation accuracy']);
const legend = html('div', { class: 'nas-legend nas-proxyless-legend' });
const latencyChart = new LineChart('nas-latency-chart');
const accuracyChart = new LineChart('nas-validation-chart');
const derived = html('section', { class: 'nas-derived', hidden: '' });
root.append(heading, status, heatmap, curvesHeading, legend, latencyChart.element, accuracyChart.element, derived);

showRunSummary('proxyless', root, render);

/** One band per stretch of epochs in the same phase (warm-up, search); epoch e spans (e - 1, e]. */
function phaseBands(points: ProxylessRunSummary['curve']): Band[] {
  const bands: Band[] = [];
  for (const p of points) {
    const current = bands.at(-1);
    if (current && current.label === p.phase) bands[bands.length - 1] = { ...current, to: p.epoch };
    else bands.push({ label: p.phase, from: p.epoch - 1, to: p.epoch });
  }
  return bands;
}

function render(r: ProxylessRunSummary): void {
  const last = r.curve.at(-1);
  heading.textContent = `Architecture parameters · ${r.name}`;
  status.textContent =
    `${r.status} · epoch ${r.epoch}/${r.epochs}${last ? ` (${last.phase})` : ''} · binarization ${r.binarization} · ${r.latencyLoss} to ${formatMs(r.targetMs)}` +
    (r.probabilities ? ' · cells: softmax(α) after the last epoch, the most likely candidate outlined' : ' · no epoch finished yet');
  heatmap.replaceChildren(heatmapTable(r));

  const bands = phaseBands(r.curve);
  const expected: Series = { label: 'expected latency E[lat]', colour: 1, points: r.curve.map((p) => [p.epoch, p.expectedLatencyMs] as const) };
  const target: Series = { label: 'target', colour: 5, points: r.curve.length > 0 ? [[0, r.targetMs], [r.curve.at(-1)!.epoch, r.targetMs]] : [] };
  const accuracy: Series = { label: 'most likely network (validation)', colour: 3, points: r.curve.map((p) => [p.epoch, p.validationAccuracy] as const) };
  legend.replaceChildren(
    html('span', { class: 'nas-series-swatch nas-series-1' }),
    `E[lat]: ${last ? formatMs(last.expectedLatencyMs) : '—'}`,
    html('span', { class: 'nas-series-swatch nas-series-5' }),
    `target: ${formatMs(r.targetMs)}`,
    html('span', { class: 'nas-series-swatch nas-series-3' }),
    `validation accuracy: ${last ? formatPercent(last.validationAccuracy) : '—'}`,
  );
  latencyChart.setData({ series: [expected, target], bands, titles: { x: 'epoch', y: 'expected latency (ms)' } });
  accuracyChart.setData({ series: [accuracy], bands, titles: { x: 'epoch', y: 'validation accuracy' } });

  const d = r.derived;
  derived.hidden = !d;
  if (d) {
    derived.replaceChildren(
      html('h2', { class: 'nas-heading' }, ['Derived network']),
      html('div', { class: 'nas-derived-arch' }, [d.description]),
      html('div', { class: 'nas-derived-latency' }, [`latency: ${latencyFidelityLine(d)}; expected ${formatMs(d.expectedLatencyMs)} at the end of the search`]),
      ...(r.latencyTable ? [html('div', { class: 'nas-latency-table' }, [`latency table: ${latencyTableLine(r.latencyTable)}`])] : []),
      html('div', { class: 'nas-derived-accuracy' }, [
        `after ${d.epochs} epoch(s) from scratch: validation ${formatPercent(d.valAccuracy)}${d.testAccuracy !== undefined ? ` · test ${formatPercent(d.testAccuracy)}` : ''} · ${d.params.toLocaleString('en-US')} params`,
      ]),
    );
  }
}
