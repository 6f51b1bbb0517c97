/** Draws a laid-out ArchGraph as SVG: stage boxes, routed edges with labels, nodes with choices. */
import type { ArchGraph, ArchNode } from '../../contract/architecture';
import { svg, svgText } from '../dom';
import { chipWidth, choiceNameWidth, nodeMetrics, type Box, type GraphLayout, type MeasureText } from './layoutGraph';

export function drawGraph(layer: SVGGElement, graph: ArchGraph, layout: GraphLayout, measure: MeasureText): void {
  layer.replaceChildren();
  const groups = svg('g', { class: 'nas-groups' }, layer);
  for (const group of graph.groups) {
    const box = layout.groups.get(group.id);
    if (!box) continue;
    svg('rect', { class: 'nas-group-box', x: box.x, y: box.y, width: box.width, height: box.height, rx: 6 }, groups);
    svgText(group.label, { class: 'nas-group-label', x: box.x + 10, y: box.y + 17 }, groups);
  }
  const edges = svg('g', { class: 'nas-edges' }, layer);
  for (const edge of graph.edges) {
    const route = layout.edges.get(edge.id);
    if (!route || route.points.length < 2) continue;
    const inactive = edge.inactive ? ' nas-inactive' : '';
    const d = route.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
    svg('path', { class: `nas-edge${inactive}`, d, 'marker-end': 'url(#nas-arrow)', 'data-edge-id': edge.id }, edges);
    if (edge.label && route.label) {
      const { x, y, width, height } = route.label;
      svg('rect', { class: 'nas-edge-label-back', x, y, width, height, rx: 3 }, edges);
      svgText(edge.label, { class: `nas-edge-label${inactive}`, x: x + width / 2, y: y + height / 2 + 4, 'text-anchor': 'middle' }, edges);
    }
  }
  const nodes = svg('g', { class: 'nas-nodes' }, layer);
  for (const node of graph.nodes) {
    const box = layout.nodes.get(node.id);
    if (box) drawNode(nodes, node, box, measure);
  }
}

/** Arrowhead marker, referenced by every edge; defined once per SVG. */
export function arrowMarker(svgRoot: SVGSVGElement): void {
  const defs = svg('defs', {}, svgRoot);
  const marker = svg('marker', { id: 'nas-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  svg('path', { class: 'nas-edge-arrow', d: 'M0,1L10,5L0,9z' }, marker);
}

function drawNode(parent: SVGGElement, node: ArchNode, box: Box, measure: MeasureText): void {
  const m = nodeMetrics;
  const group = svg('g', {
    class: `nas-node nas-kind-${node.kind}${node.inactive ? ' nas-inactive' : ''}`,
    transform: `translate(${box.x},${box.y})`,
    'data-node-id': node.id,
    tabindex: 0,
    role: 'img',
    'aria-label': [node.label, node.sublabel].filter(Boolean).join(', '),
  }, parent);
  svg('rect', { class: 'nas-node-box', width: box.width, height: box.height, rx: 4 }, group);
  svg('rect', { class: 'nas-node-accent', width: m.accent, height: box.height, rx: 1 }, group);
  const textX = m.accent + m.padX;
  let y = m.padY + 13;
  svgText(node.label, { class: 'nas-node-label', x: textX, y }, group);
  if (node.sublabel) {
    y += m.sublabelLine;
    svgText(node.sublabel, { class: 'nas-node-sublabel', x: textX, y }, group);
  }
  y += 4;
  const names = choiceNameWidth(node, measure);
  for (const choice of node.choices ?? []) {
    let x = textX;
    svgText(choice.name, { class: 'nas-node-sublabel', x, y: y + 12 }, group);
    x += names + m.chipGap;
    for (const option of choice.options) {
      const width = chipWidth(option.label, measure);
      svg('rect', { class: `nas-chip${option.active ? ' nas-active' : ''}`, x, y: y + 1, width, height: 15, rx: 3 }, group);
      svgText(option.label, { class: 'nas-chip-text', x: x + width / 2, y: y + 12, 'text-anchor': 'middle' }, group);
      x += width + m.chipGap;
    }
    y += m.chipLine;
  }
}
