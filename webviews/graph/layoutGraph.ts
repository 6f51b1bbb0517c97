/**
 * Layered layout of an ArchGraph with elkjs (the bundled build runs in the page without a
 * worker and without eval, so it holds under the webview CSP). Node sizes come from measured
 * text; all coordinates are absolute (ELK's ROOT coordinate mode).
 */
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { ArchGraph, ArchNode } from '../../contract/architecture';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgeRoute {
  readonly points: readonly (readonly [number, number])[];
  readonly label?: Box;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, Box>;
  readonly groups: ReadonlyMap<string, Box>;
  readonly edges: ReadonlyMap<string, EdgeRoute>;
}

export type MeasureText = (text: string, font: 'label' | 'sublabel' | 'chip' | 'edge') => number;

/** Node geometry shared by layout and drawing. */
export const nodeMetrics = {
  padX: 12,
  accent: 4,
  labelLine: 18,
  sublabelLine: 15,
  chipLine: 19,
  chipGap: 4,
  chipPad: 5,
  padY: 8,
} as const;

export function chipWidth(text: string, measure: MeasureText): number {
  return measure(text, 'chip') + 2 * nodeMetrics.chipPad;
}

/** Width of the widest choice name of a node, so its chip rows line up. */
export function choiceNameWidth(node: ArchNode, measure: MeasureText): number {
  return Math.max(0, ...(node.choices ?? []).map((c) => measure(c.name, 'chip')));
}

export function nodeSize(node: ArchNode, measure: MeasureText): { width: number; height: number } {
  const m = nodeMetrics;
  const lines = [measure(node.label, 'label'), node.sublabel ? measure(node.sublabel, 'sublabel') : 0];
  const names = choiceNameWidth(node, measure);
  const chipRows = (node.choices ?? []).map(
    (choice) => names + m.chipGap + choice.options.reduce((w, o) => w + chipWidth(o.label, measure) + m.chipGap, 0),
  );
  const width = Math.ceil(Math.max(96, ...lines, ...chipRows) + 2 * m.padX + m.accent);
  const height = m.padY * 2 + m.labelLine + (node.sublabel ? m.sublabelLine : 0) + (node.choices?.length ?? 0) * m.chipLine;
  return { width, height };
}

// Created when the view loads: this evaluates ELK's large compiled code once, before the host's
// first graph arrives (the host answers only after the view's `ready`).
const elk = new ELK();

export async function layoutGraph(graph: ArchGraph, measure: MeasureText): Promise<GraphLayout> {
  const toElk = (node: ArchNode): ElkNode => ({ id: node.id, ...nodeSize(node, measure) });
  const grouped = new Map<string, ElkNode[]>(graph.groups.map((g) => [g.id, []]));
  const top: ElkNode[] = [];
  for (const node of graph.nodes) (node.group ? grouped.get(node.group) : undefined)?.push(toElk(node)) ?? top.push(toElk(node));
  const children: ElkNode[] = [
    ...top,
    ...graph.groups.map(
      (g): ElkNode => ({
        id: `group:${g.id}`,
        children: grouped.get(g.id) ?? [],
        // The group's title is an ELK label so the box grows to fit it.
        labels: [{ text: g.label, width: Math.ceil(measure(g.label, 'edge')) + 8, height: 14 }],
        layoutOptions: {
          'elk.padding': '[top=26,left=12,bottom=12,right=12]',
          'elk.nodeLabels.placement': 'INSIDE V_TOP H_LEFT',
          'elk.nodeSize.constraints': 'NODE_LABELS',
        },
      }),
    ),
  ];
  const edges: ElkExtendedEdge[] = graph.edges.map((e) => ({
    id: e.id,
    sources: [e.source],
    targets: [e.target],
    ...(e.label ? { labels: [{ text: e.label, width: measure(e.label, 'edge') + 8, height: 16 }] } : {}),
  }));
  const input: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': graph.direction === 'down' ? 'DOWN' : 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.spacing.nodeNode': '20',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      // Keep the declared node order within a layer, e.g. NAS-Bench-201 candidate operations.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      'elk.json.edgeCoords': 'ROOT',
      'elk.json.shapeCoords': 'ROOT',
    },
    children,
    edges,
  };
  const result: ElkNode = await elk.layout(input);
  const nodes = new Map<string, Box>();
  const groups = new Map<string, Box>();
  const visit = (node: ElkNode) => {
    const box = { x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 };
    if (node.id.startsWith('group:')) groups.set(node.id.slice('group:'.length), box);
    else if (node.id !== 'root') nodes.set(node.id, box);
    node.children?.forEach(visit);
  };
  visit(result);
  const routes = new Map<string, EdgeRoute>();
  const collect = (node: ElkNode) => {
    for (const edge of node.edges ?? []) {
      const points = (edge.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => [p.x, p.y] as const));
      const label = edge.labels?.[0];
      routes.set(edge.id, {
        points,
        ...(label ? { label: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
      });
    }
    node.children?.forEach(collect);
  };
  collect(result);
  return { width: result.width ?? 0, height: result.height ?? 0, nodes, groups, edges: routes };
}
