/**
 * Trials table: one row per trial (status, architecture, every metric in its unit, duration,
 * start time), sortable by any column, filtered by status, Pareto front, text in the
 * architecture and metric ranges, with a column chooser and CSV export. Only the rows in view are
 * in the DOM, so 100,000 trials scroll as smoothly as 100. A click selects a trial in every view
 * of the run and opens its graph.
 */
import { describeMetric, metricTitle, toStoredValue } from '../contract/metricInfo';
import type { SearchRunSummary } from '../contract/runs';
import type { HostToWebview } from '../contract/webviewMessages';
import { button, checkbox, safeFileName, select, showError, toolbar, viewRoot } from './controls';
import { html } from './dom';
import { connectToHost } from './hostConnection';
import { columnMetric, metricOrder, statusOf, tableColumns, trialStatuses, type Column, type TrialStatus } from './table/tableColumns';
import { sparkline } from './table/sparkline';
import { sortRows, toCsv, visibleRows, type MetricRange, type TableFilter } from './table/trialRows';
import { TrialStore } from './trialStore';
import { readState, tableViewStateCheck, type TableViewState } from './viewState';

const ROW_HEIGHT = 24;
const OVERSCAN = 8;

const root = viewRoot('table');
root.classList.add('nas-view', 'nas-table-view');
const store = new TrialStore();
let experiment: SearchRunSummary | undefined;
let state: TableViewState | undefined;
let columns: Column[] = [];
let rows: Uint32Array = new Uint32Array(0);
let selected: number | undefined;
let frame = 0;
let rendered = 0;
const statuses = new Set<TrialStatus>(trialStatuses);
let frontOnly = false;
let search = '';
let range: MetricRange = { metric: '' };

const heading = html('h2', { class: 'nas-heading' }, ['Trials']);
const status = html('div', { class: 'nas-status', role: 'status', 'aria-live': 'polite' });
const searchInput = html('input', { class: 'nas-input nas-search', type: 'search', placeholder: 'Search architectures', 'aria-label': 'Search architectures' });
searchInput.addEventListener('input', () => {
  search = searchInput.value;
  schedule(true);
});
const statusBoxes = trialStatuses.map((s) =>
  checkbox(s, true, (checked) => {
    if (checked) statuses.add(s);
    else statuses.delete(s);
    schedule(true);
  }),
);
const frontBox = checkbox('Pareto front only', false, (checked) => {
  frontOnly = checked;
  schedule(true);
});
const rangeSelect = select('range of', (metric) => {
  range = { metric };
  minInput.value = '';
  maxInput.value = '';
  schedule(true);
});
const minInput = html('input', { class: 'nas-input nas-number', type: 'number', step: 'any', placeholder: 'min', 'aria-label': 'minimum' });
const maxInput = html('input', { class: 'nas-input nas-number', type: 'number', step: 'any', placeholder: 'max', 'aria-label': 'maximum' });
for (const input of [minInput, maxInput]) input.addEventListener('input', () => readRange());
const columnChooser = html('details', { class: 'nas-columns' }, [html('summary', {}, ['Columns'])]);
const scroller = html('div', { class: 'nas-table-scroll', tabindex: 0, role: 'grid', 'aria-label': 'Trials' });
const head = html('div', { class: 'nas-table-head', role: 'row' });
const body = html('div', { class: 'nas-table-rows', role: 'rowgroup' });
const inner = html('div', { class: 'nas-table-inner' }, [head, body]);
scroller.append(inner);
root.append(
  heading,
  toolbar([searchInput, ...statusBoxes, frontBox, columnChooser, button('Export CSV', exportCsv, { secondary: true })]),
  toolbar([rangeSelect.element, minInput, maxInput]),
  status,
  scroller,
);
scroller.addEventListener('scroll', () => schedule(false));
new ResizeObserver(() => schedule(false)).observe(scroller);

const host = connectToHost<TableViewState>('table', handle, readState(tableViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init': {
      if (message.view !== 'table') return;
      experiment = message.experiment;
      const saved = host.savedState?.experiment === message.experiment.id ? host.savedState : undefined;
      state = saved ?? { experiment: message.experiment.id, sort: 'trial', descending: false, hidden: [] };
      host.saveState(state);
      heading.textContent = `${message.experiment.name} · trials`;
      frontBox.hidden = message.experiment.objectives.length < 2;
      showError(root, undefined);
      schedule(true);
      return;
    }
    case 'trials':
      if (message.experiment !== experiment?.id) return;
      store.addPage(message);
      schedule(true);
      return;
    case 'trialAdded':
      if (message.experiment !== experiment?.id) return;
      store.add(message.trial);
      schedule(true);
      return;
    case 'summary':
      if (message.summary.id !== experiment?.id || message.summary.kind !== 'search') return;
      experiment = message.summary;
      schedule(true);
      return;
    case 'selectTrial':
      if (message.experiment !== experiment?.id) return;
      selectTrial(message.trial, true);
      return;
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

function save(change: Partial<TableViewState>): void {
  if (!state) return;
  state = { ...state, ...change };
  host.saveState(state);
}

function readRange(): void {
  const info = describeMetric(range.metric, experiment?.metricInfo);
  const read = (input: HTMLInputElement) => (input.value.trim() === '' || !Number.isFinite(Number(input.value)) ? undefined : toStoredValue(Number(input.value), info));
  range = { metric: range.metric, min: read(minInput), max: read(maxInput) };
  schedule(true);
}

/** Recomputes the rows when the data or a filter changed; always redraws the rows in view. */
let stale = true;
function schedule(rowsChanged: boolean): void {
  stale ||= rowsChanged;
  if (frame === 0) frame = requestAnimationFrame(render);
}

function render(): void {
  frame = 0;
  if (!experiment || !state) return;
  if (stale) recompute(experiment, state);
  stale = false;
  drawRows();
}

function recompute(summary: SearchRunSummary, view: TableViewState): void {
  const trials = store.all;
  const metrics = metricOrder(summary, store.metrics());
  const all = tableColumns(summary, metrics, trials.some((t) => (t.curve?.length ?? 0) > 0));
  columns = all.filter((c) => !view.hidden.includes(c.id));
  rangeSelect.setOptions(['', ...metrics], range.metric, (m) => (m ? metricTitle(m, summary.metricInfo) : '(no range filter)'));
  renderChooser(all, view);
  const filter: TableFilter = { statuses, frontOnly, search, ranges: range.metric ? [range] : [] };
  const sortColumn = all.find((c) => c.id === view.sort) ?? all[0];
  rows = sortRows(visibleRows(trials, filter, new Set(summary.pareto ?? [])), trials, sortColumn, view.descending);
  renderHead(view);
  const template = columns.map((c) => widthOf(c)).join(' ');
  inner.style.setProperty('--nas-table-columns', template);
  inner.style.height = `${ROW_HEIGHT * (rows.length + 1)}px`;
  status.textContent = `${rows.length} of ${trials.length} trials shown · sorted by ${sortColumn.title}${view.descending ? ' (descending)' : ''}${
    summary.status === 'running' ? ` · running (${summary.trials}/${summary.budget})` : ''
  }`;
  scroller.dataset.rows = String(rows.length);
}

function widthOf(column: Column): string {
  if (column.id === 'arch') return 'minmax(220px, 2fr)';
  if (column.id === 'status') return '100px';
  if (column.id === 'trial') return '64px';
  return `${Math.max(90, Math.min(240, column.title.length * 7 + 24))}px`;
}

function renderHead(view: TableViewState): void {
  const cells = columns.map((column) => {
    const arrow = column.id === view.sort ? (view.descending ? ' ▼' : ' ▲') : '';
    const cell = html('div', { class: `nas-cell nas-head-cell${column.numeric ? ' nas-numeric' : ''}`, role: 'columnheader', 'data-column': column.id, title: `Sort by ${column.title}`, tabindex: 0 }, [column.title + arrow]);
    const sortBy = () => save(view.sort === column.id ? { descending: !view.descending } : { sort: column.id, descending: column.numeric && column.id !== 'trial' && isMaximized(column) });
    cell.addEventListener('click', () => {
      sortBy();
      schedule(true);
    });
    cell.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        sortBy();
        schedule(true);
      }
    });
    return cell;
  });
  head.replaceChildren(...cells);
}

/** Objectives to maximize sort best first on the first click. */
function isMaximized(column: Column): boolean {
  const metric = columnMetric(column);
  return experiment?.objectives.some((o) => o.metric === metric && o.goal === 'maximize') ?? false;
}

function renderChooser(all: readonly Column[], view: TableViewState): void {
  const key = JSON.stringify([all.map((c) => c.id), view.hidden]);
  if (columnChooser.dataset.key === key) return;
  columnChooser.dataset.key = key;
  const boxes = all
    .filter((c) => c.id !== 'trial')
    .map((c) =>
      checkbox(c.title, !view.hidden.includes(c.id), (checked) => {
        const hidden = (state?.hidden ?? []).filter((id) => id !== c.id);
        save({ hidden: checked ? hidden : [...hidden, c.id] });
        schedule(true);
      }),
    );
  columnChooser.replaceChildren(html('summary', {}, ['Columns']), html('div', { class: 'nas-columns-list' }, boxes));
}

/** Draws the rows in view (and a few around them). */
function drawRows(): void {
  const trials = store.all;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const count = Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
  const last = Math.min(rows.length, first + count);
  const elements: HTMLElement[] = [];
  for (let r = first; r < last; r++) {
    const t = trials[rows[r]];
    const cells: Node[] = columns.map((c) => {
      const values = c.sparkline?.(t);
      return html('div', { class: `nas-cell${c.numeric ? ' nas-numeric' : ''}`, role: 'gridcell', title: c.text(t) }, [values && values.length > 1 ? sparkline(values) : c.text(t)]);
    });
    const row = html('div', { class: `nas-row nas-status-${statusOf(t)}${t.trial === selected ? ' nas-selected-row' : ''}`, role: 'row', 'data-trial': t.trial, 'aria-selected': String(t.trial === selected) }, cells);
    row.addEventListener('click', () => {
      selectTrial(t.trial, false);
      if (experiment) host.post({ type: 'openTrial', experiment: experiment.id, trial: t.trial });
    });
    elements.push(row);
  }
  body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
  body.replaceChildren(...elements);
  scroller.dataset.rendered = String(++rendered);
  scroller.dataset.first = String(first);
}

function selectTrial(trial: number, reveal: boolean): void {
  selected = trial;
  if (reveal) {
    const position = store.positionOf(trial);
    const r = rows.indexOf(position);
    if (r >= 0 && (r * ROW_HEIGHT < scroller.scrollTop || (r + 1) * ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight - ROW_HEIGHT)) {
      scroller.scrollTop = Math.max(0, r * ROW_HEIGHT - scroller.clientHeight / 2);
    }
  }
  schedule(false);
}

function exportCsv(): void {
  if (!experiment) return;
  const data = toCsv(rows, store.all, columns);
  host.post({ type: 'exportCsv', fileName: `${safeFileName(experiment.name)}-trials.csv`, data });
}
