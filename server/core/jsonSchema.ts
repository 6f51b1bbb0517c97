/** The subset of JSON Schema (draft-07) the engine declares its spec with. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null' | readonly string[];
  description?: string;
  markdownDescription?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: readonly (string | number | boolean)[];
  const?: string | number | boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** What a value that does not match `pattern` must be (VS Code shows it; so do the engine's diagnostics). */
  patternErrorMessage?: string;
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  discriminator?: { propertyName: string };
  $ref?: string;
  $schema?: string;
  $id?: string;
  definitions?: Record<string, JsonSchema>;
  examples?: readonly unknown[];
}
