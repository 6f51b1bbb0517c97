/**
 * The lookup table of a ProxylessNAS space: measured on this machine with the code behind
 * `nas-studio lut` (every distinct layer timed alone, batch 1), or read from a folder measured
 * elsewhere, in OFA's `<size>_lookup_table.yaml` format either way.
 */
import * as tf from '@tensorflow/tfjs';
import { writeLut, type LutEntry } from '../ofa/latencyTable';
import { buildMbv3Layer, LayerTensors, measureTimedLayers, type BuiltLayer, type MeasureOptions } from '../ofa/lutMeasurement';
import { layerKey, supernetLayers, type ProxylessLayer, type StemLayer } from './latencyModel';
import type { MixedBlock, ProxylessConfig } from './proxylessSpace';

function buildStem(layer: StemLayer): BuiltLayer {
  const tensors = new LayerTensors();
  const x = tensors.image(layer.inSize, layer.inChannels);
  const kernel = tensors.weights([3, 3, layer.inChannels, layer.outChannels]);
  const bias = tensors.weights([layer.outChannels]);
  return { forward: () => tf.relu(tf.add(tf.conv2d(x, kernel as tf.Tensor4D, layer.stride, 'same'), bias)), dispose: () => tensors.dispose() };
}

function buildLayer(layer: ProxylessLayer): BuiltLayer {
  return layer.kind === 'Stem' ? buildStem(layer) : buildMbv3Layer(layer);
}

/** Times every distinct layer of the supernet on the active backend. */
export function measureSupernetLayers(config: ProxylessConfig, blocks: readonly MixedBlock[], options: MeasureOptions): Promise<Map<string, LutEntry>> {
  return measureTimedLayers(
    supernetLayers(config, blocks).map((layer) => ({ key: layerKey(layer), build: () => buildLayer(layer) })),
    options,
  );
}

/** Writes the table as `<input size>_lookup_table.yaml` in `dir`; returns the file. */
export function writeSupernetTable(dir: string, config: ProxylessConfig, entries: ReadonlyMap<string, LutEntry>, note: string): Promise<string> {
  return writeLut(dir, config.input[0], entries, note);
}
