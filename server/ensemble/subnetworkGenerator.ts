import type { LayerSpec, LayerStackArch } from '../spaces/layers/layerSpec';
import type { BlocksGenerator, EnsembleSpec } from './ensembleSpec';

/** A subnetwork to train as an ensemble candidate. */
export interface GeneratedCandidate {
  readonly arch: LayerStackArch;
  /** Blocks stacked (hidden layers). */
  readonly depth: number;
  /** r(h) = √depth, the reference's approximation of the Rademacher complexity. */
  readonly complexity: number;
}

/** The simple DNN generator's candidates per iteration (at most). */
const BLOCK_CANDIDATES = 2;

/** Candidates one iteration trains at most; trial numbers are iteration · this + the candidate's index. */
export function candidatesPerIteration(spec: Pick<EnsembleSpec, 'generator'>): number {
  return spec.generator.type === 'blocks' ? BLOCK_CANDIDATES : spec.generator.candidates;
}

/** The classifier alone on the flattened input: what every subnetwork takes and outputs. */
export function linearStack(network: EnsembleSpec['network']): LayerStackArch {
  return { space: 'layers', input: network.input, layers: [{ type: 'flatten' }, { type: 'dense', units: network.classes, activation: 'softmax' }] };
}

type BlocksSpec = { readonly generator: BlocksGenerator; readonly network: EnsembleSpec['network'] };

/** The deepest subnetwork the generator may build: conv blocks halve the image, so a 28-pixel input takes at most 4. */
export function depthLimit(spec: BlocksSpec): number {
  const { generator, network } = spec;
  if (generator.block.type === 'dense') return generator.maxDepth;
  return Math.min(generator.maxDepth, Math.floor(Math.log2(Math.min(network.input[0], network.input[1]))));
}

/** `depth` blocks, then the softmax classifier: a layer stack the training stack builds. */
export function blockStack(spec: BlocksSpec, depth: number): LayerStackArch {
  const { block, dropout } = spec.generator;
  const drop: LayerSpec[] = dropout > 0 ? [{ type: 'dropout', rate: dropout }] : [];
  const layers: LayerSpec[] = [];
  if (block.type === 'dense') {
    layers.push({ type: 'flatten' });
    for (let i = 0; i < depth; i++) layers.push({ type: 'dense', units: block.units, activation: 'relu' }, ...drop);
  } else {
    for (let i = 0; i < depth; i++) layers.push({ type: 'conv2d', filters: block.filters, kernel: block.kernel, stride: 1, padding: 'same', activation: 'relu' }, { type: 'maxpool', size: 2 });
    layers.push({ type: 'flatten' }, ...(depth > 0 ? drop : []));
  }
  layers.push({ type: 'dense', units: spec.network.classes, activation: 'softmax' });
  return { space: 'layers', input: spec.network.input, layers };
}

/**
 * The simple DNN generator's candidates: one as deep as the last subnetwork chosen (the initial
 * depth at first) and one a block deeper, while the input allows it.
 */
export function generateCandidates(spec: BlocksSpec, lastDepth: number | undefined): GeneratedCandidate[] {
  const depth = lastDepth ?? spec.generator.initialDepth;
  return [depth, depth + 1].slice(0, BLOCK_CANDIDATES).filter((d) => d <= depthLimit(spec)).map((d) => ({ arch: blockStack(spec, d), depth: d, complexity: Math.sqrt(d) }));
}
