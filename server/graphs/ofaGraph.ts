import { SpecError } from '../core/errors';
import type { ArchJson } from '../core/searchSpace';
import { readArray, readInteger, readNumber } from './archFields';
import { convCost, finishGraph, type ArchEdge, type ArchGraph, type ArchGraphOptions, type ArchGroup, type ArchNode, type NodeChoice, type NodeMetrics } from './archGraph';

/**
 * Once-for-All MobileNetV3 (width 1.2) sub-networks: stem, a fixed first block, 5 elastic stages
 * of up to 4 inverted-residual blocks, and the head. Params and multiply-accumulates follow the
 * network OFA extracts (bias-free convolutions with batch norm, SE convolutions with bias,
 * classifier with bias), so FLOPs match OFA's own counter.
 */

const stageWidths = [32, 48, 96, 136, 192];
const stageStrides = [2, 2, 2, 1, 2];
const stageSqueezeExcite = [false, true, false, true, true];
const stageHardSwish = [false, false, true, true, true];
const blocksPerStage = 4;
const stemWidth = 24;
const finalExpandWidth = 1152;
const featureMixWidth = 1536;
const classes = 1000;
const kernelChoices = [3, 5, 7];
const expandChoices = [3, 4, 6];
const depthChoices = [2, 3, 4];
const resolutionChoices = [160, 176, 192, 208, 224];

export interface OfaArch {
  readonly ks: readonly number[];
  readonly e: readonly number[];
  readonly d: readonly number[];
  readonly r: number;
}

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

/** torchvision/OFA `make_divisible`: round to a multiple of 8 without losing more than 10%. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

function outSize(size: number, stride: number): number {
  return Math.floor((size - 1) / stride) + 1;
}

function add(...costs: Required<Pick<NodeMetrics, 'params' | 'flops'>>[]): Required<Pick<NodeMetrics, 'params' | 'flops'>> {
  return costs.reduce((a, b) => ({ params: a.params + b.params, flops: a.flops + b.flops }), { params: 0, flops: 0 });
}

function batchNorm(channels: number): Required<Pick<NodeMetrics, 'params' | 'flops'>> {
  return { params: 2 * channels, flops: 0 };
}

/** Inverted-residual block cost: 1×1 expand (unless ratio 1), k×k depthwise, optional SE, 1×1 project. */
export function mobileBlockCost(
  inChannels: number,
  outChannels: number,
  kernel: number,
  expand: number,
  stride: number,
  inSize: number,
  squeezeExcite: boolean,
): Required<Pick<NodeMetrics, 'params' | 'flops'>> & { mid: number } {
  const out = outSize(inSize, stride);
  const mid = expand === 1 ? inChannels : makeDivisible(Math.round(inChannels * expand));
  const parts = [];
  if (expand !== 1) parts.push(convCost(1, inChannels, mid, inSize, inSize), batchNorm(mid));
  parts.push(convCost(kernel, mid, mid, out, out, { groups: mid }), batchNorm(mid));
  if (squeezeExcite) {
    const reduced = makeDivisible(Math.floor(mid / 4));
    parts.push(convCost(1, mid, reduced, 1, 1, { bias: true }), convCost(1, reduced, mid, 1, 1, { bias: true }));
  }
  parts.push(convCost(1, mid, outChannels, out, out), batchNorm(outChannels));
  return { ...add(...parts), mid };
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

  nodes.push({
    id: 'input',
    label: 'Input',
    sublabel: `${r}×${r}×3`,
    kind: 'input',
    metrics: {},
    attributes: [['resolution', `${r}×${r}`]],
    ...(supernet ? { choices: [choice('resolution', resolutionChoices, r, String)] } : {}),
  });
  let size = outSize(r, 2);
  nodes.push({
    id: 'stem',
    label: 'Conv 3×3 /2',
    sublabel: `${stemWidth} ch · h-swish`,
    kind: 'conv',
    metrics: add(convCost(3, 3, stemWidth, size, size), batchNorm(stemWidth)),
    attributes: [['output', `${size}×${size}×${stemWidth}`]],
  });
  link('input', 'stem');
  nodes.push({
    id: 'first',
    label: 'MBConv1 3×3',
    sublabel: `${stemWidth} ch`,
    kind: 'block',
    metrics: withoutMid(mobileBlockCost(stemWidth, stemWidth, 3, 1, 1, size, false)),
    attributes: [['output', `${size}×${size}×${stemWidth}`], ['residual', 'identity']],
  });
  link('stem', 'first');

  let channels = stemWidth;
  for (let s = 0; s < stageWidths.length; s++) {
    const group = `stage${s + 1}`;
    const width = stageWidths[s];
    groups.push({
      id: group,
      label: `Stage ${s + 1} · ${width} ch · /${stageStrides[s]}${stageSqueezeExcite[s] ? ' · SE' : ''} · ${stageHardSwish[s] ? 'h-swish' : 'ReLU'} · depth ${d[s]}${supernet ? ` of {${depthChoices.join(',')}}` : ''}`,
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
          ...(supernet
            ? { choices: [choice('kernel', kernelChoices, undefined, (v) => `${v}×${v}`), choice('expand', expandChoices, undefined, (v) => `×${v}`)] }
            : {}),
        });
        link(skippedTail ?? previous, id, true);
        skippedTail = id;
        continue;
      }
      const stride = j === 0 ? stageStrides[s] : 1;
      const cost = mobileBlockCost(channels, width, ks[i], e[i], stride, size, stageSqueezeExcite[s]);
      const out = outSize(size, stride);
      nodes.push({
        id,
        label: `MB${e[i]} ${ks[i]}×${ks[i]}`,
        sublabel: `${width} ch${stride > 1 ? ` · /${stride}` : ''}${stageSqueezeExcite[s] ? ' · SE' : ''}`,
        kind: 'block',
        group,
        metrics: withoutMid(cost),
        attributes: [
          ['block', `${i} (stage ${s + 1}, position ${j + 1})`],
          ['kernel', `${ks[i]}×${ks[i]}`],
          ['expand ratio', String(e[i])],
          ['channels', `${channels} → ${cost.mid} → ${width}`],
          ['output', `${out}×${out}×${width}`],
          ['residual', j === 0 ? 'none' : 'identity'],
        ],
        ...(supernet
          ? { choices: [choice('kernel', kernelChoices, ks[i], (v) => `${v}×${v}`), choice('expand', expandChoices, e[i], (v) => `×${v}`)] }
          : {}),
      });
      connect(id);
      channels = width;
      size = out;
    }
  }

  const head: ArchNode[] = [
    {
      id: 'final_expand',
      label: 'Conv 1×1',
      sublabel: `${finalExpandWidth} ch · h-swish`,
      kind: 'conv',
      metrics: add(convCost(1, channels, finalExpandWidth, size, size), batchNorm(finalExpandWidth)),
      attributes: [['output', `${size}×${size}×${finalExpandWidth}`]],
    },
    { id: 'pool', label: 'Global avg pool', kind: 'pool', metrics: { params: 0, flops: 0 }, attributes: [['output', `1×1×${finalExpandWidth}`]] },
    {
      id: 'feature_mix',
      label: 'Conv 1×1',
      sublabel: `${featureMixWidth} ch · h-swish`,
      kind: 'conv',
      metrics: convCost(1, finalExpandWidth, featureMixWidth, 1, 1),
      attributes: [['output', `1×1×${featureMixWidth}`]],
    },
    {
      id: 'classifier',
      label: 'Linear',
      sublabel: `${classes} classes`,
      kind: 'dense',
      metrics: { params: featureMixWidth * classes + classes, flops: featureMixWidth * classes },
      attributes: [['output', String(classes)]],
    },
  ];
  for (const node of head) {
    nodes.push(node);
    connect(node.id);
  }
  nodes.push({ id: 'output', label: 'Logits', sublabel: String(classes), kind: 'output', metrics: {}, attributes: [] });
  connect('output');

  return finishGraph(
    { space: 'ofa-mbv3', title: `OFA MobileNetV3 sub-network · r=${r} · d=[${d.join(',')}]`, direction: 'down', nodes, edges, groups },
    options.details,
  );
}

function withoutMid(cost: Required<Pick<NodeMetrics, 'params' | 'flops'>> & { mid: number }): NodeMetrics {
  return { params: cost.params, flops: cost.flops };
}
