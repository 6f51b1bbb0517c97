/**
 * What a HAQ quantization run is asked for, as the CLI, the editor and the engine agree on it:
 * the model, the quantizer and the hardware budget, with the budget's one-line text form
 * (`size:0.25`, `bitops:w4a4`, `latency:TABLE:12.5`).
 */

/** What the budget limits: weight bits (model size), bit operations, or latency from a lookup table. */
export type CostKind = 'size' | 'bitops' | 'latency';

/**
 * The limit: a fraction of the float32 model's cost (size, BitOps), milliseconds (latency), or
 * the cost of a uniform policy (weights and activations at these bits; first and last layers 8).
 */
export type BudgetTarget =
  | { readonly fraction: number }
  | { readonly ms: number }
  | { readonly uniform: { readonly weight: number; readonly activation: number } };

export interface BudgetSpec {
  readonly kind: CostKind;
  /** The latency lookup table file (latency budgets). */
  readonly table?: string;
  readonly target: BudgetTarget;
}

/** Linear: weights and activations on uniform grids. k-means: weights only, a codebook per layer. */
export type QuantizerKind = 'linear' | 'kmeans';

/** Which model to quantize: a TF.js Layers model folder (an exported sub-network is one), or a search's trial. */
export type ModelSource = { readonly type: 'folder'; readonly dir: string } | { readonly type: 'trial'; readonly run: string; readonly trial: number | 'best' };

const UNIFORM = /^w(\d+)(?:a(\d+))?$/;

/**
 * `size:0.25` (a quarter of the float32 weights), `size:w4` (as large as uniform 4-bit weights),
 * `bitops:w4a4`, `bitops:0.02`, `latency:TABLE:12.5` (ms), `latency:TABLE:w4a8`. The table path may
 * itself contain ':'. Returns the problem as text when the budget is malformed.
 */
export function parseBudget(text: string): BudgetSpec | string {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  const kind = text.slice(0, first);
  if (first < 0 || (kind !== 'size' && kind !== 'bitops' && kind !== 'latency')) return 'the budget is size:..., bitops:... or latency:TABLE:...';
  if (kind === 'latency' && last === first) return 'a latency budget is latency:TABLE:MS or latency:TABLE:wNaM';
  if (kind !== 'latency' && last !== first) return `a ${kind} budget is ${kind}:FRACTION or ${kind}:wNaM`;
  const value = text.slice(last + 1).trim();
  const uniform = UNIFORM.exec(value);
  const table = kind === 'latency' ? { table: text.slice(first + 1, last) } : {};
  if (kind === 'latency' && table.table === '') return 'the latency budget names no lookup table';
  if (uniform) {
    const weight = Number(uniform[1]);
    const activation = uniform[2] === undefined ? 8 : Number(uniform[2]);
    if (!(weight >= 1 && weight <= 16 && activation >= 1 && activation <= 16)) return `uniform bits must be 1..16, got ${value}`;
    return { kind, ...table, target: { uniform: { weight, activation } } };
  }
  const number = Number(value);
  if (value === '' || !Number.isFinite(number) || number <= 0) return `the budget's value must be a positive number or wNaM, got "${value}"`;
  if (kind === 'latency') return { kind, ...table, target: { ms: number } };
  if (number > 1) return `a ${kind} budget is a fraction of the float32 model's (at most 1), got ${number}`;
  return { kind, target: { fraction: number } };
}

/** The text parseBudget reads back. */
export function formatBudget(budget: BudgetSpec): string {
  const t = budget.target;
  const value = 'fraction' in t ? String(t.fraction) : 'ms' in t ? String(t.ms) : `w${t.uniform.weight}a${t.uniform.activation}`;
  return budget.kind === 'latency' ? `latency:${budget.table}:${value}` : `${budget.kind}:${value}`;
}
