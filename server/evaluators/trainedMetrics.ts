import { accuracyInfo, countInfo, millisecondsInfo, plainInfo, secondsInfo, type MetricInfo } from '../../contract/metricInfo';

/**
 * Metrics of architectures that are trained (or evaluated with trained weights) in NAS Studio:
 * accuracies as fractions, losses, params and multiply-accumulates as counts, batch-1 latency.
 * Shared by the train and supernet evaluators, which report the same names.
 */
const TRAINED_METRICS: Readonly<Record<string, MetricInfo>> = {
  val_accuracy: accuracyInfo('Validation accuracy', 'fraction'),
  test_accuracy: accuracyInfo('Test accuracy', 'fraction'),
  val_loss: plainInfo('Validation loss'),
  train_loss: plainInfo('Training loss'),
  params: countInfo('Parameters'),
  flops: countInfo('FLOPs'),
  latency_ms: millisecondsInfo('Latency (batch 1)'),
  train_seconds: secondsInfo('Training time'),
};

export function describeTrainedMetric(name: string): MetricInfo | undefined {
  return Object.hasOwn(TRAINED_METRICS, name) ? TRAINED_METRICS[name] : undefined;
}
