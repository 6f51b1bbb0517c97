import { SpecError, type JsonPath } from '../../core/errors';
import type { Genome } from '../../core/searchSpace';

/** Operations in the official NAS-Bench-201 order. */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];

export interface Nb201Edge {
  /** Source node (0 is the cell input). */
  readonly from: number;
  /** Target node (3 is the cell output). */
  readonly to: number;
}

/** The six edges of the cell, in the order the arch string lists them (node 1, node 2, node 3). */
export const NB201_EDGES: readonly Nb201Edge[] = [
  { from: 0, to: 1 },
  { from: 0, to: 2 },
  { from: 1, to: 2 },
  { from: 0, to: 3 },
  { from: 1, to: 3 },
  { from: 2, to: 3 },
];

export function edgeName(edge: Nb201Edge): string {
  return `${edge.to}<-${edge.from}`;
}

/** `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` for a genome of operation indices. */
export function formatArchString(genome: Genome): string {
  const nodes: string[] = [];
  for (let to = 1; to <= 3; to++) {
    const inputs = NB201_EDGES.map((edge, i) => ({ edge, i }))
      .filter(({ edge }) => edge.to === to)
      .map(({ edge, i }) => `${NB201_OPS[genome[i]]}~${edge.from}`);
    nodes.push(`|${inputs.join('|')}|`);
  }
  return nodes.join('+');
}

/**
 * Parses the official arch string. Errors say where the problem is: the node, the edge and the
 * character offset, so a user can find the typo in a 90-character string.
 * `path` is the JSON location of the string, for the SpecError.
 */
export function parseArchString(text: string, path: JsonPath = []): Genome {
  const fail = (message: string, offset: number): never => {
    throw new SpecError(`${message} at character ${offset + 1} of arch string "${text}"`, path);
  };
  const nodes = text.split('+');
  if (nodes.length !== 3) fail(`expected 3 nodes separated by "+", found ${nodes.length}`, 0);
  const genome: number[] = new Array(NB201_EDGES.length).fill(-1);
  let offset = 0;
  nodes.forEach((node, n) => {
    const to = n + 1;
    if (!node.startsWith('|') || !node.endsWith('|') || node.length < 2) {
      fail(`node ${to} must be written as |op~input|...|`, offset);
    }
    const inputs = node.slice(1, -1).split('|');
    if (inputs.length !== to) fail(`node ${to} must have ${to} inputs, found ${inputs.length}`, offset);
    let entryOffset = offset + 1;
    inputs.forEach((entry, from) => {
      const tilde = entry.lastIndexOf('~');
      const op = tilde < 0 ? entry : entry.slice(0, tilde);
      const input = tilde < 0 ? '' : entry.slice(tilde + 1);
      if (input !== String(from)) {
        fail(`node ${to}: input ${from} must be written as "op~${from}", found "${entry}"`, entryOffset);
      }
      const opIndex = (NB201_OPS as readonly string[]).indexOf(op);
      if (opIndex < 0) {
        fail(`unknown operation "${op}" on edge ${to}<-${from} (known: ${NB201_OPS.join(', ')})`, entryOffset);
      }
      genome[NB201_EDGES.findIndex((e) => e.from === from && e.to === to)] = opIndex;
      entryOffset += entry.length + 1;
    });
    offset += node.length + 1;
  });
  return genome;
}
