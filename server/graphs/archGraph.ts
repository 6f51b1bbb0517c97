/**
 * A generic architecture graph: what the graph webview draws. Converters in this folder turn
 * any ArchJson into one, so the browser code never needs to know about search spaces.
 */

/** Costs of one node (or a whole network); every field is optional because not all are known. */
export interface NodeMetrics {
  /** Trainable and non-trainable weights. */
  readonly params?: number;
  /** Multiply-accumulate operations for one input (the convention OFA and NAS-Bench-201 report as FLOPs). */
  readonly flops?: number;
  readonly latencyMs?: number;
}

/** One option of an elastic or searchable choice, e.g. kernel size 5 of {3, 5, 7}. */
export interface ChoiceOption {
  readonly label: string;
  readonly active: boolean;
}

export interface NodeChoice {
  readonly name: string;
  readonly options: readonly ChoiceOption[];
}

export interface ArchNode {
  /** Stable id; callers pass per-node metrics keyed by it. */
  readonly id: string;
  readonly label: string;
  /** Second line, e.g. "k5 · e4" or an output shape. */
  readonly sublabel?: string;
  /** Drawing category; the webview styles nodes by it. */
  readonly kind: 'input' | 'output' | 'conv' | 'block' | 'pool' | 'dense' | 'op' | 'tensor' | 'other';
  readonly group?: string;
  /** Skipped block, or a supernet path the architecture does not use. */
  readonly inactive?: boolean;
  readonly metrics: NodeMetrics;
  /** Extra facts for the tooltip, in display order. */
  readonly attributes: readonly (readonly [string, string])[];
  /** Searchable choices at this node, with the chosen one marked (supernet view). */
  readonly choices?: readonly NodeChoice[];
}

export interface ArchEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  /** Drawn dashed: a `none` operation, or a bypass around skipped blocks. */
  readonly inactive?: boolean;
}

/** A box around nodes, e.g. an OFA stage. */
export interface ArchGroup {
  readonly id: string;
  readonly label: string;
}

export interface ArchGraph {
  readonly space: string;
  readonly title: string;
  /** Main flow direction of the layout. */
  readonly direction: 'down' | 'right';
  readonly nodes: readonly ArchNode[];
  readonly edges: readonly ArchEdge[];
  readonly groups: readonly ArchGroup[];
  /** Sum over active nodes of each metric known for every active node. */
  readonly totals: NodeMetrics;
}

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
