/**
 * The model's graph with a bit policy on it: each quantized layer's node says its bits
 * ("W4A8") and is coloured by its weight bits (nas-bits-N, a scale from few bits to many).
 */
import type { ArchGraph } from '../../contract/architecture';
import { formatBits } from '../../contract/quantizationText';
import type { QuantizedLayerInfo } from '../../contract/runs';

export type LayerBits = { readonly weight: number; readonly activation: number };

/** Weight bits above this share the last colour (16-bit layers of a wide range). */
export const MAX_COLOURED_BITS = 8;

export function bitsClass(weight: number): string {
  return `nas-bits-${Math.min(Math.max(1, weight), MAX_COLOURED_BITS)}`;
}

/** The bits of each node id (the layers' names are the graph's node ids). */
export function bitsByNode(layers: readonly QuantizedLayerInfo[], policy: readonly LayerBits[]): Map<string, LayerBits> {
  return new Map(layers.map((layer, i) => [layer.name, policy[i]] as const).filter(([, bits]) => bits !== undefined));
}

/** The graph with every quantized node's bits in its second line and tooltip. */
export function withBits(graph: ArchGraph, bits: ReadonlyMap<string, LayerBits>): ArchGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const b = bits.get(node.id);
      if (!b) return node;
      const text = formatBits(b);
      return { ...node, sublabel: node.sublabel ? `${text} · ${node.sublabel}` : text, attributes: [['bits', text], ...node.attributes] };
    }),
  };
}

/** Colours the drawn nodes (drawGraph's `[data-node-id]` groups) and records their bits for tests and styles. */
export function colourNodes(layer: SVGGElement, bits: ReadonlyMap<string, LayerBits>): void {
  for (const element of Array.from(layer.querySelectorAll<SVGGElement>('[data-node-id]'))) {
    const b = bits.get(element.getAttribute('data-node-id') ?? '');
    if (!b) continue;
    element.classList.add('nas-quantized', bitsClass(b.weight));
    element.setAttribute('data-weight-bits', String(b.weight));
    element.setAttribute('data-activation-bits', String(b.activation));
  }
}
