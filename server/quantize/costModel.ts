/**
 * What a bit policy costs on the hardware the budget stands for: bits of weights (model size),
 * bit operations (multiply-accumulates x weight bits x activation bits), or latency summed from a
 * per-layer lookup table. The budget's target in the same unit follows from its spec.
 */
import type { BudgetSpec, CostKind } from '../../contract/quantization';
import { SpecError } from '../core/errors';
import { TABLE_BITS, type LatencyTable } from './latencyTable';
import { FLOAT_BITS, type LayerBits, type Policy, type QuantizableLayer } from './quantizableLayers';

export interface CostModel {
  readonly kind: CostKind;
  /** "bits", "bit operations", "ms". */
  readonly unit: string;
  /** Whether activation bits change the cost (not for model size). */
  readonly dependsOnActivations: boolean;
  cost(policy: Policy): number;
}

export function costModel(kind: CostKind, layers: readonly QuantizableLayer[], table?: LatencyTable): CostModel {
  switch (kind) {
    case 'size':
      return { kind, unit: 'bits', dependsOnActivations: false, cost: (policy) => policy.reduce((s, b, i) => s + b.weight * layers[i].weights, 0) };
    case 'bitops':
      return { kind, unit: 'bit operations', dependsOnActivations: true, cost: (policy) => policy.reduce((s, b, i) => s + layers[i].macs * b.weight * b.activation, 0) };
    case 'latency': {
      if (!table) throw new Error('a latency cost needs its lookup table');
      const entry = (i: number, b: LayerBits) => {
        if (b.weight > TABLE_BITS || b.activation > TABLE_BITS) throw new SpecError(`the latency table covers 1..${TABLE_BITS} bits; layer ${i} has W${b.weight}A${b.activation}`, ['budget']);
        return table.ms[i][b.weight - 1][b.activation - 1];
      };
      return { kind, unit: 'ms', dependsOnActivations: true, cost: (policy) => policy.reduce((s, b, i) => s + entry(i, b), 0) };
    }
  }
}

/** Weight size of a policy in bits (reported whatever the budget is). */
export function sizeBits(policy: Policy, layers: readonly QuantizableLayer[]): number {
  return costModel('size', layers).cost(policy);
}

export function bitOps(policy: Policy, layers: readonly QuantizableLayer[]): number {
  return costModel('bitops', layers).cost(policy);
}

/** The float32 model's policy: every weight and activation 32 bits. */
export function floatPolicy(layers: readonly QuantizableLayer[]): Policy {
  return layers.map(() => ({ weight: FLOAT_BITS, activation: FLOAT_BITS }));
}

/**
 * The budget in its cost model's unit: a fraction of the float32 model's cost, milliseconds, or
 * the cost of the uniform policy it names (built by `uniform`, which pins first and last layers).
 */
export function budgetTarget(budget: BudgetSpec, model: CostModel, layers: readonly QuantizableLayer[], uniform: (weight: number, activation: number) => Policy): number {
  const t = budget.target;
  if ('uniform' in t) return model.cost(uniform(t.uniform.weight, t.uniform.activation));
  if ('ms' in t) return t.ms;
  if (model.kind === 'latency') throw new SpecError('a latency budget is in milliseconds (latency:TABLE:MS) or a uniform policy (latency:TABLE:wNaM)', ['budget']);
  return t.fraction * model.cost(floatPolicy(layers));
}
