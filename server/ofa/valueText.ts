/**
 * A value read from a reference file as an error message shows it: numbers as JavaScript prints
 * them (NaN, Infinity and -601 stay readable, where JSON would print null), a missing value as
 * "nothing", anything else as JSON.
 */
export function valueText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}
