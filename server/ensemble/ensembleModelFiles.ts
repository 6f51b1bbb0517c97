import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, errorMessage } from '../core/errors';
import { writeFileAtomic } from '../store/atomicFile';
import type { Mixture } from './adanetObjective';

/**
 * An AdaNet ensemble as one TF.js Layers model (model.json + weights.bin), written from its
 * members' saved models without rebuilding them: each member's layers, renamed and chained
 * from one shared input, end in its logits (the softmax classifier made linear); the logits are
 * concatenated and a fixed dense layer applies the mixture weights — a block of w_j·I (scalar) or
 * diag(w_j) (vector) per member, the ensemble's bias as its bias — and a softmax follows. Any
 * TF.js runtime loads it with tf.loadLayersModel; nothing custom needs registering.
 */

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface ModelJson {
  modelTopology: { class_name: string; config: { name?: string; layers: LayerJson[] } | LayerJson[]; keras_version?: string; backend?: string };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  format?: string;
  generatedBy?: string;
}

export const ENSEMBLE_INPUT = 'image';
export const MIXTURE_LAYER = 'mixture_weights';
export const ENSEMBLE_OUTPUT = 'ensemble_softmax';

function readModel(dir: string): { json: ModelJson; weights: Buffer } {
  const file = join(dir, 'model.json');
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
    const weights = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
    return { json, weights };
  } catch (e) {
    throw new DataError(`cannot read the member's TF.js model: ${errorMessage(e)}`, file);
  }
}

/** The layers of a saved Sequential model (tfjs writes them as config.layers; older files as a bare list). */
function sequentialLayers(json: ModelJson, dir: string): LayerJson[] {
  const topology = json.modelTopology;
  if (topology.class_name !== 'Sequential') throw new DataError(`an ensemble member must be a Sequential model, not ${topology.class_name}`, join(dir, 'model.json'));
  return Array.isArray(topology.config) ? topology.config : topology.config.layers;
}

const inbound = (name: string) => [[[name, 0, 0, {}]]];

/** Block j of the mixture kernel ([members·classes, classes]): w_j on the diagonal. */
function mixtureKernel(mixture: Mixture, classes: number): Float32Array {
  const kernel = new Float32Array(mixture.weights.length * classes * classes);
  mixture.weights.forEach((w, j) => {
    for (let c = 0; c < classes; c++) kernel[(j * classes + c) * classes + c] = w.length === 1 ? w[0] : w[c];
  });
  return kernel;
}

export interface EnsembleFiles {
  readonly modelJson: string;
  readonly weightBytes: number;
  /** Weights of the model, mixture layer included. */
  readonly params: number;
}

/** Writes the ensemble of the members saved in `memberDirs`, weighted by `mixture`, to `outDir`. */
export function writeEnsembleModel(memberDirs: readonly string[], mixture: Mixture, classes: number, outDir: string): EnsembleFiles {
  const layers: LayerJson[] = [];
  const specs: WeightSpec[] = [];
  const buffers: Uint8Array[] = [];
  let inputShape: unknown;
  const logits: string[] = [];
  memberDirs.forEach((dir, j) => {
    const { json, weights } = readModel(dir);
    const own = sequentialLayers(json, dir);
    inputShape ??= own[0]?.config.batch_input_shape;
    const renamed = new Map<string, string>();
    let previous = ENSEMBLE_INPUT;
    own.forEach((layer, i) => {
      const name = `member${j}_${String(layer.config.name)}`;
      renamed.set(String(layer.config.name), name);
      const { batch_input_shape: _shape, dtype: _dtype, ...config } = layer.config;
      const last = i === own.length - 1;
      layers.push({ class_name: layer.class_name, name, config: { ...config, name, ...(last ? { activation: 'linear' } : {}) }, inbound_nodes: inbound(previous) });
      previous = name;
    });
    logits.push(previous);
    for (const spec of json.weightsManifest.flatMap((g) => g.weights)) {
      const [layer, ...rest] = spec.name.split('/');
      specs.push({ ...spec, name: [renamed.get(layer) ?? `member${j}_${layer}`, ...rest].join('/') });
    }
    buffers.push(weights);
  });
  if (!Array.isArray(inputShape)) throw new DataError('the first member model does not declare its input shape', join(memberDirs[0], 'model.json'));
  const concatenated = logits.length > 1 ? 'member_logits' : logits[0];
  if (logits.length > 1) layers.push({ class_name: 'Concatenate', name: concatenated, config: { name: concatenated, axis: -1, trainable: false }, inbound_nodes: [logits.map((l) => [l, 0, 0, {}])] });
  const zeros = { class_name: 'Zeros', config: {} };
  layers.push({
    class_name: 'Dense',
    name: MIXTURE_LAYER,
    config: { name: MIXTURE_LAYER, units: classes, activation: 'linear', use_bias: true, kernel_initializer: zeros, bias_initializer: zeros, trainable: false },
    inbound_nodes: inbound(concatenated),
  });
  layers.push({ class_name: 'Activation', name: ENSEMBLE_OUTPUT, config: { name: ENSEMBLE_OUTPUT, activation: 'softmax', trainable: false }, inbound_nodes: inbound(MIXTURE_LAYER) });
  layers.unshift({ class_name: 'InputLayer', name: ENSEMBLE_INPUT, config: { name: ENSEMBLE_INPUT, batch_input_shape: inputShape, dtype: 'float32', sparse: false }, inbound_nodes: [] });
  const kernel = mixtureKernel(mixture, classes);
  const bias = Float32Array.from(mixture.bias);
  specs.push({ name: `${MIXTURE_LAYER}/kernel`, shape: [mixture.weights.length * classes, classes], dtype: 'float32' }, { name: `${MIXTURE_LAYER}/bias`, shape: [classes], dtype: 'float32' });
  buffers.push(new Uint8Array(kernel.buffer), new Uint8Array(bias.buffer));
  const weightData = Buffer.concat(buffers);
  const model: ModelJson = {
    modelTopology: {
      class_name: 'Model',
      config: { name: 'adanet_ensemble', layers, input_layers: [[ENSEMBLE_INPUT, 0, 0]], output_layers: [[ENSEMBLE_OUTPUT, 0, 0]] } as ModelJson['modelTopology']['config'],
      keras_version: 'tfjs-layers',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'NAS Studio (AdaNet ensemble)',
    weightsManifest: [{ paths: ['./weights.bin'], weights: specs }],
  };
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(join(outDir, 'weights.bin'), weightData);
  writeFileAtomic(join(outDir, 'model.json'), JSON.stringify(model));
  return { modelJson: join(outDir, 'model.json'), weightBytes: weightData.length, params: specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0) };
}
