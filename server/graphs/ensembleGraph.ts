import type { ArchEdge, ArchGraph, ArchGroup, ArchJson, ArchNode } from '../../contract/architecture';
import { SpecError } from '../core/errors';
import { readArray, readInteger, readNumber, readObject } from './archFields';
import { finishGraph, type ArchGraphOptions } from './archGraph';
import { layersGraph } from './layersGraph';

/**
 * An AdaNet ensemble (`space: "ensemble"`, as ensemble runs export it): its members side by side,
 * each a layer stack from the shared input to its logits, feeding the weighted sum
 * Σ_j w_j·logits_j (+ b) and a softmax.
 */
export function ensembleGraph(arch: ArchJson, options: ArchGraphOptions = {}): ArchGraph {
  const members = readArray(arch.members, ['members']);
  if (members.length === 0) throw new SpecError('an ensemble needs at least one member', ['members']);
  const bias = arch.bias === undefined ? [] : readArray(arch.bias, ['bias']).map((v, i) => readNumber(v, ['bias', i], -1e9, 1e9));
  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  const groups: ArchGroup[] = [];
  const weightsOf: number[][] = [];
  members.forEach((value, j) => {
    const member = readObject(value, ['members', j]);
    const weights = readArray(member.weights, ['members', j, 'weights']).map((v, k) => readNumber(v, ['members', j, 'weights', k], -1e9, 1e9));
    if (weights.length === 0) throw new SpecError('a member needs its mixture weight', ['members', j, 'weights']);
    weightsOf.push(weights);
    const trial = member.trial === undefined ? undefined : readInteger(member.trial, ['members', j, 'trial'], 0);
    let graph: ArchGraph;
    try {
      graph = layersGraph(readObject(member.arch, ['members', j, 'arch']) as ArchJson);
    } catch (e) {
      if (e instanceof SpecError) throw new SpecError(e.message, ['members', j, 'arch', ...e.path]);
      throw e;
    }
    const group = `member${j}`;
    const weightText = weights.length === 1 ? `w ${weights[0].toFixed(3)}` : `w per class, mean ${(weights.reduce((a, b) => a + b, 0) / weights.length).toFixed(3)}`;
    groups.push({ id: group, label: `Member ${j + 1}${trial !== undefined ? ` · trial ${trial}` : ''} · ${weightText}` });
    if (j === 0) nodes.push({ ...graph.nodes.find((n) => n.kind === 'input')!, id: 'input' });
    const inner = graph.nodes.filter((n) => n.kind !== 'input' && n.kind !== 'output');
    const last = inner[inner.length - 1];
    const id = (node: string) => `${group}:${node}`;
    for (const n of inner) nodes.push({ ...n, id: id(n.id), group, ...(n === last ? { label: 'Dense (logits)', sublabel: n.sublabel?.replace(/ · softmax$/, '') } : {}) });
    for (const e of graph.edges) {
      const source = e.source === 'input' ? 'input' : id(e.source);
      if (e.target === 'output') continue;
      edges.push({ ...e, id: `${source}->${id(e.target)}`, source, target: id(e.target) });
    }
    edges.push({ id: `${id(last.id)}->mixture`, source: id(last.id), target: 'mixture', label: weights.length === 1 ? `× ${weights[0].toFixed(3)}` : '× w (per class)' });
  });
  const mixtureParams = weightsOf.reduce((n, w) => n + w.length, 0) + bias.length;
  nodes.push({
    id: 'mixture',
    label: 'Weighted sum',
    sublabel: `Σ w_j · logits_j${bias.some((b) => b !== 0) ? ' + b' : ''}`,
    kind: 'op',
    metrics: { params: mixtureParams, flops: weightsOf.reduce((n, w) => n + (w.length === 1 ? 1 : w.length), 0) },
    attributes: weightsOf.map((w, j) => [`w member ${j + 1}`, w.map((v) => v.toFixed(3)).join(', ')] as const),
  });
  nodes.push({ id: 'softmax', label: 'Softmax', kind: 'other', metrics: { params: 0, flops: 0 }, attributes: [] });
  nodes.push({ id: 'output', label: 'Output', kind: 'output', metrics: {}, attributes: [] });
  edges.push({ id: 'mixture->softmax', source: 'mixture', target: 'softmax' }, { id: 'softmax->output', source: 'softmax', target: 'output' });
  return finishGraph({ space: 'ensemble', title: `AdaNet ensemble · ${members.length} member${members.length === 1 ? '' : 's'}`, direction: 'down', nodes, edges, groups }, options.details);
}
