import { SpecError, type JsonPath } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import { GUIDED_SEARCH_DEFAULTS, GuidedLocalSearchFinder, type GuidedSearchOptions } from './guidedLocalSearch';
import { OFA_EVOLUTION_DEFAULTS, OfaEvolutionFinder, type OfaEvolutionOptions } from './ofaEvolutionFinder';
import type { Finder } from './searchProblem';

/** Which search algorithm specializes, with its options. */
export type FinderSpec = ({ readonly type: 'guided' } & GuidedSearchOptions) | ({ readonly type: 'ofa-evolution' } & OfaEvolutionOptions);

export const DEFAULT_FINDER: FinderSpec = { type: 'guided' };

/**
 * Most accuracy-predictor evaluations one search may spend: about two minutes per limit on a
 * 2-core machine (about 0.5 ms each). The guided finder's default is 1,500, OFA's evolution
 * spends 50,100; without a bound a typo such as `--evaluations 1000000000` would run for days.
 */
export const MAX_FINDER_EVALUATIONS = 200_000;

interface NumericOption {
  readonly integer: boolean;
  readonly min: number;
  readonly max?: number;
  readonly description: string;
}

const GUIDED_OPTIONS: Record<keyof GuidedSearchOptions, NumericOption> = {
  evaluations: { integer: true, min: 1, max: MAX_FINDER_EVALUATIONS, description: `Predictor evaluations to spend (at most ${MAX_FINDER_EVALUATIONS}).` },
  neighbors: { integer: true, min: 1, description: 'Moves evaluated per local-search step (ranked by the predictor gradient).' },
  startsPerResolution: { integer: true, min: 1, description: 'Screened starting points per resolution.' },
  descents: { integer: true, min: 1, description: 'Screened starts refined by a full local search.' },
};

const OFA_OPTIONS: Record<keyof OfaEvolutionOptions, NumericOption> = {
  populationSize: { integer: true, min: 4, max: MAX_FINDER_EVALUATIONS, description: 'Population size.' },
  generations: { integer: true, min: 1, max: MAX_FINDER_EVALUATIONS, description: `Generations (OFA: max_time_budget); populationSize x (generations + 1) evaluations, at most ${MAX_FINDER_EVALUATIONS}.` },
  parentRatio: { integer: false, min: 0.01, max: 1, description: 'Fraction of the population kept as parents.' },
  mutationRatio: { integer: false, min: 0, max: 1, description: 'Fraction of children made by mutation (the rest by crossover).' },
  mutateProbability: { integer: false, min: 0, max: 1, description: 'Per-gene resampling probability of a mutation.' },
};

/** Validates a finder spec (SpecError paths start at `path`) and builds the finder. */
export function createFinder(spec: unknown, path: JsonPath = ['finder']): Finder {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SpecError('finder must be an object with a "type"', path);
  const { type, ...options } = spec as Record<string, unknown>;
  if (type === 'guided') return new GuidedLocalSearchFinder(numericOptions(options, GUIDED_OPTIONS, path));
  if (type === 'ofa-evolution') {
    const parsed = numericOptions(options, OFA_OPTIONS, path);
    const populationSize = parsed.populationSize ?? OFA_EVOLUTION_DEFAULTS.populationSize;
    const evaluations = populationSize * ((parsed.generations ?? OFA_EVOLUTION_DEFAULTS.generations) + 1);
    if (evaluations > MAX_FINDER_EVALUATIONS) {
      throw new SpecError(
        `populationSize x (generations + 1) = ${evaluations} predictor evaluations; a search may spend at most ${MAX_FINDER_EVALUATIONS}`,
        [...path, parsed.generations !== undefined ? 'generations' : 'populationSize'],
      );
    }
    if (Math.round((parsed.parentRatio ?? OFA_EVOLUTION_DEFAULTS.parentRatio) * populationSize) < 1) {
      throw new SpecError('parentRatio x populationSize must round to at least one parent', [...path, 'parentRatio']);
    }
    return new OfaEvolutionFinder(parsed);
  }
  throw new SpecError(`unknown finder type ${JSON.stringify(type)}; use "guided" or "ofa-evolution"`, [...path, 'type']);
}

function numericOptions<K extends string>(options: Record<string, unknown>, known: Record<K, NumericOption>, path: JsonPath): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const [name, value] of Object.entries(options)) {
    const rule = known[name as K];
    if (!rule) throw new SpecError(`unknown finder option "${name}"; known: ${Object.keys(known).join(', ')}`, [...path, name], true);
    const ok = typeof value === 'number' && Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) && value >= rule.min && (rule.max === undefined || value <= rule.max);
    if (!ok) {
      const range = rule.max === undefined ? `>= ${rule.min}` : `in ${rule.min}..${rule.max}`;
      throw new SpecError(`finder option "${name}" must be ${rule.integer ? 'an integer' : 'a number'} ${range}; got ${JSON.stringify(value)}`, [...path, name]);
    }
    out[name as K] = value as number;
  }
  return out;
}

function schemaOf(type: string, known: Record<string, NumericOption>, defaults: Record<string, number>): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: {
      type: { const: type },
      ...Object.fromEntries(
        Object.entries(known).map(([name, rule]) => [
          name,
          { type: rule.integer ? 'integer' : 'number', minimum: rule.min, ...(rule.max !== undefined ? { maximum: rule.max } : {}), default: defaults[name], description: rule.description },
        ]),
      ),
    },
  };
}

/** JSON Schema of a finder spec, for settings and request validation in the editor. */
export const finderSchema: JsonSchema = {
  oneOf: [schemaOf('guided', GUIDED_OPTIONS, GUIDED_SEARCH_DEFAULTS), schemaOf('ofa-evolution', OFA_OPTIONS, OFA_EVOLUTION_DEFAULTS)],
};
