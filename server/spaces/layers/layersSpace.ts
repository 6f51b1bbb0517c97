import { CategoricalSpace, oneHot, type Decision, type DecisionGroup, type Genome, type SpaceDefinition } from '../../core/searchSpace';
import { SpecError } from '../../core/errors';
import { MAX_CHOICES } from '../../core/specBounds';
import type { LayerSpec, LayerStackArch } from './layerSpec';

export interface LayersSpaceOptions {
  input?: [number, number, number];
  classes?: number;
  /** Up to `max` conv blocks (conv2d 'same' + ReLU + 2x2 max-pool), each choosing filters and kernel. */
  convBlocks?: { max?: number; filters?: number[]; kernels?: number[] };
  /** Up to `max` hidden dense layers (ReLU) before the classifier. */
  denseLayers?: { max?: number; units?: number[] };
  /** Dropout rate before the classifier (0 = none). */
  dropout?: number[];
}

interface Resolved {
  input: [number, number, number];
  classes: number;
  maxConv: number;
  filters: number[];
  kernels: number[];
  maxDense: number;
  units: number[];
  dropout: number[];
}

/**
 * Small CNNs and MLPs for image classification: how many conv blocks and their widths and
 * kernels, how many hidden dense layers and their widths, and the dropout rate. Zero conv
 * blocks gives an MLP. Decisions of unused blocks do not change the architecture (nor its key).
 */
export class LayersSpace extends CategoricalSpace {
  readonly id = 'layers';
  readonly decisions: readonly Decision[];
  /** One part per block (a conv block's filters and kernel, a dense layer's units), the two depths and the dropout. */
  readonly components: readonly DecisionGroup[];
  private readonly o: Resolved;

  constructor(options: LayersSpaceOptions = {}) {
    super();
    this.o = resolve(options);
    const d: Decision[] = [{ name: 'conv_blocks', choices: range(this.o.maxConv + 1) }];
    for (let i = 0; i < this.o.maxConv; i++) {
      d.push({ name: `conv${i}_filters`, choices: this.o.filters }, { name: `conv${i}_kernel`, choices: this.o.kernels });
    }
    d.push({ name: 'dense_layers', choices: range(this.o.maxDense + 1) });
    for (let i = 0; i < this.o.maxDense; i++) d.push({ name: `dense${i}_units`, choices: this.o.units });
    d.push({ name: 'dropout', choices: this.o.dropout });
    this.decisions = d;
    const group = (name: string, ...names: string[]) => ({ name, decisions: names.map((n) => d.findIndex((x) => x.name === n)) });
    this.components = [
      group('conv depth', 'conv_blocks'),
      ...range(this.o.maxConv).map((i) => group(`conv${i}`, `conv${i}_filters`, `conv${i}_kernel`)),
      group('dense depth', 'dense_layers'),
      ...range(this.o.maxDense).map((i) => group(`dense${i}`, `dense${i}_units`)),
      group('dropout', 'dropout'),
    ];
  }

  private value(genome: Genome, name: string): number {
    const i = this.decisions.findIndex((d) => d.name === name);
    return this.decisions[i].choices[genome[i]] as number;
  }

  override key(genome: Genome): string {
    return JSON.stringify(this.toArch(genome).layers);
  }

  override get cardinality(): number {
    const conv = this.o.filters.length * this.o.kernels.length;
    const dense = this.o.units.length;
    const series = (base: number, max: number) => range(max + 1).reduce((s, k) => s + base ** k, 0);
    return series(conv, this.o.maxConv) * series(dense, this.o.maxDense) * this.o.dropout.length;
  }

  encode(genome: Genome): Float32Array {
    return oneHot(this, genome);
  }

  toArch(genome: Genome): LayerStackArch {
    const layers: LayerSpec[] = [];
    const convBlocks = this.value(genome, 'conv_blocks');
    for (let i = 0; i < convBlocks; i++) {
      layers.push({
        type: 'conv2d',
        filters: this.value(genome, `conv${i}_filters`),
        kernel: this.value(genome, `conv${i}_kernel`),
        stride: 1,
        padding: 'same',
        activation: 'relu',
      });
      layers.push({ type: 'maxpool', size: 2 });
    }
    layers.push({ type: 'flatten' });
    const denseLayers = this.value(genome, 'dense_layers');
    for (let i = 0; i < denseLayers; i++) layers.push({ type: 'dense', units: this.value(genome, `dense${i}_units`), activation: 'relu' });
    const rate = this.value(genome, 'dropout');
    if (rate > 0) layers.push({ type: 'dropout', rate });
    layers.push({ type: 'dense', units: this.o.classes, activation: 'softmax' });
    return { space: 'layers', input: this.o.input, layers };
  }

  fromArch(arch: unknown): Genome {
    const layers = (arch as { layers?: unknown } | null)?.layers;
    if (!Array.isArray(layers)) throw new SpecError('a layers architecture needs a "layers" array', []);
    const genome = this.decisions.map(() => 0);
    const set = (name: string, value: unknown, at: number) => {
      const i = this.decisions.findIndex((d) => d.name === name);
      const choice = this.decisions[i]?.choices.indexOf(value as number) ?? -1;
      if (i < 0 || choice < 0) {
        throw new SpecError(`layer ${at}: ${name.replace(/^\w+?\d*_/, '')} ${String(value)} is not in this space`, ['layers', at]);
      }
      genome[i] = choice;
    };
    let conv = 0;
    let dense = 0;
    layers.forEach((layer: Partial<LayerSpec> & Record<string, unknown>, at) => {
      if (layer.type === 'conv2d') {
        if (conv >= this.o.maxConv) throw new SpecError(`layer ${at}: more than ${this.o.maxConv} conv blocks`, ['layers', at]);
        set(`conv${conv}_filters`, layer.filters, at);
        set(`conv${conv}_kernel`, layer.kernel, at);
        conv++;
      } else if (layer.type === 'dense' && layer.activation !== 'softmax') {
        if (dense >= this.o.maxDense) throw new SpecError(`layer ${at}: more than ${this.o.maxDense} hidden dense layers`, ['layers', at]);
        set(`dense${dense}_units`, layer.units, at);
        dense++;
      } else if (layer.type === 'dropout') {
        set('dropout', layer.rate, at);
      } else if (!['maxpool', 'flatten', 'dense'].includes(String(layer.type))) {
        throw new SpecError(`layer ${at}: unknown layer type ${JSON.stringify(layer.type)}`, ['layers', at, 'type']);
      }
    });
    set('conv_blocks', conv, 0);
    set('dense_layers', dense, 0);
    return genome;
  }

  describe(genome: Genome): string {
    const parts = this.toArch(genome).layers.flatMap((l) => {
      if (l.type === 'conv2d') return [`conv${l.kernel}x${l.kernel}-${l.filters}`];
      if (l.type === 'dense' && l.activation !== 'softmax') return [`fc${l.units}`];
      if (l.type === 'dropout') return [`drop${l.rate}`];
      return [];
    });
    return parts.length > 0 ? parts.join(' ') : 'linear';
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function resolve(o: LayersSpaceOptions): Resolved {
  const r: Resolved = {
    input: o.input ?? [28, 28, 1],
    classes: o.classes ?? 10,
    maxConv: o.convBlocks?.max ?? 2,
    filters: o.convBlocks?.filters ?? [8, 16, 32],
    kernels: o.convBlocks?.kernels ?? [3, 5],
    maxDense: o.denseLayers?.max ?? 1,
    units: o.denseLayers?.units ?? [32, 64, 128],
    dropout: o.dropout ?? [0, 0.25],
  };
  const [h, w] = r.input;
  if (Math.min(h, w) >> r.maxConv < 1) {
    throw new SpecError(`${r.maxConv} conv blocks halve a ${h}x${w} input to nothing; use at most ${Math.floor(Math.log2(Math.min(h, w)))}`, ['convBlocks', 'max']);
  }
  return r;
}

/** A decision's choices: distinct sizes from 1 to `maximum`. */
const sizes = (maximum: number) => ({ type: 'array', items: { type: 'integer', minimum: 1, maximum }, minItems: 1, maxItems: MAX_CHOICES }) as const;

export const layersSpace: SpaceDefinition<LayersSpaceOptions> = {
  type: 'layers',
  title: 'CNN / MLP layer stack',
  description: 'Small image classifiers: 0..N conv blocks (filters, kernel), 0..M hidden dense layers (units), dropout.',
  optionsSchema: {
    type: 'object',
    properties: {
      input: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 1024 }, minItems: 3, maxItems: 3, description: 'Input shape [height, width, channels]. Default [28, 28, 1].' },
      classes: { type: 'integer', minimum: 2, maximum: 10000, description: 'Number of classes. Default 10.' },
      convBlocks: {
        type: 'object',
        additionalProperties: false,
        description: 'Conv blocks: conv2d (same padding) + ReLU + 2x2 max-pool.',
        properties: {
          max: { type: 'integer', minimum: 0, maximum: 6, description: 'Most conv blocks. Default 2.' },
          filters: { ...sizes(4096), description: 'Filter counts to choose from. Default [8, 16, 32].' },
          kernels: { ...sizes(31), description: 'Kernel sizes to choose from. Default [3, 5].' },
        },
      },
      denseLayers: {
        type: 'object',
        additionalProperties: false,
        description: 'Hidden dense layers with ReLU before the classifier.',
        properties: {
          max: { type: 'integer', minimum: 0, maximum: 4, description: 'Most hidden dense layers. Default 1.' },
          units: { ...sizes(16384), description: 'Widths to choose from. Default [32, 64, 128].' },
        },
      },
      dropout: {
        type: 'array',
        items: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        minItems: 1,
        maxItems: MAX_CHOICES,
        description: 'Dropout rates before the classifier to choose from (0 = none). Default [0, 0.25].',
      },
    },
  },
  create: (options) => new LayersSpace(options),
};
