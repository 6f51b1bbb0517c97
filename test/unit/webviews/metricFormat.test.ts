import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMetric, formatTickValue, metricTitle, type MetricCatalog } from '../../../contract/metricInfo';
import { describeBenchmarkColumn } from '../../../server/evaluators/tabular/benchmarkColumns';
import { describeTrainedMetric } from '../../../server/evaluators/trainedMetrics';
import { ofaPredictorEvaluator } from '../../../server/evaluators/ofaPredictor/ofaPredictorEvaluator';

/** What each evaluator declares, as a run's summary carries it. */
function catalog(): MetricCatalog {
  const entries: [string, ReturnType<typeof describeTrainedMetric>][] = [
    ...['val_accuracy', 'test_accuracy', 'val_loss', 'params', 'flops', 'latency_ms', 'train_seconds'].map((n) => [n, describeTrainedMetric(n)] as [string, ReturnType<typeof describeTrainedMetric>]),
    ...['cifar10_valid_12ep', 'cifar10_test', 'lat_ms_pixel3', 'lat_ms_1080ti_32', 'lat_ms_gold_6226', 'params_mb_cifar10', 'flops_m_cifar10'].map((n) => [n, describeBenchmarkColumn(n)] as [string, ReturnType<typeof describeTrainedMetric>]),
    ...['predicted_accuracy', 'mflops', 'params_m'].map((n) => [`ofa:${n}`, ofaPredictorEvaluator.describeMetric?.(n, { predictor: 'p.json', lut: 'data/note10' })] as [string, ReturnType<typeof describeTrainedMetric>]),
    ['ofa:latency_ms', ofaPredictorEvaluator.describeMetric?.('latency_ms', { predictor: 'p.json', lut: 'data/note10/' })],
  ];
  return Object.fromEntries(entries.map(([name, info]) => {
    assert.ok(info, `${name} is declared`);
    return [name, info];
  }));
}

// metric, stored value -> rendered value, axis/column title
const expected: readonly [string, number, string, string][] = [
  ['val_accuracy', 0.776, '77.60%', 'Validation accuracy (%)'],
  ['test_accuracy', 0.98123, '98.12%', 'Test accuracy (%)'],
  ['val_loss', 0.41234, '0.4123', 'Validation loss'],
  ['params', 63790, '63.79 k', 'Parameters'],
  ['flops', 2873000, '2.873 M', 'FLOPs'],
  ['latency_ms', 24.979, '24.98 ms', 'Latency (batch 1) (ms)'],
  ['train_seconds', 12.34, '12.3 s', 'Training time (s)'],
  ['cifar10_valid_12ep', 84.446, '84.45%', 'CIFAR-10 validation accuracy (12 epochs) (%)'],
  ['cifar10_test', 94.37, '94.37%', 'CIFAR-10 test accuracy (%)'],
  ['lat_ms_pixel3', 24.979, '24.98 ms', 'Latency on Pixel 3 (ms)'],
  ['lat_ms_1080ti_32', 3.6456, '3.65 ms', 'Latency on GTX 1080 Ti, batch 32 (ms)'],
  ['lat_ms_gold_6226', 10.525, '10.53 ms', 'Latency on Xeon Gold 6226 (ms)'],
  ['params_mb_cifar10', 0.802426, '802.4 k', 'Parameters (CIFAR-10)'],
  ['flops_m_cifar10', 116.692672, '116.7 M', 'FLOPs (CIFAR-10)'],
  ['ofa:predicted_accuracy', 0.79104, '79.10%', 'Predicted accuracy (%)'],
  ['ofa:mflops', 245.3, '245.3 M', 'FLOPs'],
  ['ofa:params_m', 7.62, '7.62 M', 'Parameters'],
  ['ofa:latency_ms', 24.87, '24.87 ms', 'Latency on note10 (ms)'],
  ['undeclared', 84.44601, '84.45', 'undeclared'],
];

test('every metric renders with its unit, percent or fraction alike, counts with SI prefixes, titles instead of column names', () => {
  const c = catalog();
  for (const [name, value, text, title] of expected) {
    assert.equal(formatMetric(name, value, c), text, name);
    assert.equal(metricTitle(name, c), title, name);
  }
  assert.equal(formatMetric('val_accuracy', undefined, c), '-');
  assert.equal(formatMetric('val_accuracy', Number.NaN, c), '-');
});

test('axis ticks are in the unit the title names', () => {
  const c = catalog();
  assert.equal(formatTickValue(0.775, 0.005, c.val_accuracy), '77.5');
  assert.equal(formatTickValue(84, 2, c.cifar10_valid_12ep), '84');
  assert.equal(formatTickValue(60000, 10000, c.params), '60k');
  assert.equal(formatTickValue(0.8, 0.2, c.params_mb_cifar10), '800k');
  assert.equal(formatTickValue(12.5, 0.5, c.lat_ms_pixel3), '12.5');
});
