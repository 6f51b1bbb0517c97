import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { applyEdits, getNodeValue, modify, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { extname, isAbsolute, resolve } from 'node:path';
import { DataError, MissingFileError, NasError, SpecError, type JsonPath } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import type { EarlierRuns } from '../runs/earlierRuns';
import { didYouMean } from '../core/didYouMean';
import { formatPath, limitDiagnostics, quoted, type SpecDiagnostic, type SpecFix } from './specDiagnostic';
import { precheckSpecText } from './specPrecheck';
import { checkSpecTree } from './specTreeChecks';

/*
 * What every kind of spec file (`*.nas.json`, `*.supernet.json`) shares: JSONC parsing within
 * limits, schema validation with ajv, and problems anchored to the offending range of the text.
 */

export { formatPath, type SpecDiagnostic } from './specDiagnostic';
export { LineIndex } from './lineIndex';

export interface ValidationContext {
  /** Spec file path, for the default name. */
  readonly file?: string;
  /** Folder relative paths in the spec resolve against. */
  readonly baseDir: string;
  /** The runs of the store the run would be created in (a spec may name them, e.g. as warm starts). */
  readonly runs?: EarlierRuns;
}

/**
 * A compiled schema validator, built on first use. `strictNumbers` rejects Infinity and NaN,
 * which `strict: false` (needed for the editor-only keywords in the schema) would let through.
 */
export function lazyValidator(build: () => JsonSchema): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => (compiled ??= new Ajv({ allErrors: true, discriminator: true, strict: false, strictNumbers: true, verbose: true }).compile(build()));
}

/** Spec files are JSON with comments and trailing commas, as the editor treats them. */
const JSONC = { allowTrailingComma: true, disallowComments: false };

export interface ParsedSpecText {
  readonly ok: true;
  readonly value: Record<string, unknown>;
  readonly anchor: Anchor;
  /** Problems that do not stop the spec (duplicate keys). */
  readonly warnings: readonly SpecDiagnostic[];
}

/** A spec that failed: its problems, and when it is JSON that only the schema rejected, its value for the checks that can still run. */
export type ParsedSpec = ParsedSpecText | { readonly ok: false; readonly diagnostics: readonly SpecDiagnostic[]; readonly partial?: { readonly value: Record<string, unknown>; readonly anchor: Anchor } };

/**
 * Parses spec text (JSONC, possibly after a byte order mark) and checks it against a schema. A
 * spec over the size or nesting limits, JSON syntax errors, numbers that overflow, a root that
 * is not an object (`what` names the kind of spec) and schema violations come back as anchored
 * diagnostics; duplicate keys as warnings.
 */
export function parseSpecText(text: string, validator: ValidateFunction, what: string): ParsedSpec {
  const failed = (diagnostics: readonly SpecDiagnostic[]): ParsedSpec => ({ ok: false, diagnostics: limitDiagnostics(diagnostics) });
  const source = withoutByteOrderMark(text);
  const overLimit = precheckSpecText(source);
  if (overLimit) return failed([overLimit]);
  const parseErrors: ParseError[] = [];
  const root = parseTree(source, parseErrors, JSONC);
  if (parseErrors.length > 0 || !root) {
    return failed(
      parseErrors.map((e) => ({
        severity: 'error',
        message: `JSON syntax: ${describeParseError(printParseErrorCode(e.error))}`,
        start: e.offset,
        end: e.offset + Math.max(1, e.length),
        path: [],
      })),
    );
  }
  const { errors, warnings } = checkSpecTree(root, source);
  if (errors.length > 0) return failed([...errors, ...warnings]);
  const anchor = new Anchor(root, source);
  if (root.type !== 'object') return failed([anchor.error(`${what} must be a JSON object`, []), ...warnings]);
  const value = getNodeValue(root) as Record<string, unknown>;
  if (!validator(value)) return { ...failed([...dedupe((validator.errors ?? []).map((e) => schemaDiagnostic(e, anchor))), ...warnings]), partial: { value, anchor } } as ParsedSpec;
  return { ok: true, value, anchor, warnings };
}

/** The text with a leading byte order mark replaced by a space, which keeps every offset (and so every reported position) where it was. */
function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

/**
 * The spec text with a top-level key set (`--seed`), comments and layout kept. Text that is not
 * a well-formed object within the limits is returned unchanged, for validation to report as it is.
 */
export function setTopLevelKey(text: string, key: string, value: unknown): string {
  const source = withoutByteOrderMark(text);
  if (precheckSpecText(source)) return text;
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, JSONC);
  if (root?.type !== 'object' || errors.length > 0) return text;
  // The value that counts is the last one (the editor's `modify` would change the first).
  const last = root.children?.filter((p) => p.children?.[0].value === key).at(-1)?.children?.[1];
  if (last) return text.slice(0, last.offset) + JSON.stringify(value) + text.slice(last.offset + last.length);
  return applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
}

/** A validation's result with the parser's warnings added and the list of problems capped. */
export function withParseWarnings<T extends { readonly diagnostics: readonly SpecDiagnostic[] }>(parsed: ParsedSpecText, result: T): T {
  return { ...result, diagnostics: limitDiagnostics([...result.diagnostics, ...parsed.warnings]) };
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

  /** The node at `path`, or at its longest prefix that exists. */
  node(path: JsonPath): Node {
    let node = this.root;
    for (const segment of path) {
      const child = childNode(node, segment);
      if (!child) break;
      node = child;
    }
    return node;
  }

  diagnostic(severity: 'error' | 'warning', message: string, path: JsonPath, atKey = false): SpecDiagnostic {
    let node: Node | undefined = this.node(path);
    if (atKey && node?.parent?.type === 'property') node = node.parent.children?.[0];
    if (node?.type === 'object' && node.parent?.type === 'property') node = node.parent.children?.[0];
    if (node?.type === 'object' && !node.parent) return { severity, message, start: node.offset, end: node.offset + 1, path };
    return { severity, message, start: node?.offset ?? 0, end: (node?.offset ?? 0) + (node?.length ?? 1), path };
  }

  error(message: string, path: JsonPath, atKey = false): SpecDiagnostic {
    return this.diagnostic('error', message, path, atKey);
  }

  /** An error whose text at `path` should read `suggestion` (a JSON value): "did you mean …" with its quick fix. */
  misspelt(message: string, path: JsonPath, candidates: readonly string[], atKey = false): SpecDiagnostic {
    const diagnostic = this.error(message, path, atKey);
    const guess = didYouMean(this.text.slice(diagnostic.start, diagnostic.end).replace(/^"|"$/g, ''), candidates);
    if (!guess) return diagnostic;
    const fix: SpecFix = { title: `Change to ${JSON.stringify(guess)}`, start: diagnostic.start, end: diagnostic.end, text: JSON.stringify(guess) };
    return { ...diagnostic, message: `${message} (did you mean ${JSON.stringify(guess)}?)`, fixes: [fix] };
  }

  /**
   * A diagnostic for an error thrown while checking the component at `prefix`: SpecError at its
   * path, DataError at the option naming the file, any other NasError at the component's type.
   * Anything else is a bug and is rethrown.
   */
  fromError(e: unknown, prefix: JsonPath, options: unknown, baseDir: string): SpecDiagnostic {
    if (e instanceof SpecError) return this.error(e.message, [...prefix, ...e.path], e.atKey);
    if (e instanceof MissingFileError) {
      const optionPath = fileOptionPath(options, e.file, baseDir, prefix);
      const choose = e.file && extname(e.file) === '' ? 'folder' : 'file';
      return { ...this.error(e.message, optionPath), fixes: [{ title: choose === 'file' ? 'Choose File…' : 'Choose Folder…', choose, optionPath }] };
    }
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

/**
 * A property's value or an array's element. With a duplicate key the last one counts, as in
 * the value the schema validated (jsonc-parser's findNodeAtLocation would pick the first).
 */
function childNode(node: Node, segment: string | number): Node | undefined {
  if (typeof segment === 'number') return node.type === 'array' ? node.children?.[segment] : undefined;
  if (node.type !== 'object') return undefined;
  let found: Node | undefined;
  for (const property of node.children ?? []) {
    if (property.children?.[0].value === segment && property.children.length === 2) found = property.children[1];
  }
  return found;
}

function pathOf(instancePath: string, value: Node): JsonPath {
  const out: (string | number)[] = [];
  let node: Node | undefined = value;
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = node?.type === 'array' ? Number(seg) : seg;
    out.push(key);
    node = node ? childNode(node, key) : undefined;
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
      return anchor.misspelt(`unknown key ${quoted(key)} in ${where}; allowed keys: ${allowed.join(', ')}`, [...path, key], allowed, true);
    }
    case 'required':
      return anchor.error(`${where} is missing the required key "${String(p.missingProperty)}"`, path);
    case 'discriminator': {
      const tag = String(p.tag ?? 'type');
      const list = (e.parentSchema as JsonSchema | undefined)?.oneOf?.map((s) => String(s.properties?.[tag]?.const)) ?? [];
      if (p.error === 'mapping') {
        return anchor.misspelt(`unknown ${where} ${tag} ${JSON.stringify(p.tagValue)}; known ${tag}s: ${list.join(', ')}`, [...path, tag], list);
      }
      return anchor.error(`${where} needs a "${tag}" (one of: ${list.join(', ')})`, path);
    }
    case 'type':
      return anchor.error(`${where} must be ${article(String(p.type))}`, path);
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      const message = `${where} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
      return typeof e.data === 'string' ? anchor.misspelt(message, path, allowed.filter((v): v is string => typeof v === 'string')) : anchor.error(message, path);
    }
    case 'const':
      return anchor.error(`${where} must be ${JSON.stringify(p.allowedValue)}`, path);
    case 'minimum':
    case 'maximum': {
      const diagnostic = anchor.error(`${where} must be ${String(p.comparison)} ${String(p.limit)} (got ${JSON.stringify(e.data)})`, path);
      return { ...diagnostic, fixes: [{ title: `Change to ${String(p.limit)} (the ${e.keyword})`, start: diagnostic.start, end: diagnostic.end, text: String(p.limit) }] };
    }
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return anchor.error(`${where} must be ${String(p.comparison)} ${String(p.limit)} (got ${JSON.stringify(e.data)})`, path);
    case 'minItems':
      return anchor.error(`${where} needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, path);
    case 'maxItems':
      return anchor.error(`${where} has ${(e.data as unknown[]).length} items; at most ${String(p.limit)} are allowed`, path);
    case 'pattern': {
      const explained = (e.parentSchema as JsonSchema | undefined)?.patternErrorMessage;
      return anchor.error(`${where} ${explained ?? `must match ${String(p.pattern)}`}`, path);
    }
    case 'maxLength':
      return anchor.error(`${where} is ${(e.data as string).length} characters long; at most ${String(p.limit)} are allowed`, path);
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

/** The spec's name: its `name`, else the file name without the spec suffix. */
export function defaultSpecName(name: string | undefined, file: string | undefined, suffix: RegExp, fallback: string): string {
  if (name !== undefined) return name;
  if (!file) return fallback;
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(suffix, '').replace(/\.json$/i, '');
}
