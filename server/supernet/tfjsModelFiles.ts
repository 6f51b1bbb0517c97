import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, errorMessage } from '../core/errors';
import { writeFileAtomic } from '../store/atomicFile';

const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** Weights as model.save gives them (float32, in spec order), possibly re-encoded before they are written. */
export interface EncodedWeights {
  readonly specs: tf.io.WeightsManifestEntry[];
  readonly data: ArrayBuffer;
}

/**
 * Saves a tf.LayersModel in the TF.js Layers format (model.json + one binary weights file), as
 * `tf.loadLayersModel` and tfjs-converter tools read it - the format of `model.save('file://...')`
 * in tfjs-node, written here without it. `encode` may store weights differently (e.g. quantized
 * to uint8 with the manifest's `quantization` entries, which stock TF.js decodes on load).
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string, encode?: (weights: EncodedWeights) => EncodedWeights): Promise<{ modelJson: string; weightBytes: number }> {
  mkdirSync(dir, { recursive: true });
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const saved = { specs: artifacts.weightSpecs ?? [], data: artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0) };
      const { specs, data } = encode ? encode(saved) : saved;
      weightBytes = data.byteLength;
      writeFileAtomic(join(dir, WEIGHTS_FILE), new Uint8Array(data));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: specs }],
      };
      writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return { modelJson: join(dir, MODEL_JSON), weightBytes };
}

/** Loads a model saved by `saveLayersModel` (or any TF.js Layers model folder) from disk. */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const file = join(dir, MODEL_JSON);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as tf.io.ModelJSON;
  } catch (e) {
    throw new DataError(`cannot read a TF.js model: ${errorMessage(e)}`, file);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers = manifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p))));
    return [specs, tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)))];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
