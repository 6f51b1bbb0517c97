import { isAbsolute, resolve } from 'node:path';
import type { JsonSchema } from '../core/jsonSchema';
import { SpecError } from '../core/errors';
import { defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext } from '../experiment/specText';
import type { EfficiencySpec } from '../ofa/efficiencyModel';
import { createFinder, DEFAULT_FINDER, finderSchema, type FinderSpec } from './finders';
import type { SpecializationRequest } from './specialize';

/** Most limits one sweep may have: each is a search of its own. */
export const MAX_LIMITS = 1000;

/** A specialization run's resolved spec: absolute file paths, defaults filled in. */
export interface SpecializationSpec {
  readonly name: string;
  /** Accuracy predictor weights (OFA's acc_predictor.json format). */
  readonly predictor: string;
  readonly efficiency: EfficiencySpec;
  /** Upper bounds on the efficiency metric (ms with a LUT, MFLOPs otherwise); one search each. */
  readonly limits: readonly number[];
  readonly seed: number;
  /** Input resolutions to search (default: the ones OFA's predictor knows). */
  readonly resolutions?: readonly number[];
  readonly finder: FinderSpec;
}

const path = { type: 'string', minLength: 1 } as const;

function buildSchema(): JsonSchema {
  return {
    type: 'object',
    required: ['predictor', 'efficiency', 'limits'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', minLength: 1 },
      predictor: { ...path, description: 'Accuracy predictor weights (acc_predictor.json format).' },
      efficiency: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [
          { type: 'object', required: ['kind', 'dir'], additionalProperties: false, properties: { kind: { const: 'lut' }, dir: path } },
          { type: 'object', required: ['kind', 'path'], additionalProperties: false, properties: { kind: { const: 'flops-table' }, path } },
          { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { const: 'flops' } } },
        ],
      },
      limits: { type: 'array', minItems: 1, maxItems: MAX_LIMITS, items: { type: 'number', exclusiveMinimum: 0, maximum: 1e6 } },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
      resolutions: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'integer', minimum: 32, maximum: 1024 } },
      finder: { type: 'object', required: ['type'], discriminator: { propertyName: 'type' }, oneOf: finderSchema.oneOf },
    },
  };
}

const schemaValidator = lazyValidator(buildSchema);

/**
 * Validates a specialization spec (built by the CLI or the editor from their inputs): its shape,
 * finite positive limits and the finder's options. Relative paths resolve against `baseDir`;
 * whether the files hold what they should is checked when the run is created (preflight).
 */
export function validateSpecializationText(text: string, context: ValidationContext): { spec?: SpecializationSpec; diagnostics: readonly SpecDiagnostic[] } {
  const parsed = parseSpecText(text, schemaValidator(), 'a specialization spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as { name?: string; predictor: string; efficiency: EfficiencySpec; limits: number[]; seed?: number; resolutions?: number[]; finder?: FinderSpec };
  const diagnostics: SpecDiagnostic[] = [];
  raw.limits.forEach((limit, i) => {
    if (!Number.isFinite(limit)) diagnostics.push(parsed.anchor.error(`limit must be a finite number, got ${limit}`, ['limits', i]));
  });
  const finder = raw.finder ?? DEFAULT_FINDER;
  try {
    createFinder(finder);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    diagnostics.push(parsed.anchor.error(e.message, e.path, e.atKey));
  }
  if (diagnostics.length > 0) return { diagnostics };
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(context.baseDir, p));
  const efficiency: EfficiencySpec =
    raw.efficiency.kind === 'lut' ? { kind: 'lut', dir: absolute(raw.efficiency.dir) } : raw.efficiency.kind === 'flops-table' ? { kind: 'flops-table', path: absolute(raw.efficiency.path) } : { kind: 'flops' };
  const name = raw.name ?? defaultSpecName(undefined, context.file, /\.specialize\.json$/i, `ofa-${raw.limits.join('-')}${efficiency.kind === 'lut' ? 'ms' : 'mflops'}`.slice(0, 60));
  return {
    diagnostics,
    spec: { name, predictor: absolute(raw.predictor), efficiency, limits: raw.limits, seed: raw.seed ?? 0, ...(raw.resolutions ? { resolutions: raw.resolutions } : {}), finder },
  };
}

/** What specialize()/searchLimit() take. */
export function specializationRequest(spec: SpecializationSpec): SpecializationRequest {
  return { predictor: spec.predictor, efficiency: spec.efficiency, limits: spec.limits, seed: spec.seed, finder: spec.finder, ...(spec.resolutions ? { resolutions: spec.resolutions } : {}) };
}
