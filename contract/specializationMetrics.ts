import { accuracyInfo, countInfo, millisecondsInfo } from './metricInfo';
import type { MetricCatalog } from './metrics';

/**
 * Metrics of a specialization's sub-networks (its trials, see server/specialize/specializationRun.ts):
 * the predictor's accuracy as a fraction, the constrained metric (lookup-table latency, tabulated
 * or analytic FLOPs in millions) and the parameters in millions.
 */
export const SPECIALIZATION_METRICS: MetricCatalog = {
  predicted_accuracy: accuracyInfo('Predicted accuracy', 'fraction'),
  latency_ms: millisecondsInfo('Latency'),
  table_mflops: countInfo('FLOPs (table)', 1e6),
  mflops: countInfo('FLOPs', 1e6),
  mparams: countInfo('Parameters', 1e6),
};
