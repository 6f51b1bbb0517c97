import { basename, isAbsolute, resolve } from 'node:path';
import { accuracyInfo, countInfo, millisecondsInfo, type MetricInfo } from '../../../contract/metricInfo';
import { SpecError } from '../../core/errors';
import { pathSchema } from '../../core/specBounds';
import type { Evaluator, EvaluatorDefinition } from '../../core/evaluator';
import type { Metrics } from '../../../contract/metrics';
import { AccuracyPredictor } from '../../ofa/accuracyPredictor';
import { loadEfficiencyModel, type EfficiencyModel } from '../../ofa/efficiencyModel';
import { OfaMbv3Space } from '../../spaces/ofa/ofaMbv3Space';

export type OfaPredictorOptions = {
  /** Accuracy predictor weights (OFA's acc_predictor.json format). */
  predictor: string;
  /** Folder of `<resolution>_lookup_table.yaml` latency tables. */
  lut?: string;
  /** OFA FLOPs table (flops_table.json format). */
  flopsTable?: string;
};

/**
 * Evaluates OFA MobileNetV3 sub-networks without training: predicted accuracy from an MLP
 * predictor, latency from a lookup table, FLOPs from a FLOPs table and the analytic count.
 * Every search strategy can then search the OFA space in milliseconds per architecture.
 */
export const ofaPredictorEvaluator: EvaluatorDefinition<OfaPredictorOptions> = {
  type: 'ofa-predictor',
  title: 'OFA accuracy predictor + efficiency tables',
  description: 'Predicted accuracy (OFA MLP predictor), latency lookup table and FLOPs of OFA MobileNetV3 sub-networks; no training.',
  optionsSchema: {
    type: 'object',
    required: ['predictor'],
    properties: {
      predictor: pathSchema("Accuracy predictor weights file (OFA's acc_predictor.json format)."),
      lut: pathSchema('Folder of <resolution>_lookup_table.yaml latency tables (e.g. OFA note10); enables latency_ms.'),
      flopsTable: pathSchema('OFA FLOPs table (flops_table.json); enables table_mflops.'),
    },
  },
  spaces: ['ofa-mbv3'],
  metricNames: (options) => [
    'predicted_accuracy',
    'mflops',
    'params_m',
    ...(options.lut ? ['latency_ms'] : []),
    ...(options.flopsTable ? ['table_mflops'] : []),
  ],
  describeMetric: (name, options) => describeOfaMetric(name, options),
  async preflight(options, setup) {
    await loadModels(options, setup);
  },
  async create(options, setup): Promise<Evaluator> {
    const { space, predictor, tables } = await loadModels(options, setup);
    return {
      metrics: ofaPredictorEvaluator.metricNames(options, setup.baseDir),
      concurrency: 1,
      async evaluate(genome): Promise<Metrics> {
        const metrics: Metrics = { predicted_accuracy: predictor.predict(genome), mflops: space.flops(genome), params_m: space.params(genome) };
        for (const table of tables) metrics[table.metric] = table.cost.cost(genome);
        return metrics;
      },
      dispose: async () => undefined,
    };
  },
};

/** The predictor and efficiency tables the options name, checked and compiled for the space. */
async function loadModels(options: OfaPredictorOptions, setup: { readonly space: unknown; readonly baseDir: string }): Promise<{ space: OfaMbv3Space; predictor: AccuracyPredictor; tables: EfficiencyModel[] }> {
  const space = setup.space;
  if (!(space instanceof OfaMbv3Space)) throw new SpecError('the ofa-predictor evaluator needs the ofa-mbv3 space', ['type']);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(setup.baseDir, p));
  const predictor = await AccuracyPredictor.load(path(options.predictor), space);
  const tables: EfficiencyModel[] = [];
  if (options.lut) tables.push(await loadEfficiencyModel({ kind: 'lut', dir: path(options.lut) }, space));
  if (options.flopsTable) tables.push(await loadEfficiencyModel({ kind: 'flops-table', path: path(options.flopsTable) }, space));
  return { space, predictor, tables };
}

/** Predicted accuracy is a fraction; OFA reports FLOPs and params in millions; latency comes from the named device's table. */
function describeOfaMetric(name: string, options: OfaPredictorOptions): MetricInfo | undefined {
  switch (name) {
    case 'predicted_accuracy':
      return accuracyInfo('Predicted accuracy', 'fraction');
    case 'mflops':
      return countInfo('FLOPs', 1e6);
    case 'table_mflops':
      return countInfo('FLOPs (table)', 1e6);
    case 'params_m':
      return countInfo('Parameters', 1e6);
    case 'latency_ms':
      return millisecondsInfo(options.lut ? `Latency on ${basename(options.lut)}` : 'Latency');
    default:
      return undefined;
  }
}
