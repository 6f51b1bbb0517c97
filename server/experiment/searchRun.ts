import type { MetricCatalog, MetricInfo } from '../../contract/metricInfo';
import type { SearchRunSummary } from '../../contract/runs';
import { arrayOf, int, num, object, oneOf, optional, str } from '../../contract/validate';
import { observe } from '../core/objectives';
import type { SearchSpace } from '../core/searchSpace';
import type { RunKind, RunView } from '../runs/runKind';
import { evaluators, spaces, strategies } from './registry';
import { applySearchRecord, initialSearchState, loadSearchState, paretoOrder, saveSearchState, type SearchState } from './searchState';
import { optionsOf, type Component, type ExperimentSpec } from './spec';
import { resolveSpecText, validateSpecText } from './validate';

const component = object({ type: str });

/** What a reader relies on in a resolved search spec (validated in full when the run was created). */
const resolvedSpecCheck = object({
  name: str,
  space: component,
  evaluator: component,
  strategy: component,
  objectives: arrayOf(object({ metric: str, goal: oneOf('maximize', 'minimize') })),
  constraints: arrayOf(object({ metric: str, min: optional(num), max: optional(num) })),
  report: arrayOf(str),
  budget: object({ trials: int, minutes: optional(num) }),
  seed: int,
  warmStart: optional(object({ runs: arrayOf(object({ id: str, dir: str })), use: oneOf('top-k', 'prior', 'both'), k: int, halfLife: num })),
});

function find<T extends { type: string }>(list: readonly T[], component: Component, what: string): T {
  const found = list.find((d) => d.type === component.type);
  if (!found) throw new Error(`unknown ${what} type "${component.type}"`);
  return found;
}

function buildSpace(spec: ExperimentSpec): SearchSpace {
  return find(spaces, spec.space, 'space').create(optionsOf(spec.space));
}

type SearchView = RunView<ExperimentSpec, SearchState>;

/**
 * An architecture search (`*.nas.json`): a strategy proposes architectures of a space, an
 * evaluator scores them, one journaled trial each. See searchLoop.ts for how it runs and resumes.
 */
export const searchRun: RunKind<ExperimentSpec, SearchState, SearchRunSummary> = {
  id: 'search',
  title: 'architecture search',
  specSuffix: '.nas.json',
  views: ['plot', 'progress'],
  unit: 'trials',
  validate: validateSpecText,
  async preflight(spec, baseDir) {
    await find(evaluators, spec.evaluator, 'evaluator').preflight?.(optionsOf(spec.evaluator), { space: buildSpace(spec), baseDir });
  },
  nameOf: (spec) => spec.name,
  readSpec(value) {
    const spec = resolvedSpecCheck(value, 'spec') as unknown as ExperimentSpec;
    find(evaluators, spec.evaluator, 'evaluator');
    find(strategies, spec.strategy, 'strategy');
    if (spec.objectives.length === 0) throw new Error('the spec has no objectives');
    buildSpace(spec);
    return spec;
  },
  readLegacySpec: resolveSpecText,
  initialState: (spec) => initialSearchState(buildSpace(spec)),
  saveState: saveSearchState,
  loadState: (value, spec) => loadSearchState(value, buildSpace(spec)),
  apply: applySearchRecord,
  progress: (spec, state) => ({ done: state.trials.size, total: spec.budget.trials }),
  summarize(view: SearchView, base): SearchRunSummary {
    const { spec, state } = view;
    const best = state.best;
    return {
      ...base,
      kind: 'search',
      trials: state.trials.size,
      budget: spec.budget.trials,
      objectives: spec.objectives,
      constraints: spec.constraints,
      report: spec.report,
      strategy: spec.strategy.type,
      ...(best ? { best: { trial: best.trial, arch: best.arch, description: state.space.describe(best.genome), metrics: best.metrics } } : {}),
      ...(spec.objectives.length > 1 ? { pareto: paretoOrder(state, spec.objectives) } : {}),
      ...(spec.warmStart ? { warmStart: { sources: spec.warmStart.runs.map((r) => r.id), use: spec.warmStart.use, observations: state.warm.observations.size } } : {}),
      metricInfo: metricCatalog(spec, best ? Object.keys(best.metrics) : []),
    };
  },
  // Loaded on first use: reading runs (list, show, the explorer) never pays for what running needs.
  execute: async (run) => (await import('./searchLoop')).runSearch(run),
};

/** What the evaluator declares about the spec's metrics and those the trials carry (`measured`). */
export function metricCatalog(spec: ExperimentSpec, measured: readonly string[]): MetricCatalog {
  const definition = find(evaluators, spec.evaluator, 'evaluator');
  const names = new Set([...spec.objectives.map((o) => o.metric), ...spec.constraints.map((c) => c.metric), ...spec.report, ...measured]);
  const catalog: Record<string, MetricInfo> = {};
  for (const name of names) {
    const info = definition.describeMetric?.(name, optionsOf(spec.evaluator));
    if (info) catalog[name] = info;
  }
  return catalog;
}

/** Whether a trial's metrics meet the run's constraints (for trials evaluated elsewhere). */
export function feasibleFor(spec: ExperimentSpec, metrics: Record<string, number>): boolean {
  return observe(metrics, spec.objectives, spec.constraints).feasible;
}
