import type { ArchEdge, ArchGraph, ArchGroup, ArchJson, ArchNode, NodeMetrics } from '../../contract/architecture';
import { archBlocks, describeProxylessArch, parseProxylessArch, PROXYLESS_SPACE, type ArchBlock } from '../proxyless/proxylessArch';
import { finalChannels, stemOutputSize } from '../proxyless/proxylessSpace';
import { convCost, finishGraph, type ArchGraphOptions } from './archGraph';

/** Params (as deployed: each batch norm folded into its convolution's bias) and multiply-accumulates of a block's MBConv. */
function blockCost(block: ArchBlock): NodeMetrics {
  if (block.op.kind === 'zero') return { params: 0, flops: 0 };
  const { inChannels, outChannels, inputSize, stride } = block;
  const mid = inChannels * block.op.expand;
  const out = Math.ceil(inputSize / stride);
  const parts = [
    ...(block.op.expand !== 1 ? [convCost(1, inChannels, mid, inputSize, inputSize, { bias: true })] : []),
    convCost(block.op.kernel, mid, mid, out, out, { groups: mid, bias: true }),
    convCost(1, mid, outChannels, out, out, { bias: true }),
  ];
  return { params: parts.reduce((s, p) => s + p.params, 0), flops: parts.reduce((s, p) => s + p.flops, 0) };
}

/**
 * A network of the ProxylessNAS space: stem, one node per block (its operation; skipped blocks
 * drawn inactive with the data bypassing them), pooling and classifier, stages as groups.
 */
export function proxylessGraph(json: ArchJson, options: ArchGraphOptions = {}): ArchGraph {
  const arch = parseProxylessArch(json);
  const [h, w, c] = arch.input;
  const nodes: ArchNode[] = [{ id: 'input', label: 'Input', sublabel: `${h}×${w}×${c}`, kind: 'input', metrics: {}, attributes: [['shape', `${h}×${w}×${c}`]] }];
  const edges: ArchEdge[] = [];
  const groups: ArchGroup[] = arch.stages.map((s, i) => ({ id: `stage${i}`, label: `Stage ${i + 1} · ${s.width} ch${s.stride > 1 ? ` · /${s.stride}` : ''}` }));
  const link = (source: string, target: string, inactive = false) => edges.push({ id: `${source}->${target}${inactive ? ':skip' : ''}`, source, target, ...(inactive ? { inactive } : {}) });

  const stemSize = stemOutputSize(arch);
  nodes.push({
    id: 'stem',
    label: 'Conv 3×3',
    sublabel: `${arch.stem} ch${arch.stemStride > 1 ? ` /${arch.stemStride}` : ''}`,
    kind: 'conv',
    metrics: convCost(3, c, arch.stem, stemSize, stemSize, { bias: true }),
    attributes: [['output', `${stemSize}×${stemSize}×${arch.stem}`], ['activation', 'ReLU (batch norm folded in)']],
  });
  link('input', 'stem');
  let active = 'stem';
  let previous = 'stem';
  for (const block of archBlocks(arch)) {
    const id = `b${block.stage}_${block.index}`;
    const skipped = block.op.kind === 'zero';
    const out = Math.ceil(block.inputSize / block.stride);
    nodes.push({
      id,
      label: skipped ? 'Skipped' : `MBConv${block.op.expand} ${block.op.kernel}×${block.op.kernel}`,
      sublabel: skipped ? 'Zero' : `${block.inChannels}→${block.outChannels}${block.stride > 1 ? ` /${block.stride}` : ''}`,
      kind: 'block',
      group: `stage${block.stage}`,
      ...(skipped ? { inactive: true } : {}),
      metrics: blockCost(block),
      attributes: [
        ['operation', skipped ? 'Zero (the block is skipped)' : `${block.op.kernel}x${block.op.kernel}_MBConv${block.op.expand}`],
        ['output', `${out}×${out}×${block.outChannels}`],
        ['shortcut', block.shortcut ? 'identity' : 'none'],
      ],
    });
    if (skipped) {
      link(previous, id, true);
    } else {
      link(active, id);
      if (previous !== active) link(previous, id, true);
      active = id;
    }
    previous = id;
  }
  const size = archBlocks(arch).reduce((s, b) => Math.ceil(s / b.stride), stemSize);
  const channels = finalChannels(arch);
  nodes.push(
    { id: 'pool', label: 'Global avg pool', kind: 'pool', metrics: { params: 0, flops: 0 }, attributes: [['input', `${size}×${size}×${channels}`]] },
    { id: 'classifier', label: 'Dense', sublabel: `${arch.classes} classes`, kind: 'dense', metrics: { params: channels * arch.classes + arch.classes, flops: channels * arch.classes }, attributes: [] },
    { id: 'output', label: 'Output', sublabel: `${arch.classes}`, kind: 'output', metrics: {}, attributes: [] },
  );
  link(active, 'pool');
  if (previous !== active) link(previous, 'pool', true);
  link('pool', 'classifier');
  link('classifier', 'output');
  return finishGraph({ space: PROXYLESS_SPACE, title: `ProxylessNAS · ${describeProxylessArch(arch)}`, direction: 'down', nodes, edges, groups }, options.details);
}
