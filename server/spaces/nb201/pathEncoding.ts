import type { Genome } from '../../core/searchSpace';
import { NB201_EDGES, NB201_OPS } from './archString';

const INPUT_NODE = 0;
const OUTPUT_NODE = 3;
/** Operations that carry signal along a path; `none` (index 0) cuts it. */
const PATH_OPS = NB201_OPS.length - 1;

/** Every route from the cell input to its output, as lists of edge indices. */
function enumerateRoutes(node: number): number[][] {
  if (node === OUTPUT_NODE) return [[]];
  return NB201_EDGES.flatMap((edge, i) =>
    edge.from === node ? enumerateRoutes(edge.to).map((rest) => [i, ...rest]) : [],
  );
}

/** [0->3], [0->1->3], [0->1->2->3], [0->2->3] as edge indices. */
const NB201_ROUTES: readonly (readonly number[])[] = enumerateRoutes(INPUT_NODE);

/** Feature offset of each route: a route of length L owns PATH_OPS^L features. */
const ROUTE_OFFSETS: readonly number[] = NB201_ROUTES.map((_, r) =>
  NB201_ROUTES.slice(0, r).reduce((offset, route) => offset + PATH_OPS ** route.length, 0),
);

export const PATH_ENCODING_SIZE = NB201_ROUTES.reduce((size, route) => size + PATH_OPS ** route.length, 0);

/**
 * Path encoding (White et al., BANANAS, arXiv 1910.11858): one binary feature per
 * (route, sequence of operations along it); a feature is set when the cell contains that
 * path and no edge on it is `none`. At most four features are set (one per route).
 */
export function pathEncoding(genome: Genome): Float32Array {
  const out = new Float32Array(PATH_ENCODING_SIZE);
  NB201_ROUTES.forEach((route, r) => {
    let code = 0;
    for (const edge of route) {
      const op = genome[edge];
      if (op === 0) return;
      code = code * PATH_OPS + (op - 1);
    }
    out[ROUTE_OFFSETS[r] + code] = 1;
  });
  return out;
}
