import type { ArchGraph, NodeMetrics } from '../../contract/architecture';
/**
 * A generic architecture graph: what the graph webview draws. Converters in this folder turn
 * any ArchJson into one, so the browser code never needs to know about search spaces.
 */

export interface ArchGraphOptions {
  /** Per-node metrics (e.g. latency from a lookup table) keyed by node id; they override computed ones. */
  readonly details?: Readonly<Record<string, NodeMetrics>>;
  /** Show every searchable choice with the active path highlighted. */
  readonly supernet?: boolean;
}

const metricKeys = ['params', 'flops', 'latencyMs'] as const;

/** Overlays caller-supplied metrics onto computed ones and fills in the totals. */
export function finishGraph(
  graph: Omit<ArchGraph, 'totals'>,
  details: Readonly<Record<string, NodeMetrics>> | undefined,
): ArchGraph {
  const nodes = details
    ? graph.nodes.map((n) => (details[n.id] ? { ...n, metrics: { ...n.metrics, ...details[n.id] } } : n))
    : graph.nodes;
  // Tensors (input, output, NAS-Bench-201 feature maps) cost nothing; every other active node must
  // know a metric for its total to mean anything.
  const computing = nodes.filter((n) => !n.inactive && n.kind !== 'input' && n.kind !== 'output' && n.kind !== 'tensor');
  const totals: { -readonly [K in keyof NodeMetrics]: number } = {};
  for (const key of metricKeys) {
    if (computing.length > 0 && computing.every((n) => n.metrics[key] !== undefined)) {
      totals[key] = computing.reduce((sum, n) => sum + (n.metrics[key] ?? 0), 0);
    }
  }
  return { ...graph, nodes, totals };
}

/** Multiply-accumulates and weights of a k×k convolution. */
export function convCost(
  kernel: number,
  inChannels: number,
  outChannels: number,
  outHeight: number,
  outWidth: number,
  options: { groups?: number; bias?: boolean } = {},
): Required<Pick<NodeMetrics, 'params' | 'flops'>> {
  const groups = options.groups ?? 1;
  const weights = kernel * kernel * (inChannels / groups) * outChannels;
  return {
    params: weights + (options.bias ? outChannels : 0),
    flops: weights * outHeight * outWidth,
  };
}
