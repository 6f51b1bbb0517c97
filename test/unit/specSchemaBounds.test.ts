// Every number, list and string of a spec has an upper bound (issue 11): a typo such as an extra
// zero or 1e308 is an error at its position, never a run that does not end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonSchema } from '../../server/core/jsonSchema';
import { buildExperimentSchema } from '../../server/experiment/schema';
import { buildEnsembleSchema } from '../../server/ensemble/ensembleSchema';
import { buildQuantizationSchema } from '../../server/quantize/quantizationSpec';
import { buildScalingSchema } from '../../server/scaling/scalingSchema';
import { buildSupernetSchema } from '../../server/supernet/supernetSchema';

/** Schema locations (as `properties/budget/properties/trials`) of values without an upper bound. */
function unbounded(schema: JsonSchema, at = ''): string[] {
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  const problems: string[] = [];
  const fixed = schema.enum !== undefined || schema.const !== undefined;
  if (!fixed && (types.includes('number') || types.includes('integer')) && schema.maximum === undefined && schema.exclusiveMaximum === undefined) {
    problems.push(`${at} (number without a maximum)`);
  }
  if (types.includes('array') && schema.maxItems === undefined) problems.push(`${at} (list without maxItems)`);
  if (!fixed && types.includes('string') && schema.maxLength === undefined) problems.push(`${at} (string without maxLength)`);
  for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...unbounded(child, `${at}/properties/${key}`));
  if (schema.items) problems.push(...unbounded(schema.items, `${at}/items`));
  (schema.oneOf ?? []).forEach((s, i) => problems.push(...unbounded(s, `${at}/oneOf/${i}`)));
  (schema.anyOf ?? []).forEach((s, i) => problems.push(...unbounded(s, `${at}/anyOf/${i}`)));
  return problems;
}

/**
 * Constraint bounds are compared with metric values, never used as a count or a size: any
 * finite number is meaningful (the parser rejects infinite ones).
 */
const COMPARED_ONLY = ['/properties/constraints/items/properties/min', '/properties/constraints/items/properties/max'];

test('every number, list and string of an experiment spec has an upper bound', () => {
  const problems = unbounded(buildExperimentSchema()).filter((p) => !COMPARED_ONLY.some((c) => p.startsWith(`${c} `)));
  assert.deepEqual(problems, []);
});

test('every number, list and string of a supernet spec has an upper bound', () => {
  assert.deepEqual(unbounded(buildSupernetSchema()), []);
});

test('every number, list and string of a scaling or ensemble spec has an upper bound', () => {
  assert.deepEqual(unbounded(buildScalingSchema()), []);
  assert.deepEqual(unbounded(buildEnsembleSchema()), []);
});

test('every number, list and string of a quantization spec has an upper bound', () => {
  assert.deepEqual(unbounded(buildQuantizationSchema()), []);
});

test('the walk finds what it looks for', () => {
  assert.deepEqual(unbounded({ type: 'object', properties: { n: { type: 'integer' }, l: { type: 'array', items: { type: 'string', enum: ['a'] } } } }), [
    '/properties/n (number without a maximum)',
    '/properties/l (list without maxItems)',
  ]);
});
