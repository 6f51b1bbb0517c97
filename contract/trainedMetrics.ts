import { accuracyInfo, countInfo, millisecondsInfo, plainInfo, secondsInfo } from './metricInfo';
import type { MetricCatalog } from './metrics';

/**
 * Metrics of architectures that are trained (or evaluated with trained weights) in NAS Studio:
 * accuracies as fractions, losses, params and multiply-accumulates as counts, batch-1 latency.
 * Reported by the train and supernet evaluators, and by the networks of scaling and ensemble runs.
 */
export const TRAINED_METRICS: MetricCatalog = {
  val_accuracy: accuracyInfo('Validation accuracy', 'fraction'),
  test_accuracy: accuracyInfo('Test accuracy', 'fraction'),
  val_loss: plainInfo('Validation loss'),
  train_loss: plainInfo('Training loss'),
  params: countInfo('Parameters'),
  flops: countInfo('FLOPs'),
  latency_ms: millisecondsInfo('Latency (batch 1)'),
  train_seconds: secondsInfo('Training time'),
};
