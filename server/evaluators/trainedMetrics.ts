import type { MetricInfo } from '../../contract/metricInfo';
import { TRAINED_METRICS } from '../../contract/trainedMetrics';

/** The train and supernet evaluators' metrics (see TRAINED_METRICS). */
export function describeTrainedMetric(name: string): MetricInfo | undefined {
  return Object.hasOwn(TRAINED_METRICS, name) ? TRAINED_METRICS[name] : undefined;
}
