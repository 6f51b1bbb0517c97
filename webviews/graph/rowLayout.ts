/**
 * Layout for graphs in stages (OFA, supernets): the blocks of a stage side by side in a row,
 * stages one row below the other, and the nodes before and after them as rows of their own, so
 * a 28-node network reads like a page and fits a window instead of one tall column. Edges within
 * a row run straight; an edge to a later row drops below its row, runs along the gap and drops
 * into its target.
 */
import type { ArchGraph } from '../../contract/architecture';
import { nodeSize, type Box, type EdgeRoute, type GraphLayout, type MeasureText } from './layoutGraph';

const PAD = 12;
const NODE_GAP = 28;
const ROW_GAP = 34;
const GROUP_TOP = 26;
const GROUP_PAD = 12;

interface Row {
  readonly group?: string;
  readonly nodes: string[];
}

/** Consecutive nodes of one group, or consecutive ungrouped nodes, form a row. */
function rowsOf(graph: ArchGraph): Row[] {
  const rows: Row[] = [];
  for (const node of graph.nodes) {
    const last = rows.at(-1);
    if (last && last.group === node.group) last.nodes.push(node.id);
    else rows.push({ ...(node.group ? { group: node.group } : {}), nodes: [node.id] });
  }
  return rows;
}

export function layoutRows(graph: ArchGraph, measure: MeasureText): GraphLayout {
  const sizes = new Map(graph.nodes.map((n) => [n.id, nodeSize(n, measure)]));
  const nodes = new Map<string, Box>();
  const groups = new Map<string, Box>();
  const rowOf = new Map<string, number>();
  const rowBottoms: number[] = [];
  let y = PAD;
  let width = 0;
  rowsOf(graph).forEach((row, r) => {
    const grouped = row.group !== undefined;
    const top = y + (grouped ? GROUP_TOP : 0);
    const height = Math.max(...row.nodes.map((id) => sizes.get(id)!.height));
    let x = PAD + (grouped ? GROUP_PAD : 0);
    for (const id of row.nodes) {
      const size = sizes.get(id)!;
      nodes.set(id, { x, y: top + (height - size.height) / 2, width: size.width, height: size.height });
      rowOf.set(id, r);
      x += size.width + NODE_GAP;
    }
    const right = x - NODE_GAP + (grouped ? GROUP_PAD : 0);
    const bottom = top + height + (grouped ? GROUP_PAD : 0);
    const label = graph.groups.find((g) => g.id === row.group)?.label ?? '';
    const boxWidth = Math.max(right - PAD, measure(label, 'edge') + 2 * GROUP_PAD);
    if (row.group !== undefined) groups.set(row.group, { x: PAD, y, width: boxWidth, height: bottom - y });
    width = Math.max(width, PAD + (grouped ? boxWidth : right - PAD) + PAD);
    rowBottoms.push(bottom);
    y = bottom + ROW_GAP;
  });
  const edges = new Map<string, EdgeRoute>();
  for (const edge of graph.edges) {
    const s = nodes.get(edge.source);
    const t = nodes.get(edge.target);
    if (!s || !t) continue;
    const [rs, rt] = [rowOf.get(edge.source)!, rowOf.get(edge.target)!];
    const sy = s.y + s.height / 2;
    const ty = t.y + t.height / 2;
    if (rs === rt && t.x >= s.x + s.width) {
      edges.set(edge.id, { points: [[s.x + s.width, sy], [t.x, ty]] });
    } else if (rt > rs) {
      const gap = rowBottoms[rt - 1] + ROW_GAP / 2;
      const [sx, tx] = [s.x + s.width / 2, t.x + t.width / 2];
      edges.set(edge.id, { points: [[sx, s.y + s.height], [sx, gap], [tx, gap], [tx, t.y]] });
    } else {
      // Backwards within a row or to an earlier row (not in staged networks): over the top.
      const over = Math.min(s.y, t.y) - 8;
      edges.set(edge.id, { points: [[s.x + s.width / 2, s.y], [s.x + s.width / 2, over], [t.x + t.width / 2, over], [t.x + t.width / 2, t.y]] });
    }
  }
  return { width, height: y - ROW_GAP + PAD, nodes, groups, edges };
}
