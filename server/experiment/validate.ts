import { DEFAULT_QUEUE } from '../runtime/queue/queueProtocol';
import { NasError, type JsonPath } from '../core/errors';
import type { SearchSpace } from '../core/searchSpace';
import { buildExperimentSchema } from './schema';
import { evaluators, spaces, strategies } from './registry';
import { optionsOf, type Component, type ExperimentSpec, type WarmStartSpec, type WarmStartText } from './spec';
import { limitDiagnostics, MAX_DIAGNOSTICS } from './specDiagnostic';
import { resolveWarmStart } from './warmStartSpec';
import { type Anchor, defaultSpecName, formatPath, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext, withParseWarnings } from './specText';

export { formatPath, LineIndex, type SpecDiagnostic, type ValidationContext } from './specText';

export interface SpecValidation {
  /** Present when there are no errors (warnings allowed); defaults filled in. */
  readonly spec?: ExperimentSpec;
  readonly diagnostics: readonly SpecDiagnostic[];
  /** The search space built from a valid spec. */
  readonly space?: SearchSpace;
}

const schemaValidator = lazyValidator(buildExperimentSchema);

/**
 * Validates spec text: JSON syntax, the schema (unknown keys, types, ranges) and the
 * semantics (metrics the evaluator produces, options that contradict each other, files).
 * Every problem is anchored to the offending range of the text.
 */
export function validateSpecText(text: string, context: ValidationContext): SpecValidation {
  const parsed = parseSpecText(text, schemaValidator(), 'an experiment spec');
  if (!parsed.ok) {
    // Problems the schema does not see (misspelt metrics, missing files) are listed with its own,
    // at once; unless its list is already cut at the limit (the user fixes those first).
    if (!parsed.partial || parsed.diagnostics.length > MAX_DIAGNOSTICS) return { diagnostics: parsed.diagnostics };
    const more = metricDiagnostics(parsed.partial.value as Partial<ExperimentSpec>, parsed.partial.anchor, context).filter((d) => !parsed.diagnostics.some((s) => s.start <= d.start && d.end <= s.end));
    return { diagnostics: limitDiagnostics([...parsed.diagnostics, ...more]) };
  }
  return withParseWarnings(parsed, checkSemantics(parsed.value, parsed.anchor, context, true));
}

/**
 * The metrics a spec names that its evaluator does not produce, for a spec the schema rejected
 * elsewhere: checked only where that part of the spec is well-formed.
 */
function metricDiagnostics(raw: Partial<ExperimentSpec>, anchor: Anchor, context: ValidationContext): SpecDiagnostic[] {
  const component = raw.evaluator as Component | undefined;
  const evaluator = typeof component?.type === 'string' ? evaluators.find((d) => d.type === component.type) : undefined;
  if (!evaluator || typeof component !== 'object') return [];
  const diagnostics: SpecDiagnostic[] = [];
  let names: readonly string[];
  try {
    names = evaluator.metricNames(optionsOf(component), context.baseDir);
  } catch (e) {
    if (e instanceof NasError) diagnostics.push(anchor.fromError(e, ['evaluator'], optionsOf(component), context.baseDir));
    return diagnostics;
  }
  const named = (list: unknown, key?: string): [string, JsonPath][] =>
    Array.isArray(list)
      ? list.flatMap((item, i) => {
          const metric = key ? (item as Record<string, unknown> | null)?.[key] : item;
          return typeof metric === 'string' ? [[metric, key ? [i, key] : [i]] as [string, JsonPath]] : [];
        })
      : [];
  const check = (field: string, list: unknown, key?: string) => {
    for (const [metric, at] of named(list, key)) if (!names.includes(metric)) diagnostics.push(unknownMetric(anchor, evaluator.type, metric, [field, ...at], names));
  };
  check('objectives', raw.objectives, 'metric');
  check('constraints', raw.constraints, 'metric');
  check('report', raw.report);
  return diagnostics;
}

function unknownMetric(anchor: Anchor, evaluator: string, metric: string, path: JsonPath, names: readonly string[]): SpecDiagnostic {
  return anchor.misspelt(`unknown metric "${metric}": evaluator "${evaluator}" produces ${names.join(', ')}`, path, names);
}

/**
 * The resolved spec of spec text without reading the files it names (metric names the
 * evaluator would read from a table stay unchecked): for reading runs written by NAS Studio
 * 0.1, whose folders hold the user's spec text. Throws with the first problem.
 */
export function resolveSpecText(text: string): ExperimentSpec {
  const parsed = parseSpecText(text, schemaValidator(), 'an experiment spec');
  const result = parsed.ok ? checkSemantics(parsed.value, parsed.anchor, { baseDir: '.' }, false) : { diagnostics: parsed.diagnostics };
  if (!result.spec) throw new Error(`the spec does not validate: ${formatPath(result.diagnostics[0]?.path ?? [])}: ${result.diagnostics[0]?.message}`);
  return result.spec;
}

function find<T extends { type: string }>(list: readonly T[], component: Component): T {
  const found = list.find((d) => d.type === component.type);
  if (!found) throw new Error(`schema admitted unknown type ${component.type}`);
  return found;
}

function checkSemantics(value: Record<string, unknown>, anchor: Anchor, context: ValidationContext, readFiles: boolean): SpecValidation {
  const raw = value as unknown as Omit<ExperimentSpec, 'name' | 'seed' | 'constraints' | 'report' | 'warmStart' | 'latency'> &
    Partial<Omit<ExperimentSpec, 'warmStart' | 'latency'>> & { warmStart?: WarmStartText; latency?: { device: string; redis?: string; queue?: string; repeats?: number } };
  const diagnostics: SpecDiagnostic[] = [];
  const fromError = (e: unknown, prefix: string, component: Component) => diagnostics.push(anchor.fromError(e, [prefix], optionsOf(component), context.baseDir));

  let space: SearchSpace | undefined;
  try {
    space = find(spaces, raw.space).create(optionsOf(raw.space));
  } catch (e) {
    fromError(e, 'space', raw.space);
  }

  const evaluator = find(evaluators, raw.evaluator);
  if (!evaluator.spaces.includes(raw.space.type)) {
    diagnostics.push(
      anchor.error(`evaluator "${evaluator.type}" cannot evaluate the "${raw.space.type}" space (it supports: ${evaluator.spaces.join(', ')})`, ['evaluator', 'type']),
    );
  }
  let metricNames: readonly string[] | undefined;
  try {
    if (readFiles) metricNames = evaluator.metricNames(optionsOf(raw.evaluator), context.baseDir);
  } catch (e) {
    fromError(e, 'evaluator', raw.evaluator);
  }
  const checkMetric = (metric: string, path: JsonPath) => {
    if (metricNames && !metricNames.includes(metric)) {
      diagnostics.push(unknownMetric(anchor, evaluator.type, metric, path, metricNames));
    }
  };
  const objectives = raw.objectives;
  const constraints = raw.constraints ?? [];
  const report = raw.report ?? [];
  const seenObjectives = new Set<string>();
  objectives.forEach((o, i) => {
    checkMetric(o.metric, ['objectives', i, 'metric']);
    if (seenObjectives.has(o.metric)) diagnostics.push(anchor.error(`"${o.metric}" is already an objective`, ['objectives', i, 'metric']));
    seenObjectives.add(o.metric);
  });
  constraints.forEach((c, i) => {
    checkMetric(c.metric, ['constraints', i, 'metric']);
    if (c.min === undefined && c.max === undefined) diagnostics.push(anchor.error('a constraint needs "min", "max" or both', ['constraints', i]));
    if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
      diagnostics.push(anchor.error(`min ${c.min} is larger than max ${c.max}: nothing can satisfy this constraint`, ['constraints', i, 'min']));
    }
  });
  report.forEach((metric, i) => {
    checkMetric(metric, ['report', i]);
    if (seenObjectives.has(metric)) {
      diagnostics.push(anchor.diagnostic('warning', `"${metric}" is an objective; listing it in report changes nothing`, ['report', i]));
    }
  });

  const strategy = find(strategies, raw.strategy);
  if (!strategy.multiObjective && objectives.length > 1) {
    diagnostics.push(
      anchor.diagnostic(
        'warning',
        `strategy "${strategy.type}" optimizes one objective: it will follow "${objectives[0].metric}"; the Pareto front still uses all objectives`,
        ['strategy', 'type'],
      ),
    );
  }
  for (const e of strategy.check?.(optionsOf(raw.strategy), { budget: raw.budget.trials, objectiveCount: objectives.length, ...(space ? { space } : {}) }) ?? []) {
    fromError(e, 'strategy', raw.strategy);
  }

  let trials = raw.budget.trials;
  if (space && trials > space.cardinality) {
    diagnostics.push(
      anchor.diagnostic('warning', `budget of ${trials} trials exceeds the ${space.cardinality} distinct architectures of this space; clamped to ${space.cardinality}`, ['budget', 'trials']),
    );
    trials = space.cardinality;
  }

  let warmStart: WarmStartSpec | undefined;
  if (raw.warmStart) {
    const resolved = resolveWarmStart(raw.warmStart, { space, strategy, objectiveCount: objectives.length, budget: trials }, readFiles ? context.runs : undefined, anchor);
    diagnostics.push(...resolved.diagnostics);
    warmStart = resolved.spec;
  }

  const latency = raw.latency && {
    device: raw.latency.device,
    redis: raw.latency.redis ?? raw.execution?.queue?.redis,
    queue: raw.latency.queue ?? raw.execution?.queue?.name ?? DEFAULT_QUEUE,
    repeats: raw.latency.repeats ?? 20,
  };
  if (latency && !latency.redis) diagnostics.push(anchor.error('the device\'s workers are reached through Redis: set "redis" here (or execution.queue.redis)', ['latency']));
  if (latency && raw.evaluator.type !== 'train') {
    diagnostics.push(anchor.error(`latency on a device measures the models that the 'train' evaluator trains; evaluator "${raw.evaluator.type}" has none`, ['latency', 'device']));
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const name = defaultSpecName(raw.name, context.file, /\.nas\.json$/i, 'experiment');
  const spec: ExperimentSpec = {
    name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    space: raw.space,
    evaluator: raw.evaluator,
    strategy: raw.strategy,
    objectives,
    constraints,
    report,
    budget: { ...raw.budget, trials },
    seed: raw.seed ?? 0,
    ...(raw.execution ? { execution: raw.execution } : {}),
    ...(warmStart ? { warmStart } : {}),
    ...(latency ? { latency: { ...latency, redis: latency.redis! } } : {}),
  };
  return { spec, diagnostics, space };
}
