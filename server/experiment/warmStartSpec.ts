import { errorMessage } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import type { SearchSpace } from '../core/searchSpace';
import type { StrategyDefinition } from '../core/strategy';
import { MAX_PATH_LENGTH } from '../core/specBounds';
import type { EarlierRuns } from '../runs/earlierRuns';
import type { SpecDiagnostic } from './specDiagnostic';
import type { Anchor } from './specText';
import type { WarmStartSpec, WarmStartText } from './spec';
import { sourceProblem } from './warmStartSource';

export const WARM_START_DEFAULTS = { use: 'both', k: 5, halfLife: 20 } as const;

/** Sources one spec may name: far more than any transfer needs. */
const MAX_SOURCES = 64;

export const warmStartSchema: JsonSchema = {
  type: 'object',
  required: ['runs'],
  additionalProperties: false,
  description:
    'Start from what earlier searches of the same space found (any evaluator or dataset). Their observations are journaled as transferred, never as trials of this run, and never count towards its budget.',
  properties: {
    runs: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SOURCES,
      items: { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^[^\\u0000]*$', patternErrorMessage: 'must not contain a NUL character' },
      description: 'Finished search runs of the same space: ids in the experiments folder (`nas-studio list`) or run folders. `nas-studio similar SPEC` ranks candidates.',
    },
    use: {
      enum: ['top-k', 'prior', 'both'],
      default: WARM_START_DEFAULTS.use,
      description: 'top-k: evaluate their best k architectures first. prior: their observations pre-fit the strategy (predictor, distribution or population), with a weight that decays as this run observes. both: the two together.',
    },
    k: { type: 'integer', minimum: 1, maximum: 10000, default: WARM_START_DEFAULTS.k, description: 'Architectures evaluated first with top-k: the best of each source in turn.' },
    halfLife: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1000000,
      default: WARM_START_DEFAULTS.halfLife,
      description: "Evaluations of this run after which the prior's weight has halved (weight = halfLife / (halfLife + evaluations)). Evolution lets transferred members age out instead.",
    },
  },
};

export const usesTopK = (w: Pick<WarmStartSpec, 'use'>) => w.use !== 'prior';
export const usesPrior = (w: Pick<WarmStartSpec, 'use'>) => w.use !== 'top-k';

/** What the rest of the spec says that a warm start must fit. */
export interface WarmStartTarget {
  readonly space: SearchSpace | undefined;
  readonly strategy: StrategyDefinition;
  readonly objectiveCount: number;
  readonly budget: number;
}

/**
 * Resolves a spec's `warmStart` against the runs of the store: each source must be a finished
 * search of the same space with as many objectives, named once. Problems are anchored at the
 * entry that names the run; a prior the strategy cannot use and a top-k that fills the budget
 * are warnings.
 */
export function resolveWarmStart(
  text: WarmStartText,
  target: WarmStartTarget,
  runs: EarlierRuns | undefined,
  anchor: Anchor,
): { readonly spec?: WarmStartSpec; readonly diagnostics: readonly SpecDiagnostic[] } {
  const diagnostics: SpecDiagnostic[] = [];
  const resolved: { id: string; dir: string }[] = [];
  text.runs.forEach((name, i) => {
    const path = ['warmStart', 'runs', i];
    if (!runs) {
      diagnostics.push(anchor.error('warm starts name runs of an experiments folder, and none is known here', path));
      return;
    }
    try {
      const run = runs.find(name);
      const problem = target.space ? sourceProblem(run, target.space, target.objectiveCount) : undefined;
      if (problem) diagnostics.push(anchor.error(problem, path));
      else if (resolved.some((r) => r.dir === run.folder.dir)) diagnostics.push(anchor.error(`run "${run.summary.id}" is already a source of this warm start`, path));
      else resolved.push({ id: run.summary.id, dir: run.folder.dir });
    } catch (e) {
      diagnostics.push(anchor.error(errorMessage(e), path));
    }
  });
  const spec: WarmStartSpec = {
    runs: resolved,
    use: text.use ?? WARM_START_DEFAULTS.use,
    k: text.k ?? WARM_START_DEFAULTS.k,
    halfLife: text.halfLife ?? WARM_START_DEFAULTS.halfLife,
  };
  if (usesPrior(spec) && !target.strategy.priorShapes) {
    diagnostics.push(
      anchor.diagnostic('warning', `strategy "${target.strategy.type}" has no model a prior could shape: "${spec.use}" transfers ${spec.use === 'both' ? 'only the top-k architectures' : 'nothing'}`, ['warmStart', text.use ? 'use' : 'runs']),
    );
  }
  if (usesTopK(spec) && spec.k >= target.budget) {
    diagnostics.push(anchor.diagnostic('warning', `k = ${spec.k} is not below the budget of ${target.budget} trials: the run may evaluate nothing but transferred architectures`, ['warmStart', text.k !== undefined ? 'k' : 'runs']));
  }
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { spec, diagnostics };
}
