import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isAbsolute, resolve } from 'node:path';
import { DataError, NasError, SpecError, type JsonPath } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';

/**
 * What every kind of spec file (`*.nas.json`, `*.supernet.json`) shares: JSON parsing, schema
 * validation with ajv, and problems anchored to the offending range of the text.
 */
export interface SpecDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Character offsets into the spec text. */
  readonly start: number;
  readonly end: number;
  readonly path: JsonPath;
}

export interface ValidationContext {
  /** Spec file path, for the default name. */
  readonly file?: string;
  /** Folder relative paths in the spec resolve against. */
  readonly baseDir: string;
}

/** A compiled schema validator, built on first use. */
export function lazyValidator(build: () => JsonSchema): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => (compiled ??= new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true }).compile(build()));
}

/** `strategy.population`, `objectives[0].metric` */
export function formatPath(path: JsonPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || 'the spec';
}

export type ParsedSpec =
  | { readonly ok: true; readonly value: Record<string, unknown>; readonly anchor: Anchor }
  | { readonly ok: false; readonly diagnostics: readonly SpecDiagnostic[] };

/**
 * Parses spec text and checks it against a schema: JSON syntax errors, a root that is not an
 * object (`what` names the kind of spec) and schema violations come back as anchored diagnostics.
 */
export function parseSpecText(text: string, validator: ValidateFunction, what: string): ParsedSpec {
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: false, disallowComments: true });
  if (parseErrors.length > 0 || !root) {
    return {
      ok: false,
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
  if (root.type !== 'object') return { ok: false, diagnostics: [anchor.error(`${what} must be a JSON object`, [])] };
  const value = getNodeValue(root) as Record<string, unknown>;
  if (!validator(value)) return { ok: false, diagnostics: dedupe((validator.errors ?? []).map((e) => schemaDiagnostic(e, anchor))) };
  return { ok: true, value, anchor };
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Maps JSON paths to text ranges. */
export class Anchor {
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

  /**
   * A diagnostic for an error thrown while checking the component at `prefix`: SpecError at its
   * path, DataError at the option naming the file, any other NasError at the component's type.
   * Anything else is a bug and is rethrown.
   */
  fromError(e: unknown, prefix: JsonPath, options: unknown, baseDir: string): SpecDiagnostic {
    if (e instanceof SpecError) return this.error(e.message, [...prefix, ...e.path], e.atKey);
    if (e instanceof DataError) return this.error(e.message, fileOptionPath(options, e.file, baseDir, prefix));
    if (e instanceof NasError) return this.error(e.message, [...prefix, 'type']);
    throw e;
  }
}

/** Points a DataError about a file at the option whose value names that file. */
function fileOptionPath(options: unknown, file: string | undefined, baseDir: string, prefix: JsonPath): JsonPath {
  const walk = (value: unknown, path: JsonPath): JsonPath | undefined => {
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
  return walk(options, prefix) ?? [...prefix, 'type'];
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
      const tag = String(p.tag ?? 'type');
      const list = (e.parentSchema as JsonSchema | undefined)?.oneOf?.map((s) => String(s.properties?.[tag]?.const)) ?? [];
      if (p.error === 'mapping') {
        return anchor.error(`unknown ${where} ${tag} ${JSON.stringify(p.tagValue)}; known ${tag}s: ${list.join(', ')}`, [...path, tag]);
      }
      return anchor.error(`${where} needs a "${tag}" (one of: ${list.join(', ')})`, path);
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

/** The spec's name: its `name`, else the file name without the spec suffix. */
export function defaultSpecName(name: string | undefined, file: string | undefined, suffix: RegExp, fallback: string): string {
  if (name !== undefined) return name;
  if (!file) return fallback;
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(suffix, '').replace(/\.json$/i, '');
}
