import { writeFile } from 'node:fs/promises';
import { DataError, errorMessage } from '../core/errors';
import { type DenseLayer, Mlp } from './mlp';
import { readReferenceFile } from './referenceFile';

/**
 * Predictor weights as JSON, the format of OFA's released `acc_predictor.json`: the PyTorch
 * `nn.Sequential` state dict, Linear layers at even indices (ReLUs in between), each tensor
 * `{shape, data}` with `data` nested like the shape (`weight` is `[outputs, inputs]`).
 */
export interface TensorJson {
  readonly shape: readonly number[];
  readonly data: readonly unknown[];
}
export type PredictorJson = Record<string, TensorJson | string>;

export async function loadPredictor(file: string): Promise<Mlp> {
  const text = await readReferenceFile(file, "predictor weights (OFA's acc_predictor.json format)");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`predictor weights are not valid JSON: ${errorMessage(error)}`, file);
  }
  return parsePredictor(json, file);
}

/** Builds the network from a parsed weights file; every shape problem is a DataError naming the tensor. */
export function parsePredictor(json: unknown, file: string): Mlp {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DataError('predictor weights must be a JSON object of tensors ("0.weight", "0.bias", ...)', file);
  }
  const record = json as Record<string, unknown>;
  const indices = [...new Set(Object.keys(record).filter((k) => /^\d+\.(weight|bias)$/.test(k)).map((k) => Number(k.split('.')[0])))].sort((a, b) => a - b);
  if (indices.length === 0) throw new DataError('predictor weights hold no "<index>.weight" tensors', file);
  const layers: DenseLayer[] = [];
  for (const index of indices) {
    const weight = tensor(record, `${index}.weight`, 2, file);
    const bias = tensor(record, `${index}.bias`, 1, file);
    const [outputs, inputs] = weight.shape;
    if (bias.shape[0] !== outputs) throw new DataError(`"${index}.bias" has ${bias.shape[0]} values but "${index}.weight" has ${outputs} outputs`, file);
    const previous = layers[layers.length - 1];
    if (previous && previous.outputs !== inputs) {
      throw new DataError(`"${index}.weight" has shape [${weight.shape.join(', ')}] but the layer before outputs ${previous.outputs} values`, file);
    }
    const transposed = new Float64Array(inputs * outputs);
    for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) transposed[i * outputs + o] = weight.values[o * inputs + i];
    layers.push({ inputs, outputs, weight: transposed, bias: Float64Array.from(bias.values) });
  }
  return new Mlp(layers);
}

export function predictorToJson(mlp: Mlp, about?: string): PredictorJson {
  const json: PredictorJson = {};
  if (about) json.about = about;
  mlp.layers.forEach((layer, l) => {
    const rows: number[][] = [];
    for (let o = 0; o < layer.outputs; o++) {
      const row = new Array<number>(layer.inputs);
      for (let i = 0; i < layer.inputs; i++) row[i] = layer.weight[i * layer.outputs + o];
      rows.push(row);
    }
    json[`${2 * l}.weight`] = { shape: [layer.outputs, layer.inputs], data: rows };
    json[`${2 * l}.bias`] = { shape: [layer.outputs], data: Array.from(layer.bias) };
  });
  return json;
}

export async function savePredictor(mlp: Mlp, file: string, about?: string): Promise<void> {
  await writeFile(file, JSON.stringify(predictorToJson(mlp, about)) + '\n');
}

function tensor(record: Record<string, unknown>, name: string, rank: number, file: string): { shape: number[]; values: Float64Array } {
  const value = record[name];
  if (typeof value !== 'object' || value === null) throw new DataError(`tensor "${name}" is missing`, file);
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || shape.length !== rank || !shape.every((n) => Number.isInteger(n) && n > 0)) {
    throw new DataError(`tensor "${name}" must have a shape of ${rank} positive integers, got ${JSON.stringify(shape)}`, file);
  }
  const flat = Array.isArray(data) ? (data as unknown[]).flat(rank) : undefined;
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!flat || flat.length !== size || !flat.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new DataError(`tensor "${name}" must hold ${size} finite numbers for shape [${shape.join(', ')}]`, file);
  }
  return { shape: shape as number[], values: Float64Array.from(flat as number[]) };
}
