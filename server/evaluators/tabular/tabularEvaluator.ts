import { resolve } from 'node:path';
import { DataError, SpecError, throwIfAborted } from '../../core/errors';
import { pathSchema } from '../../core/specBounds';
import type { Evaluator, EvaluatorDefinition, EvaluatorSetup } from '../../core/evaluator';
import type { Metrics } from '../../../contract/metrics';
import type { Genome, SearchSpace } from '../../core/searchSpace';
import { NB201_SPACE_TYPE } from '../../spaces/nb201/nb201Space';
import { describeBenchmarkColumn } from './benchmarkColumns';
import { loadCsvTable, readCsvHeader, type CsvTable } from './csvTable';

export type TabularOptions = {
  /** CSV file with an `arch` column and one column per metric; relative to the spec's folder. */
  table: string;
};

function tablePath(options: TabularOptions, baseDir: string): string {
  if (typeof options.table !== 'string' || options.table.trim() === '') {
    throw new SpecError('"table" must be the path of a benchmark CSV file', ['table']);
  }
  return resolve(baseDir, options.table);
}

/**
 * Looks metrics up in a benchmark table instead of training. It returns exactly the metrics
 * the experiment asked for; which of them a strategy sees is decided by `observe()`.
 */
class TabularEvaluator implements Evaluator {
  /** Look-ups are instant: batching them would only make strategies ask before they learn. */
  readonly concurrency = 1;

  constructor(
    private readonly table: CsvTable,
    private readonly space: SearchSpace,
    readonly metrics: readonly string[],
  ) {}

  async evaluate(genome: Genome, context: { readonly signal: AbortSignal }): Promise<Metrics> {
    throwIfAborted(context.signal);
    const row = this.table.rowOf(this.space.key(genome));
    if (row === undefined) {
      throw new DataError(`architecture ${this.space.describe(genome)} is not in the table`, this.table.file);
    }
    const metrics: Metrics = {};
    for (const name of this.metrics) metrics[name] = this.table.value(name, row);
    return metrics;
  }

  async dispose(): Promise<void> {
    // Nothing to release: the table is plain memory.
  }
}

async function createTabularEvaluator(options: TabularOptions, setup: EvaluatorSetup): Promise<Evaluator> {
  const file = tablePath(options, setup.baseDir);
  const started = Date.now();
  const table = await loadCsvTable(file, setup.metrics, (arch) => setup.space.key(setup.space.fromArch(arch)));
  setup.log(`tabular: ${table.rowCount} rows, ${setup.metrics.length} metric columns from ${file} in ${Date.now() - started} ms`);
  return new TabularEvaluator(table, setup.space, setup.metrics);
}

export const tabularEvaluator: EvaluatorDefinition<TabularOptions> = {
  type: 'tabular',
  title: 'Tabular benchmark',
  description:
    'Looks every metric up in a benchmark table (CSV with an "arch" column and one column per metric), e.g. NAS-Bench-201: accuracies, latencies, FLOPs. No training.',
  optionsSchema: {
    type: 'object',
    required: ['table'],
    properties: {
      table: {
        ...pathSchema('Path of the benchmark CSV, relative to the spec file. Every numeric column is a metric.'),
        examples: ['../shared/data/nas-bench-201/nb201.csv'],
      },
    },
    additionalProperties: false,
  },
  spaces: [NB201_SPACE_TYPE],
  metricNames: (options, baseDir) => readCsvHeader(tablePath(options, baseDir)).numericColumns,
  describeMetric: (name) => describeBenchmarkColumn(name),
  create: createTabularEvaluator,
};
