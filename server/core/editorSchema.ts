import type { JsonSchema } from './jsonSchema';

/** What the editor's schema keeps: guidance (completion, hovers); the engine alone judges values. */
type Guide = Record<string, unknown>;

/**
 * The schema VS Code is given for spec files (package.json `jsonValidation`): the same
 * properties, descriptions, defaults and value suggestions as the engine's schema, but no
 * keyword that rejects anything. The engine reports every problem itself, once, with its range
 * and quick fixes; VS Code's JSON service validating the same rules would show each problem twice.
 *
 * `enum` values become `examples` (still offered as completions); a `oneOf` discriminated by
 * `type` becomes `if type is X then these properties` branches, so completion and hovers still
 * follow the chosen type and an unknown type is not a second error.
 */
export function editorSchema(schema: JsonSchema): Guide {
  const out: Guide = {};
  for (const key of ['$schema', '$id', 'title', 'description', 'markdownDescription', 'default', 'examples'] as const) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  if (schema.enum) out.examples = [...schema.enum];
  if (schema.const !== undefined) out.examples = [schema.const];
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, editorSchema(v)]));
  if (schema.items) out.items = editorSchema(schema.items);
  const tag = schema.discriminator?.propertyName;
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives && tag) {
    const types = alternatives.map((a) => a.properties?.[tag]?.const).filter((t) => t !== undefined);
    const tagProperty: Guide = { description: schema.description, examples: types };
    out.properties = { ...(out.properties as Guide | undefined), [tag]: tagProperty };
    out.allOf = alternatives.map((a) => {
      const value = a.properties?.[tag]?.const;
      const { [tag]: described, ...rest } = a.properties ?? {};
      return {
        if: { properties: { [tag]: { const: value } }, required: [tag] },
        then: { ...(a.description ? { description: a.description } : {}), properties: { [tag]: editorSchema({ ...described, const: undefined }), ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, editorSchema(v)])) } },
      };
    });
  } else if (alternatives) {
    out.anyOf = [...alternatives.map(editorSchema), {}];
  }
  return out;
}
