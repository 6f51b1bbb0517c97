import { SpecError } from '../core/errors';
import type { ArchJson, ArchGraph } from '../../contract/architecture';
import { readObject, readString } from './archFields';
import type { ArchGraphOptions } from './archGraph';
import { ensembleGraph } from './ensembleGraph';
import { layersGraph } from './layersGraph';
import { nb201Graph } from './nb201Graph';
import { ofaGraph } from './ofaGraph';
import { proxylessGraph } from './proxylessGraph';

const converters: Readonly<Record<string, (arch: ArchJson, options?: ArchGraphOptions) => ArchGraph>> = {
  'ofa-mbv3': ofaGraph,
  nb201: nb201Graph,
  layers: layersGraph,
  proxyless: proxylessGraph,
  ensemble: ensembleGraph,
};

/** Whether a graph can be drawn for architectures of this space. */
export function hasGraph(space: string): boolean {
  return Object.hasOwn(converters, space);
}

/** The drawable graph of any architecture NAS Studio knows; throws SpecError for malformed ones. */
export function archToGraph(arch: unknown, options: ArchGraphOptions = {}): ArchGraph {
  const json = readObject(arch, []);
  const space = readString(json.space, ['space']);
  if (!hasGraph(space)) {
    throw new SpecError(`no graph for search space "${space}"; graphs exist for ${Object.keys(converters).join(', ')}`, ['space']);
  }
  return converters[space](json as ArchJson, options);
}

/** Spaces whose architectures are paths through a weight-sharing supernet. */
const supernetSpaces = new Set(['ofa-mbv3', 'nb201']);

/** The graph of an architecture and, where the space has one, its supernet view. */
export function archGraphs(arch: unknown, options: Omit<ArchGraphOptions, 'supernet'> = {}): { graph: ArchGraph; supernet?: ArchGraph } {
  const graph = archToGraph(arch, options);
  return supernetSpaces.has(graph.space) ? { graph, supernet: archToGraph(arch, { ...options, supernet: true }) } : { graph };
}
