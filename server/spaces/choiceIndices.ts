import { SpecError } from '../core/errors';

/**
 * Parses an architecture field that lists one value per position (e.g. a kernel size per block)
 * into choice indices; a wrong length or an unknown value is a SpecError at the field or item.
 */
export function choiceIndices(value: unknown, choices: readonly number[], length: number, field: string): number[] {
  if (!Array.isArray(value) || value.length !== length) {
    throw new SpecError(`${field} must be a list of ${length} values from {${choices.join(', ')}}`, [field]);
  }
  return value.map((v, i) => {
    const index = choices.indexOf(v as number);
    if (index < 0) throw new SpecError(`${field}[${i}] must be one of ${choices.join(', ')}; got ${JSON.stringify(v)}`, [field, i]);
    return index;
  });
}
