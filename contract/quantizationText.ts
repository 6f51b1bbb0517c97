/** How quantization costs and bit widths read, in the CLI, the editor and the report. */
import { formatCount, formatMs } from './format';
import type { CostKind } from './quantization';

/** A cost in its budget's unit: "61.2 kB" of weights, "1.2 GBitOps", "12.3 ms". */
export function formatCost(kind: CostKind, value: number): string {
  if (kind === 'size') return `${formatCount(value / 8)}B`;
  if (kind === 'bitops') return `${formatCount(value)}BitOps`;
  return formatMs(value);
}

/** "W4A8", "W3" (activations not quantized): one layer's bits. */
export function formatBits(bits: { readonly weight: number; readonly activation: number }): string {
  return bits.activation >= 32 ? `W${bits.weight}` : `W${bits.weight}A${bits.activation}`;
}
