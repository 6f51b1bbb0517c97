import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensembleTable } from '../../../cli/ensembleConsole';
import { scalingTable } from '../../../cli/scalingConsole';
import { metricsTable, trialsTable } from '../../../cli/searchConsole';
import { resultTable } from '../../../cli/specializationConsole';
import { accuracyInfo, countInfo, millisecondsInfo } from '../../../contract/metricInfo';
import { TRAINED_METRICS } from '../../../contract/trainedMetrics';
import type { SpecializationResult, SpecializedSubnet } from '../../../server/specialize/specialize';
import { ensembleSummary, scalingSummary } from '../extension/summaries';

/** The columns of a `table()` (contract/format.ts): the dash rule under the titles gives each column's span. */
function columns(text: string): { title: string; cells: string[] }[] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-+( +-+)*$/.test(l));
  assert.ok(rule > 0, `no table in:\n${text}`);
  const spans = [...lines[rule].matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const cut = (line: string, c: number) => line.slice(spans[c][0], c === spans.length - 1 ? undefined : spans[c][1]).trim();
  return spans.map((_, c) => ({ title: cut(lines[rule - 1], c), cells: lines.slice(rule + 1).map((l) => cut(l, c)) }));
}

/** The unit of a value cell: "0.28 ms" → ms, "77.60%" → %; undefined for bare numbers and text ("same as ≤ 20 ms"). */
const unitOfCell = (cell: string) => /^-?[\d.]+(?: [kMG])? ?(%|ms|s|MFLOPs)$/.exec(cell)?.[1];

/** Every column names its unit once: in the title with bare cells. */
function assertUnitsOnce(text: string): void {
  for (const { title, cells } of columns(text)) {
    for (const cell of cells) assert.equal(unitOfCell(cell), undefined, `column "${title}": cell "${cell}" repeats a unit`);
  }
}

test('every CLI table gives the unit once, in the column title; cells are bare numbers', () => {
  const catalog = { ...TRAINED_METRICS, latency_ms: millisecondsInfo('Latency (batch 1)') };
  const metrics = { val_accuracy: 0.776, latency_ms: 0.28, params: 63_790, train_seconds: 12.34, flops: 2_873_000 };
  const best = metricsTable(['val_accuracy', 'latency_ms', 'params', 'flops', 'train_seconds'], metrics, catalog);
  assertUnitsOnce(best);
  // The row that printed "Latency (batch 1) (ms) 0.28 ms".
  assert.deepEqual(columns(best).map((c) => c.cells), [
    ['Validation accuracy (%)', 'Latency (batch 1) (ms)', 'Parameters', 'FLOPs', 'Training time (s)'],
    ['77.60', '0.28', '63.79 k', '2.873 M', '12.3'],
  ]);

  const custom = { acc: accuracyInfo('Predicted accuracy', 'fraction'), lat: millisecondsInfo('Latency on Pixel 3'), mflops: countInfo('FLOPs', 1e6) };
  const trials = trialsTable(['#', 'trial'], [{ lead: ['1', '7'], architecture: 'r224 d23344', metrics: { acc: 0.8012, lat: 24.979, mflops: 230 } }], ['acc', 'lat', 'mflops'], custom);
  assertUnitsOnce(trials);
  assert.deepEqual(columns(trials).map((c) => [c.title, c.cells[0]]), [['#', '1'], ['trial', '7'], ['architecture', 'r224 d23344'], ['Predicted accuracy (%)', '80.12'], ['Latency on Pixel 3 (ms)', '24.98'], ['FLOPs', '230 M']]);

  const scaling = scalingTable(scalingSummary()).join('\n');
  assertUnitsOnce(scaling);
  const scalingColumns = columns(scaling);
  assert.deepEqual(scalingColumns.map((c) => c.title).slice(5, 8), ['val (%)', 'test (%)', 'latency (ms)']);
  assert.equal(scalingColumns[5].cells[0], '85.12');

  const ensemble = ensembleTable(ensembleSummary());
  assertUnitsOnce(ensemble[1]);
  assertUnitsOnce(ensemble[2]);
  assert.deepEqual(columns(ensemble[2])[4], { title: 'val (%)', cells: ['40.63', '51.95'] });

  const subnet = (limit: number, efficiency: number, predictedAccuracy: number, id: number): SpecializedSubnet =>
    ({ limit, arch: { ks: [id], e: [3], d: [2], r: 160 }, description: `r160 d2222${id}`, predictedAccuracy, efficiency, mflops: 150 + id, mparams: 3.1, seconds: 1.25, evaluations: 100, pareto: true }) as SpecializedSubnet;
  const result: SpecializationResult = {
    predictor: 'acc_predictor.json',
    efficiency: { spec: { kind: 'lut', dir: 'note10' }, label: 'latency table note10', metric: 'latency_ms', unit: 'ms' },
    finder: 'guided',
    seed: 0,
    resolutions: [160],
    subnets: [subnet(20, 19.5, 0.78, 1), subnet(25, 19.5, 0.78, 1), subnet(30, 29.1, 0.79, 2)],
  };
  const sweep = resultTable(result)[1];
  assertUnitsOnce(sweep);
  assert.deepEqual(
    columns(sweep).map((c) => [c.title, ...c.cells]),
    [
      ['limit (ms)', '20', '25', '30'],
      ['predicted accuracy (%)', '78.00', '78.00', '79.00'],
      ['latency (ms)', '19.50', '19.50', '29.10'],
      ['FLOPs (MFLOPs)', '151.0', '151.0', '152.0'],
      ['params (M)', '3.10', '3.10', '3.10'],
      ['time (s)', '1.25', '1.25', '1.25'],
      ['pareto', '★', '', '★'],
      ['note', '', 'same as ≤ 20 ms', ''],
      ['architecture', 'r160 d22221', 'r160 d22221', 'r160 d22222'],
    ],
  );
});
