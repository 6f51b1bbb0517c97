/**
 * A small, self-contained SVG picture of an ArchGraph for hovers (embedded as a data: URI, so
 * no CSS variables and no scripts): the active nodes ranked by longest path, ranks laid out
 * left to right and wrapped into rows that snake, so consecutive ranks stay next to each other.
 * Edges between neighbouring ranks are straight; edges that skip ranks are arcs.
 */
import type { ArchGraph, ArchNode } from '../contract/architecture';

export interface MiniGraphPalette {
  readonly text: string;
  readonly muted: string;
  readonly edge: string;
  /** Behind edge labels so they stay readable over lines. */
  readonly halo: string;
  /** Node colour per kind; fills are drawn at `fillOpacity`. */
  readonly kinds: Readonly<Record<ArchNode['kind'], string>>;
  readonly fillOpacity: number;
}

const hues: MiniGraphPalette['kinds'] = {
  input: '#8b949e',
  output: '#8b949e',
  tensor: '#8b949e',
  other: '#8b949e',
  conv: '#4f8ff7',
  block: '#a371f7',
  pool: '#3fb950',
  dense: '#f0883e',
  op: '#db61a2',
};

function uniform(colour: string): MiniGraphPalette['kinds'] {
  return { input: colour, output: colour, tensor: colour, other: colour, conv: colour, block: colour, pool: colour, dense: colour, op: colour };
}

/** Palettes for the colour theme kinds of VS Code. */
export const miniGraphPalettes = {
  dark: { text: '#e6e6e6', muted: '#a0a0a0', edge: '#8c8c8c', halo: '#252526', kinds: hues, fillOpacity: 0.25 },
  light: { text: '#1f2328', muted: '#57606a', edge: '#6e7781', halo: '#f3f3f3', kinds: hues, fillOpacity: 0.18 },
  highContrast: { text: '#ffffff', muted: '#ffffff', edge: '#ffffff', halo: '#000000', kinds: uniform('#ffffff'), fillOpacity: 0 },
  highContrastLight: { text: '#000000', muted: '#000000', edge: '#000000', halo: '#ffffff', kinds: uniform('#000000'), fillOpacity: 0 },
} as const satisfies Record<string, MiniGraphPalette>;

export interface MiniGraph {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** Nodes drawn (the active ones). */
  readonly nodes: number;
}

const labelCharWidth = 6.4;
const smallCharWidth = 5.6;
const pad = 8;
const stackGap = 6;
const rowGap = 24;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fit(text: string, width: number, charWidth: number): string {
  const max = Math.max(2, Math.floor(width / charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Longest-path rank of every node; index order when the graph is not a DAG. */
function ranks(nodes: readonly ArchNode[], edges: ArchGraph['edges']): Map<string, number> {
  const rank = new Map(nodes.map((n) => [n.id, 0]));
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  let visited = 0;
  while (queue.length > 0) {
    const id = queue.shift() as string;
    visited++;
    for (const e of edges.filter((x) => x.source === id)) {
      rank.set(e.target, Math.max(rank.get(e.target) ?? 0, (rank.get(id) ?? 0) + 1));
      indegree.set(e.target, (indegree.get(e.target) ?? 0) - 1);
      if (indegree.get(e.target) === 0) queue.push(e.target);
    }
  }
  return visited === nodes.length ? rank : new Map(nodes.map((n, i) => [n.id, i]));
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly row: number;
  readonly col: number;
  readonly rank: number;
}

export function miniGraphSvg(graph: ArchGraph, palette: MiniGraphPalette, maxWidth = 480): MiniGraph {
  const nodes = graph.nodes.filter((n) => !n.inactive);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => !e.inactive && ids.has(e.source) && ids.has(e.target));
  const rank = ranks(nodes, edges);
  const rankCount = Math.max(0, ...rank.values()) + 1;
  const byRank = Array.from({ length: rankCount }, (_, r) => nodes.filter((n) => rank.get(n.id) === r));

  const hasSublabels = nodes.some((n) => n.sublabel);
  const nodeWidth = clamp(Math.max(...nodes.map((n) => Math.max(n.label.length * labelCharWidth, (n.sublabel?.length ?? 0) * smallCharWidth))) + 12, 56, 128);
  const nodeHeight = hasSublabels ? 32 : 22;
  const near = (e: ArchGraph['edges'][number]) => (rank.get(e.target) ?? 0) - (rank.get(e.source) ?? 0) === 1;
  const nearLabels = edges.filter((e) => near(e) && e.label).map((e) => (e.label as string).length * smallCharWidth + 10);
  const gap = clamp(Math.max(16, ...nearLabels), 16, 72);
  const perRow = clamp(Math.floor((maxWidth - 2 * pad + gap) / (nodeWidth + gap)), 1, rankCount);
  const rowCount = Math.ceil(rankCount / perRow);
  const rowOf = (r: number) => Math.floor(r / perRow);
  const colOf = (r: number) => (rowOf(r) % 2 === 0 ? r % perRow : perRow - 1 - (r % perRow));

  // Arcs of rank-skipping edges within a row rise above it: reserve their height.
  const arcHeight = (e: ArchGraph['edges'][number]) => 12 + 8 * Math.min(4, Math.abs(colOf(rank.get(e.target) ?? 0) - colOf(rank.get(e.source) ?? 0)));
  const arcs = edges.filter((e) => !near(e) && rowOf(rank.get(e.source) ?? 0) === rowOf(rank.get(e.target) ?? 0));
  const boxes = new Map<string, Box>();
  let y = pad;
  for (let row = 0; row < rowCount; row++) {
    const rowArcs = arcs.filter((e) => rowOf(rank.get(e.source) ?? 0) === row);
    y += Math.max(0, ...rowArcs.map((e) => arcHeight(e) + (e.label ? 10 : 0)));
    let tallest = 0;
    for (let r = row * perRow; r < Math.min(rankCount, (row + 1) * perRow); r++) {
      byRank[r].forEach((n, i) => boxes.set(n.id, { x: pad + colOf(r) * (nodeWidth + gap), y: y + i * (nodeHeight + stackGap), row, col: colOf(r), rank: r }));
      tallest = Math.max(tallest, byRank[r].length * (nodeHeight + stackGap) - stackGap);
    }
    y += tallest + (row < rowCount - 1 ? rowGap : 0);
  }
  const width = Math.ceil(2 * pad + perRow * nodeWidth + (perRow - 1) * gap);
  const height = Math.ceil(y + pad);

  const text = (x: number, ty: number, content: string, attributes: string) =>
    `<text x="${x.toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="middle" ${attributes}>${escapeXml(content)}</text>`;
  const edgeLabel = (x: number, ty: number, label: string | undefined) =>
    label ? text(x, ty, fit(label, 96, smallCharWidth), `font-size="9" fill="${palette.muted}" stroke="${palette.halo}" stroke-width="3" paint-order="stroke"`) : '';

  const edgeMarkup = edges.map((e) => {
    const s = boxes.get(e.source) as Box;
    const t = boxes.get(e.target) as Box;
    const stroke = `fill="none" stroke="${palette.edge}" stroke-width="1.2" marker-end="url(#arrow)"`;
    if (near(e) && s.row === t.row) {
      const rightward = t.col > s.col;
      const x1 = rightward ? s.x + nodeWidth : s.x;
      const x2 = rightward ? t.x : t.x + nodeWidth;
      const y1 = s.y + nodeHeight / 2;
      const y2 = t.y + nodeHeight / 2;
      return `<path d="M${x1.toFixed(1)},${y1.toFixed(1)} L${x2.toFixed(1)},${y2.toFixed(1)}" ${stroke}/>${edgeLabel((x1 + x2) / 2, (y1 + y2) / 2 - 4, e.label)}`;
    }
    const sx = s.x + nodeWidth / 2;
    const tx = t.x + nodeWidth / 2;
    if (s.row === t.row) {
      const rise = arcHeight(e);
      const top = Math.min(s.y, t.y);
      return `<path d="M${sx.toFixed(1)},${s.y.toFixed(1)} Q${((sx + tx) / 2).toFixed(1)},${(top - 2 * rise).toFixed(1)} ${tx.toFixed(1)},${t.y.toFixed(1)}" ${stroke}/>${edgeLabel((sx + tx) / 2, top - rise - 3, e.label)}`;
    }
    const sy = s.y + nodeHeight;
    const bend = (t.y - sy) / 2;
    return `<path d="M${sx.toFixed(1)},${sy.toFixed(1)} C${sx.toFixed(1)},${(sy + bend).toFixed(1)} ${tx.toFixed(1)},${(t.y - bend).toFixed(1)} ${tx.toFixed(1)},${t.y.toFixed(1)}" ${stroke}/>${edgeLabel((sx + tx) / 2, (sy + t.y) / 2, e.label)}`;
  });

  const nodeMarkup = nodes.map((n) => {
    const b = boxes.get(n.id) as Box;
    const colour = palette.kinds[n.kind];
    const cx = b.x + nodeWidth / 2;
    const label = text(cx, b.y + (n.sublabel ? 13 : 15), fit(n.label, nodeWidth - 8, labelCharWidth), `font-size="11" font-weight="600" fill="${palette.text}"`);
    const sublabel = n.sublabel ? text(cx, b.y + 26, fit(n.sublabel, nodeWidth - 8, smallCharWidth), `font-size="9.5" fill="${palette.muted}"`) : '';
    return `<g data-node="${escapeXml(n.id)}"><rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${nodeWidth.toFixed(1)}" height="${nodeHeight}" rx="4" fill="${colour}" fill-opacity="${palette.fillOpacity}" stroke="${colour}" stroke-width="1.2"/>${label}${sublabel}</g>`;
  });

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title>${escapeXml(`${graph.title}: ${nodes.length} nodes`)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="${palette.edge}"/></marker></defs>`,
    ...edgeMarkup,
    ...nodeMarkup,
    '</svg>',
  ].join('');
  return { svg, width, height, nodes: nodes.length };
}
