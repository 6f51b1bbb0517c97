import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { SearchSpace } from '../core/searchSpace';
import { metaFeatureDistance, type DatasetMetaFeatures } from '../data/datasetMetaFeatures';
import { spearman } from '../ofa/rankCorrelation';
import type { EarlierRun } from '../runs/earlierRuns';
import { optionsOf, type ExperimentSpec } from './spec';
import { sourceProblem, transferRecords } from './warmStartSource';

/** Architectures two tasks must share before their rank correlation counts. */
export const MIN_COMMON_ARCHITECTURES = 5;

/** A search's task: what its evaluator scores and on which data. */
export interface SearchTask {
  readonly spec: ExperimentSpec;
  /** Folder the spec's relative paths resolve against. */
  readonly baseDir: string;
}

/** How alike an earlier search's task is to a new one's, by whatever evidence there is. */
export interface SimilarRun {
  readonly run: EarlierRun;
  /** The same evaluator, options and first objective: an earlier run of this very task. */
  readonly sameTask: boolean;
  readonly metaFeatures?: DatasetMetaFeatures;
  /** Distance of its dataset's meta-features to the new task's (both datasets known). */
  readonly metaDistance?: number;
  /** Spearman's rho between its results and the new task's earlier results on the architectures both evaluated. */
  readonly rankCorrelation?: { readonly rho: number; readonly common: number };
  /** 1 for the same task; else the mean of exp(-metaDistance) and (rho + 1) / 2, of those known. */
  readonly score?: number;
}

/** Meta-features of a task's dataset; undefined when its evaluator has none or the data cannot be read. */
export type DescribeTask = (task: SearchTask) => DatasetMetaFeatures | undefined;

/**
 * Ranks the finished searches of the same space (those a warm start can use) by how alike their
 * tasks are to `target`'s: by their datasets' meta-features (size, classes, image shape, channel
 * statistics) where both have a dataset, and by the rank correlation of their results with the
 * results of earlier runs of the target's own task, on the architectures both evaluated. Earlier
 * runs of the same task come first; runs without any evidence last (newest first).
 */
export function rankSimilarRuns(target: SearchTask & { readonly space: SearchSpace }, runs: readonly EarlierRun[], describe: DescribeTask): { readonly ranked: SimilarRun[]; readonly skipped: number } {
  const usable = runs.filter((r) => !sourceProblem(r, target.space, target.spec.objectives.length));
  const taskOf = (r: EarlierRun): SearchTask => ({ spec: r.spec as ExperimentSpec, baseDir: r.baseDir });
  const identity = taskIdentity(target);
  const same = usable.filter((r) => taskIdentity(taskOf(r)) === identity);
  const ownResults = resultsOf(same);
  const targetFeatures = describe(target);
  const ranked = usable.map((run): SimilarRun => {
    const metaFeatures = describe(taskOf(run));
    if (same.includes(run)) return { run, sameTask: true, ...(metaFeatures ? { metaFeatures } : {}), score: 1 };
    const metaDistance = targetFeatures && metaFeatures ? metaFeatureDistance(targetFeatures, metaFeatures) : undefined;
    const rankCorrelation = correlate(ownResults, resultsOf([run]));
    const evidence = [...(metaDistance !== undefined ? [Math.exp(-metaDistance)] : []), ...(rankCorrelation ? [(rankCorrelation.rho + 1) / 2] : [])];
    const score = evidence.length > 0 ? evidence.reduce((a, b) => a + b, 0) / evidence.length : undefined;
    return { run, sameTask: false, ...(metaFeatures ? { metaFeatures } : {}), ...(metaDistance !== undefined ? { metaDistance } : {}), ...(rankCorrelation ? { rankCorrelation } : {}), ...(score !== undefined ? { score } : {}) };
  });
  // A stable sort: runs come newest first, and stay so among equals.
  ranked.sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  return { ranked, skipped: runs.filter((r) => r.summary.kind === 'search').length - usable.length };
}

/**
 * What makes two searches the same task: the evaluator with its options (paths that name
 * existing files resolved, so two specs in different folders naming one table agree) and the
 * first objective.
 */
function taskIdentity(task: SearchTask): string {
  const options = optionsOf(task.spec.evaluator);
  const resolvePaths = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const path = isAbsolute(value) ? value : resolve(task.baseDir, value);
      return value !== '' && existsSync(path) ? path : value;
    }
    if (Array.isArray(value)) return value.map(resolvePaths);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'type' ? v : resolvePaths(v)]));
    return value;
  };
  return JSON.stringify([task.spec.evaluator.type, resolvePaths(options), task.spec.objectives[0]]);
}

/** Each architecture's first objective (as the runs oriented it), from their first evaluations; the first run that has it counts. */
function resultsOf(runs: readonly EarlierRun[]): Map<string, number> {
  const results = new Map<string, number>();
  for (const run of runs) {
    for (const r of transferRecords(run)) {
      const value = r.objectives[0];
      if (value !== null && !results.has(r.key)) results.set(r.key, value);
    }
  }
  return results;
}

function correlate(a: Map<string, number>, b: Map<string, number>): { rho: number; common: number } | undefined {
  const common = [...a.keys()].filter((k) => b.has(k));
  if (common.length < MIN_COMMON_ARCHITECTURES) return undefined;
  return { rho: spearman(common.map((k) => a.get(k)!), common.map((k) => b.get(k)!)), common: common.length };
}
