import Ajv, { type ErrorObject } from 'ajv';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { basename, isAbsolute, resolve } from 'node:path';
import { DataError, NasError, SpecError, type JsonPath } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import type { SearchSpace } from '../core/searchSpace';
import { buildExperimentSchema } from './schema';
import { evaluators, spaces, strategies } from './registry';
import { optionsOf, type Component, type ExperimentSpec } from './spec';

export interface SpecDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Character offsets into the spec text. */
  readonly start: number;
  readonly end: number;
  readonly path: JsonPath;
}

export interface SpecValidation {
  /** Present when there are no errors (warnings allowed); defaults filled in. */
  readonly spec?: ExperimentSpec;
  readonly diagnostics: readonly SpecDiagnostic[];
  /** The search space built from a valid spec. */
  readonly space?: SearchSpace;
}

export interface ValidationContext {
  /** Spec file path, for the default name. */
  readonly file?: string;
  /** Folder relative paths in the spec resolve against. */
  readonly baseDir: string;
}

let compiled: ReturnType<Ajv['compile']> | undefined;
function schemaValidator() {
  compiled ??= new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true }).compile(buildExperimentSchema());
  return compiled;
}

/** `strategy.population`, `objectives[0].metric` */
export function formatPath(path: JsonPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || 'the spec';
}

/**
 * Validates spec text: JSON syntax, the schema (unknown keys, types, ranges) and the
 * semantics (metrics the evaluator produces, options that contradict each other, files).
 * Every problem is anchored to the offending range of the text.
 */
export function validateSpecText(text: string, context: ValidationContext): SpecValidation {
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: false, disallowComments: true });
  if (parseErrors.length > 0 || !root) {
    return {
      diagnostics: parseErrors.map((e) => ({
        severity: 'error',
        message: `JSON syntax: ${describeParseError(printParseErrorCode(e.error))}`,
        start: e.offset,
        end: e.offset + Math.max(1, e.length),
        path: [],
      })),
    };
  }
  const anchor = new Anchor(root, text);
  if (root.type !== 'object') return { diagnostics: [anchor.error('an experiment spec must be a JSON object', [])] };

  const value = getNodeValue(root) as Record<string, unknown>;
  const validate = schemaValidator();
  if (!validate(value)) {
    return { diagnostics: dedupe((validate.errors ?? []).map((e) => schemaDiagnostic(e, anchor))) };
  }
  return checkSemantics(value, anchor, context);
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Maps JSON paths to text ranges. */
class Anchor {
  constructor(
    readonly root: Node,
    readonly text: string,
  ) {}

  node(path: JsonPath): Node | undefined {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = findNodeAtLocation(this.root, p as (string | number)[]);
      if (node || p.length === 0) return node ?? this.root;
    }
  }

  diagnostic(severity: 'error' | 'warning', message: string, path: JsonPath, atKey = false): SpecDiagnostic {
    let node = this.node(path);
    if (atKey && node?.parent?.type === 'property') node = node.parent.children?.[0];
    if (node?.type === 'object' && node.parent?.type === 'property') node = node.parent.children?.[0];
    if (node?.type === 'object' && !node.parent) return { severity, message, start: node.offset, end: node.offset + 1, path };
    return { severity, message, start: node?.offset ?? 0, end: (node?.offset ?? 0) + (node?.length ?? 1), path };
  }

  error(message: string, path: JsonPath, atKey = false): SpecDiagnostic {
    return this.diagnostic('error', message, path, atKey);
  }
}

function pathOf(instancePath: string, value: Node): JsonPath {
  const out: (string | number)[] = [];
  let node: Node | undefined = value;
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = node?.type === 'array' ? Number(seg) : seg;
    out.push(key);
    node = node ? findNodeAtLocation(node, [key]) : undefined;
  }
  return out;
}

function allowedKeys(schema: unknown): string[] {
  return Object.keys((schema as JsonSchema | undefined)?.properties ?? {});
}

function schemaDiagnostic(e: ErrorObject, anchor: Anchor): SpecDiagnostic {
  const path = pathOf(e.instancePath, anchor.root);
  const where = formatPath(path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = allowedKeys(e.parentSchema).filter((k) => k !== '$schema');
      return anchor.error(`unknown key "${key}" in ${where}; allowed keys: ${allowed.join(', ')}`, [...path, key], true);
    }
    case 'required':
      return anchor.error(`${where} is missing the required key "${String(p.missingProperty)}"`, path);
    case 'discriminator': {
      const list = (e.parentSchema as JsonSchema | undefined)?.oneOf?.map((s) => String(s.properties?.type?.const)) ?? [];
      if (p.error === 'mapping') {
        return anchor.error(`unknown ${where} type ${JSON.stringify(p.tagValue)}; known types: ${list.join(', ')}`, [...path, 'type']);
      }
      return anchor.error(`${where} needs a "type" (one of: ${list.join(', ')})`, path);
    }
    case 'type':
      return anchor.error(`${where} must be ${article(String(p.type))}`, path);
    case 'enum':
      return anchor.error(`${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, path);
    case 'const':
      return anchor.error(`${where} must be ${JSON.stringify(p.allowedValue)}`, path);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return anchor.error(`${where} must be ${String(p.comparison)} ${String(p.limit)} (got ${JSON.stringify(e.data)})`, path);
    case 'minItems':
      return anchor.error(`${where} needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, path);
    case 'maxItems':
      return anchor.error(`${where} allows at most ${String(p.limit)} items`, path);
    default:
      return anchor.error(`${where} ${e.message ?? 'is invalid'}`, path);
  }
}

function article(type: string): string {
  return type.split(',').map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(' or ');
}

function dedupe(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.start}:${d.end}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function find<T extends { type: string }>(list: readonly T[], component: Component): T {
  const found = list.find((d) => d.type === component.type);
  if (!found) throw new Error(`schema admitted unknown type ${component.type}`);
  return found;
}

/** Points a DataError about a file at the option whose value names that file. */
function fileOptionPath(component: Component, file: string | undefined, baseDir: string, prefix: string): JsonPath {
  const walk = (value: unknown, path: (string | number)[]): JsonPath | undefined => {
    if (typeof value === 'string') {
      const abs = isAbsolute(value) ? value : resolve(baseDir, value);
      return file && (abs === file || file.startsWith(abs + '/')) ? path : undefined;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const hit = walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return walk(optionsOf(component), [prefix]) ?? [prefix, 'type'];
}

function checkSemantics(value: Record<string, unknown>, anchor: Anchor, context: ValidationContext): SpecValidation {
  const raw = value as unknown as Omit<ExperimentSpec, 'name' | 'seed' | 'constraints' | 'report'> & Partial<ExperimentSpec>;
  const diagnostics: SpecDiagnostic[] = [];
  const fromError = (e: unknown, prefix: string, component: Component) => {
    if (e instanceof SpecError) diagnostics.push(anchor.error(e.message, [prefix, ...e.path], e.atKey));
    else if (e instanceof DataError) diagnostics.push(anchor.error(e.message, fileOptionPath(component, e.file, context.baseDir, prefix)));
    else if (e instanceof NasError) diagnostics.push(anchor.error(e.message, [prefix, 'type']));
    else throw e;
  };

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
    metricNames = evaluator.metricNames(optionsOf(raw.evaluator), context.baseDir);
  } catch (e) {
    fromError(e, 'evaluator', raw.evaluator);
  }
  const checkMetric = (metric: string, path: JsonPath) => {
    if (metricNames && !metricNames.includes(metric)) {
      diagnostics.push(anchor.error(`unknown metric "${metric}": evaluator "${evaluator.type}" produces ${metricNames.join(', ')}`, path));
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
  for (const e of strategy.check?.(optionsOf(raw.strategy), { budget: raw.budget.trials, objectiveCount: objectives.length }) ?? []) {
    fromError(e, 'strategy', raw.strategy);
  }

  let trials = raw.budget.trials;
  if (space && trials > space.cardinality) {
    diagnostics.push(
      anchor.diagnostic('warning', `budget of ${trials} trials exceeds the ${space.cardinality} distinct architectures of this space; clamped to ${space.cardinality}`, ['budget', 'trials']),
    );
    trials = space.cardinality;
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const name = raw.name ?? (context.file ? basename(context.file).replace(/\.nas\.json$|\.json$/i, '') : 'experiment');
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
  };
  return { spec, diagnostics, space };
}

/** 1-based line and column of an offset, for CLI messages (file:line:col). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
