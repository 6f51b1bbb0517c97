import { SpecError } from '../core/errors';
import type { ArchJson, ArchEdge, ArchGraph, ArchGroup, ArchNode, NodeChoice, NodeMetrics } from '../../contract/architecture';
import { readArray, readInteger, readNumber } from './archFields';
import { layerFlops, layerParams } from '../spaces/ofa/mbv3Cost';
import {
  blockLayer,
  DEPTHS,
  EXPAND_RATIOS,
  FEATURE_MIX_CHANNELS,
  FINAL_EXPAND_CHANNELS,
  KERNEL_SIZES,
  leadingLayers,
  MAX_DEPTH,
  STAGE_HSWISH,
  STAGE_SE,
  STAGE_STRIDES,
  STAGE_WIDTHS,
  STEM_CHANNELS,
  stemOutputSize,
  trailingLayers,
  CLASS_COUNT,
  DEFAULT_RESOLUTIONS,
  type Mbv3Layer,
  type OfaArch,
} from '../spaces/ofa/mbv3Network';
import { finishGraph, type ArchGraphOptions } from './archGraph';

/**
 * Once-for-All MobileNetV3 (width 1.2) sub-networks: stem, a fixed first block, 5 elastic stages
 * of up to 4 inverted-residual blocks, and the head. Params and multiply-accumulates follow the
 * network OFA extracts (bias-free convolutions with batch norm, SE convolutions with bias,
 * classifier with bias), so FLOPs match OFA's own counter.
 */

const stageWidths = STAGE_WIDTHS;
const blocksPerStage = MAX_DEPTH;

export function parseOfaArch(arch: ArchJson): OfaArch {
  const blocks = stageWidths.length * blocksPerStage;
  const ks = readArray(arch.ks, ['ks'], blocks).map((k, i) => {
    const v = readInteger(k, ['ks', i], 1, 15);
    if (v % 2 === 0) throw new SpecError(`kernel size at ks[${i}] must be odd, got ${v}`, ['ks', i]);
    return v;
  });
  const e = readArray(arch.e, ['e'], blocks).map((x, i) => readNumber(x, ['e', i], 1, 16));
  const d = readArray(arch.d, ['d'], stageWidths.length).map((x, i) => readInteger(x, ['d', i], 1, blocksPerStage));
  const r = readInteger(arch.r, ['r'], 32, 1024);
  return { ks, e, d, r };
}

/**
 * The graph node of each layer of `networkLayers(arch)`, in the same (execution) order: per-layer
 * figures such as lookup-table latencies become per-node details with it.
 */
export function ofaLayerNodeIds(d: readonly number[]): string[] {
  const blocks = Array.from({ length: stageWidths.length * blocksPerStage }, (_, i) => i).filter((i) => i % blocksPerStage < d[Math.floor(i / blocksPerStage)]);
  return ['stem', 'first', ...blocks.map((i) => `b${i}`), 'final_expand', 'pool', 'feature_mix', 'classifier'];
}

/** Params and multiply-accumulates of one layer, from the OFA space's own cost model. */
function cost(layer: Mbv3Layer): NodeMetrics {
  return { params: layerParams(layer), flops: layerFlops(layer) };
}

function choice(name: string, choices: readonly number[], active: number | undefined, format: (v: number) => string): NodeChoice {
  const all = active === undefined || choices.includes(active) ? choices : [...choices, active].sort((a, b) => a - b);
  return { name, options: all.map((v) => ({ label: format(v), active: v === active })) };
}

export function ofaGraph(arch: ArchJson, options: ArchGraphOptions = {}): ArchGraph {
  const { ks, e, d, r } = parseOfaArch(arch);
  const supernet = options.supernet === true;
  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  const groups: ArchGroup[] = [];
  const link = (source: string, target: string, inactive = false) =>
    edges.push({ id: `${source}->${target}`, source, target, ...(inactive ? { inactive } : {}) });
  // Skipped blocks stay in line after their stage's last active block, joined by dashed edges,
  // while the data bypasses them: the next active node gets a solid edge from `previous` and a
  // dashed one from the end of the skipped run.
  let previous = 'first';
  let skippedTail: string | undefined;
  const connect = (next: string) => {
    link(previous, next);
    if (skippedTail) link(skippedTail, next, true);
    skippedTail = undefined;
    previous = next;
  };

  const [stemLayer, firstLayer] = leadingLayers(r);
  nodes.push({
    id: 'input',
    label: 'Input',
    sublabel: `${r}×${r}×3`,
    kind: 'input',
    metrics: {},
    attributes: [['resolution', `${r}×${r}`]],
    ...(supernet ? { choices: [choice('resolution', DEFAULT_RESOLUTIONS, r, String)] } : {}),
  });
  const stemSize = stemOutputSize(r);
  nodes.push({
    id: 'stem',
    label: 'Conv 3×3 /2',
    sublabel: `${STEM_CHANNELS} ch · h-swish`,
    kind: 'conv',
    metrics: cost(stemLayer),
    attributes: [['output', `${stemSize}×${stemSize}×${STEM_CHANNELS}`]],
  });
  link('input', 'stem');
  nodes.push({
    id: 'first',
    label: 'MBConv1 3×3',
    sublabel: `${STEM_CHANNELS} ch`,
    kind: 'block',
    metrics: cost(firstLayer),
    attributes: [['output', `${stemSize}×${stemSize}×${STEM_CHANNELS}`], ['residual', 'identity']],
  });
  link('stem', 'first');

  const kernelChoice = (active: number | undefined) => choice('kernel', KERNEL_SIZES, active, (v) => `${v}×${v}`);
  const expandChoice = (active: number | undefined) => choice('expand', EXPAND_RATIOS, active, (v) => `×${v}`);
  for (let s = 0; s < stageWidths.length; s++) {
    const group = `stage${s + 1}`;
    const width = stageWidths[s];
    groups.push({
      id: group,
      label: `Stage ${s + 1} · ${width} ch · /${STAGE_STRIDES[s]}${STAGE_SE[s] ? ' · SE' : ''} · ${STAGE_HSWISH[s] ? 'h-swish' : 'ReLU'} · depth ${d[s]}${supernet ? ` of {${DEPTHS.join(',')}}` : ''}`,
    });
    for (let j = 0; j < blocksPerStage; j++) {
      const i = s * blocksPerStage + j;
      const id = `b${i}`;
      if (j >= d[s]) {
        nodes.push({
          id,
          label: `Block ${i} skipped`,
          sublabel: `depth ${d[s]} < ${j + 1}`,
          kind: 'block',
          group,
          inactive: true,
          metrics: {},
          attributes: [['block', `${i} (stage ${s + 1}, position ${j + 1})`], ['status', 'skipped by elastic depth']],
          ...(supernet ? { choices: [kernelChoice(undefined), expandChoice(undefined)] } : {}),
        });
        link(skippedTail ?? previous, id, true);
        skippedTail = id;
        continue;
      }
      const block = blockLayer(r, i, ks[i], e[i]);
      nodes.push({
        id,
        label: `MB${e[i]} ${ks[i]}×${ks[i]}`,
        sublabel: `${width} ch${block.stride > 1 ? ` · /${block.stride}` : ''}${block.se ? ' · SE' : ''}`,
        kind: 'block',
        group,
        metrics: cost(block),
        attributes: [
          ['block', `${i} (stage ${s + 1}, position ${j + 1})`],
          ['kernel', `${ks[i]}×${ks[i]}`],
          ['expand ratio', String(e[i])],
          ['channels', `${block.inChannels} → ${block.mid} → ${width}`],
          ['output', `${block.outSize}×${block.outSize}×${width}`],
          ['residual', block.idSkip ? 'identity' : 'none'],
        ],
        ...(supernet ? { choices: [kernelChoice(ks[i]), expandChoice(e[i])] } : {}),
      });
      connect(id);
    }
  }

  const [finalExpand, pool, featureMix, logits] = trailingLayers(r);
  const size = pool.kind === 'AvgPool2D' ? pool.size : 1;
  const head: ArchNode[] = [
    {
      id: 'final_expand',
      label: 'Conv 1×1',
      sublabel: `${FINAL_EXPAND_CHANNELS} ch · h-swish`,
      kind: 'conv',
      metrics: cost(finalExpand),
      attributes: [['output', `${size}×${size}×${FINAL_EXPAND_CHANNELS}`]],
    },
    { id: 'pool', label: 'Global avg pool', kind: 'pool', metrics: cost(pool), attributes: [['output', `1×1×${FINAL_EXPAND_CHANNELS}`]] },
    {
      id: 'feature_mix',
      label: 'Conv 1×1',
      sublabel: `${FEATURE_MIX_CHANNELS} ch · h-swish`,
      kind: 'conv',
      metrics: cost(featureMix),
      attributes: [['output', `1×1×${FEATURE_MIX_CHANNELS}`]],
    },
    {
      id: 'classifier',
      label: 'Linear',
      sublabel: `${CLASS_COUNT} classes`,
      kind: 'dense',
      metrics: cost(logits),
      attributes: [['output', String(CLASS_COUNT)]],
    },
  ];
  for (const node of head) {
    nodes.push(node);
    connect(node.id);
  }
  nodes.push({ id: 'output', label: 'Logits', sublabel: String(CLASS_COUNT), kind: 'output', metrics: {}, attributes: [] });
  connect('output');

  return finishGraph(
    { space: 'ofa-mbv3', title: `OFA MobileNetV3 sub-network · r=${r} · d=[${d.join(',')}]`, direction: 'down', nodes, edges, groups },
    options.details,
  );
}
