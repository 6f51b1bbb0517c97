import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { table } from '../contract/format';
import { datasetMetaFeatures, describeMetaFeatures, type DatasetMetaFeatures } from '../server/data/datasetMetaFeatures';
import { evaluators } from '../server/experiment/registry';
import { validateSpecText } from '../server/experiment/validate';
import { optionsOf } from '../server/experiment/spec';
import { rankSimilarRuns, type DescribeTask, type SimilarRun } from '../server/experiment/taskSimilarity';
import { InvalidSpecError } from '../server/runs/runService';
import { type CommandIo, guardCommand, processIo, readSpecFile, UsageError } from './commandSupport';
import { openRuns, rootOption } from './root';

export const SIMILAR_USAGE = `usage: nas-studio similar SPEC [--root DIR] [--json]
  The finished searches of SPEC's space (the runs a warm start can use), most similar task first:
  earlier runs of SPEC's own task, then by their datasets' meta-features (size, classes, image
  shape, channel statistics) and by the rank correlation of their results with earlier results of
  SPEC's task on the architectures both evaluated. Reads the datasets the specs name. --json: one
  JSON array, most similar first.`;

/** `nas-studio similar SPEC`: earlier searches ranked by how alike their tasks are to the spec's. */
export async function similarCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, SIMILAR_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one spec file');
    const specPath = resolve(positionals[0]);
    const text = readSpecFile(specPath);
    const service = openRuns(values.root);
    const baseDir = dirname(specPath);
    const validation = validateSpecText(text, { file: specPath, baseDir, runs: service.earlier });
    if (!validation.spec || !validation.space) throw new InvalidSpecError(specPath, text, validation.diagnostics);
    const { ranked, skipped } = rankSimilarRuns({ spec: validation.spec, baseDir, space: validation.space }, service.earlier.all(), describeTasks());
    if (values.json) {
      io.out(JSON.stringify(ranked.map(toJson)));
      return;
    }
    const others = skipped > 0 ? ` (${skipped} other search${skipped === 1 ? '' : 'es'} skipped: unfinished, another space or another number of objectives)` : '';
    if (ranked.length === 0) {
      io.out(`no finished search of the "${validation.space.id}" space in ${service.root}${others}`);
      return;
    }
    io.out(`Finished searches of the "${validation.space.id}" space, most similar task first${others}:`);
    io.out(
      table(
        ['#', 'run', 'task', 'meta-feature distance', 'rank correlation', 'similarity'],
        ranked.map((r, i) => [
          String(i + 1),
          r.run.summary.id,
          taskCell(r),
          r.sameTask ? 'same task' : r.metaDistance !== undefined ? r.metaDistance.toFixed(3) : '-',
          r.rankCorrelation ? `${r.rankCorrelation.rho.toFixed(3)} (${r.rankCorrelation.common} common)` : '-',
          r.score !== undefined ? r.score.toFixed(3) : 'no evidence',
        ]),
      ),
    );
    io.out(`\nWarm-start from the best of them: nas-studio run ${positionals[0]} --warm-start ${ranked.slice(0, 2).map((r) => r.run.summary.id).join(',')}`);
  });
}

/** Meta-features of each dataset, read once; undefined for tasks without a dataset or whose data cannot be read. */
function describeTasks(): DescribeTask {
  const cache = new Map<string, DatasetMetaFeatures | undefined>();
  return ({ spec, baseDir }) => {
    const data = evaluators.find((e) => e.type === spec.evaluator.type)?.taskData?.(optionsOf(spec.evaluator), baseDir);
    if (!data) return undefined;
    const key = JSON.stringify([data.dataset, data.baseDir]);
    if (!cache.has(key)) {
      try {
        cache.set(key, datasetMetaFeatures(data.dataset, data.baseDir));
      } catch {
        cache.set(key, undefined); // moved or deleted since: no meta-features, other evidence still counts
      }
    }
    return cache.get(key);
  };
}

function taskCell(r: SimilarRun): string {
  const spec = r.run.spec as { objectives: readonly { metric: string }[]; evaluator: { type: string } };
  return `${spec.objectives[0].metric} · ${r.metaFeatures ? describeMetaFeatures(r.metaFeatures) : spec.evaluator.type}`;
}

function toJson(r: SimilarRun): Record<string, unknown> {
  return {
    id: r.run.summary.id,
    name: r.run.summary.name,
    dir: r.run.folder.dir,
    sameTask: r.sameTask,
    ...(r.metaFeatures ? { metaFeatures: r.metaFeatures } : {}),
    ...(r.metaDistance !== undefined ? { metaDistance: r.metaDistance } : {}),
    ...(r.rankCorrelation ? { rankCorrelation: r.rankCorrelation } : {}),
    ...(r.score !== undefined ? { score: r.score } : {}),
  };
}
