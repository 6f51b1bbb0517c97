/**
 * A latency table's validation: each random network's measured latency against the table's
 * prediction (plain sum, and the learned correction by a fit that did not see it), the y = x line
 * and the ±10 % band, and the share within ±10 % and the mean absolute error in the header.
 */
import { formatMs, formatPercent, formatTick } from '../contract/format';
import { archEncoding, type Fidelity, type ValidationFile } from '../contract/latencyValidation';
import type { HostToWebview } from '../contract/webviewMessages';
import { showError, viewRoot } from './controls';
import { html } from './dom';
import { connectToHost } from './hostConnection';
import { ScatterPlot } from './plot/scatterPlot';
import { onThemeChange } from './theme';
import { Tooltip } from './tooltip';
import { latencyViewStateCheck, readState, type LatencyViewState } from './viewState';

const root = viewRoot('latency');
root.classList.add('nas-view', 'nas-latency-view');

/** Colour slots of the two predictors (nas-series-N). */
const TABLE_SERIES = 1;
const CORRECTED_SERIES = 2;

let validation: ValidationFile | undefined;

const heading = html('h2', { class: 'nas-heading' }, ['Latency validation']);
const status = html('div', { class: 'nas-status nas-latency-status', role: 'status' });
const plot = new ScatterPlot({
  hover: (i, clientX, clientY) => (i < 0 ? tooltip.hide() : showNetwork(i, clientX, clientY)),
  select: (i) => plot.setSelected(i),
  windowChanged: () => undefined,
});
const legend = html('div', { class: 'nas-legend nas-latency-legend' });
root.append(heading, status, plot.element, legend);
const tooltip = new Tooltip(plot.element);
onThemeChange(() => plot.paint());

const host = connectToHost<LatencyViewState>('latency', handle, readState(latencyViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      if (message.view !== 'latency') return;
      validation = message.validation;
      host.saveState({ folder: message.title });
      showError(root, undefined);
      render(message.title, message.validation);
      return;
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

const figures = (f: Fidelity) => `${formatPercent(f.within10)} within ±10 %, MAPE ${formatPercent(f.mape)}`;

function render(folder: string, v: ValidationFile): void {
  const n = v.networks.length;
  heading.textContent = `Latency validation · ${folder}`;
  status.replaceChildren(
    html('div', { class: 'nas-latency-figure', 'data-predictor': 'table' }, [`table sums: ${figures(v.raw)}`]),
    html('div', { class: 'nas-latency-figure', 'data-predictor': 'corrected' }, [`learned correction (cross-validated): ${figures(v.corrected)}`]),
    ...(v.layerSums ? [html('div', { class: 'nas-latency-figure', 'data-predictor': 'layers' }, [`same-moment layer sums: ${figures(v.layerSums)}`])] : []),
    html('div', { class: 'nas-latency-where' }, [`${n} networks measured on ${v.backend}`]),
  );
  // Points 0..n-1: the table's sums; n..2n-1: the corrected predictions; y: measured, for both.
  const xs = new Float64Array(2 * n);
  const ys = new Float64Array(2 * n);
  const series = new Uint8Array(2 * n);
  v.networks.forEach((network, i) => {
    xs[i] = network.predicted;
    xs[n + i] = network.corrected;
    ys[i] = ys[n + i] = network.measured;
    series[i] = TABLE_SERIES;
    series[n + i] = CORRECTED_SERIES;
  });
  legend.replaceChildren(
    html('span', { class: `nas-series-swatch nas-series-${TABLE_SERIES}` }),
    'table sum',
    html('span', { class: `nas-series-swatch nas-series-${CORRECTED_SERIES}` }),
    'learned correction',
    html('span', { class: 'nas-series-swatch nas-series-3' }),
    'within ±10 % of the measurement',
  );
  plot.setData({
    xs,
    ys,
    feasible: new Uint8Array(2 * n).fill(1),
    front: [],
    series,
    rays: { lines: [{ slope: 1, label: 'y = x' }], band: { low: 1 / 1.1, high: 1 / 0.9, label: '±10 %' } },
    titles: { x: 'predicted latency (ms)', y: 'measured latency (ms)' },
    ticks: { x: formatTick, y: formatTick },
    constraints: [],
    visible: () => true,
  });
}

function showNetwork(i: number, clientX: number, clientY: number): void {
  if (!validation) return;
  const n = validation.networks.length;
  const network = validation.networks[i % n];
  const corrected = i >= n;
  const predicted = corrected ? network.corrected : network.predicted;
  const error = (predicted - network.measured) / network.measured;
  tooltip.show(
    `network ${(i % n) + 1} · ${corrected ? 'learned correction' : 'table sum'}`,
    [
      ['encoding', archEncoding(network.arch)],
      ['predicted', formatMs(predicted)],
      ['measured', formatMs(network.measured)],
      ['error', `${error >= 0 ? '+' : ''}${(100 * error).toFixed(1)} %`],
      ...(network.layerSum !== undefined ? [['layers now', formatMs(network.layerSum)] as const] : []),
    ],
    clientX,
    clientY,
  );
}
