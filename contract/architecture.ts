/**
 * Architectures as the engine, the editor and the webviews exchange them: the JSON form every
 * space writes, and the generic graph the graph view draws (converters live in server/graphs).
 */

/** A JSON-serializable, human-readable architecture (what results, exports and graphs show). */
export type ArchJson = { readonly space: string } & Readonly<Record<string, unknown>>;

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
