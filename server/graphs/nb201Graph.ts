import { SpecError } from '../core/errors';
import type { ArchJson, ArchEdge, ArchGraph, ArchNode } from '../../contract/architecture';
import { readString } from './archFields';
import { finishGraph, type ArchGraphOptions } from './archGraph';

/**
 * NAS-Bench-201 cells: 4 feature-map nodes, and on every edge j -> i (j < i) one of five
 * operations. The cell graph shows operations as edge labels (`none` dashed); the supernet view
 * shows all five candidate operations per edge as nodes, with the chosen ones active.
 */

export const nb201Operations = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Operation = (typeof nb201Operations)[number];

const operationLabels: Record<Nb201Operation, string> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: 'conv 1×1',
  nor_conv_3x3: 'conv 3×3',
  avg_pool_3x3: 'avg pool 3×3',
};

export interface Nb201Edge {
  readonly from: number;
  readonly to: number;
  readonly op: Nb201Operation;
}

const nodeCount = 4;

/** Parses `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`; group i lists the inputs of node i + 1. */
export function parseNb201(text: string): Nb201Edge[] {
  const groups = text.split('+');
  if (groups.length !== nodeCount - 1) {
    throw new SpecError(`NAS-Bench-201 cell "${text}" must have ${nodeCount - 1} groups separated by "+", got ${groups.length}`, ['arch']);
  }
  return groups.flatMap((group, g) => {
    const to = g + 1;
    if (!/^\|.*\|$/.test(group)) throw new SpecError(`group ${g + 1} of "${text}" must be enclosed in "|"`, ['arch']);
    const entries = group.slice(1, -1).split('|');
    if (entries.length !== to) {
      throw new SpecError(`group ${g + 1} of "${text}" must list ${to} operation(s) (inputs of node ${to}), got ${entries.length}`, ['arch']);
    }
    return entries.map((entry, position) => {
      const [op, from] = entry.split('~');
      if (!(nb201Operations as readonly string[]).includes(op)) {
        throw new SpecError(`unknown operation "${op}" in "${text}"; expected one of ${nb201Operations.join(', ')}`, ['arch']);
      }
      if (from !== String(position)) {
        throw new SpecError(`operation "${entry}" in group ${g + 1} of "${text}" must read from node ${position}`, ['arch']);
      }
      return { from: position, to, op: op as Nb201Operation };
    });
  });
}

function tensorNode(i: number): ArchNode {
  const role = i === 0 ? 'cell input' : i === nodeCount - 1 ? 'cell output (sum of its inputs)' : 'sum of its inputs';
  return {
    id: `n${i}`,
    label: i === 0 ? 'Input' : i === nodeCount - 1 ? 'Output' : `Node ${i}`,
    sublabel: `node ${i}`,
    kind: 'tensor',
    metrics: {},
    attributes: [['role', role]],
  };
}

export function nb201Graph(arch: ArchJson, options: ArchGraphOptions = {}): ArchGraph {
  const text = readString(arch.arch, ['arch']);
  const cell = parseNb201(text);
  const nodes: ArchNode[] = Array.from({ length: nodeCount }, (_, i) => tensorNode(i));
  const edges: ArchEdge[] = [];
  if (options.supernet) {
    for (const { from, to, op } of cell) {
      for (const candidate of nb201Operations) {
        const id = `e${from}${to}-${candidate}`;
        const chosen = candidate === op;
        nodes.push({
          id,
          label: operationLabels[candidate],
          kind: 'op',
          ...(chosen ? {} : { inactive: true }),
          metrics: {},
          attributes: [['edge', `node ${from} → node ${to}`], ['operation', candidate], ['chosen', chosen ? 'yes' : 'no']],
        });
        const carriesData = chosen && candidate !== 'none';
        edges.push({ id: `n${from}->${id}`, source: `n${from}`, target: id, ...(carriesData ? {} : { inactive: true }) });
        edges.push({ id: `${id}->n${to}`, source: id, target: `n${to}`, ...(carriesData ? {} : { inactive: true }) });
      }
    }
  } else {
    for (const { from, to, op } of cell) {
      edges.push({
        id: `n${from}->n${to}`,
        source: `n${from}`,
        target: `n${to}`,
        label: operationLabels[op],
        ...(op === 'none' ? { inactive: true } : {}),
      });
    }
  }
  return finishGraph(
    { space: 'nb201', title: `NAS-Bench-201 cell ${text}${options.supernet ? ' (supernet)' : ''}`, direction: 'right', nodes, edges, groups: [] },
    options.details,
  );
}
