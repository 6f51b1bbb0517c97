/**
 * The lookup table of a ProxylessNAS space: measured on this machine with the code behind
 * `nas-studio lut` (every distinct layer timed alone, batch 1), or read from a folder measured
 * elsewhere, in OFA's `<size>_lookup_table.yaml` format either way.
 */
import * as tf from '@tensorflow/tfjs';
import { writeLut, type LutEntry } from '../ofa/latencyTable';
import { measureTimedLayers, type MeasureOptions } from '../ofa/lutMeasurement';
import { layerOp, type MeasuredOp } from '../ofa/mbv3Ops';
import { layerKey, supernetLayers, type ProxylessLayer, type StemLayer } from './latencyModel';
import type { MixedBlock, ProxylessConfig } from './proxylessSpace';

function stemOp(layer: StemLayer): MeasuredOp {
  const kernel = tf.randomNormal([3, 3, layer.inChannels, layer.outChannels], 0, 0.1);
  const bias = tf.randomNormal([layer.outChannels], 0, 0.1);
  return {
    inputShape: [1, layer.inSize, layer.inSize, layer.inChannels],
    apply: (x) => tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, layer.stride, 'same'), bias)),
    dispose: () => tf.dispose([kernel, bias]),
  };
}

function layerOpOf(layer: ProxylessLayer): MeasuredOp {
  return layer.kind === 'Stem' ? stemOp(layer) : layerOp(layer);
}

/** Times every distinct layer of the supernet on the active backend. */
export function measureSupernetLayers(config: ProxylessConfig, blocks: readonly MixedBlock[], options: MeasureOptions): Promise<Map<string, LutEntry>> {
  return measureTimedLayers(
    supernetLayers(config, blocks).map((layer) => ({ key: layerKey(layer), op: () => layerOpOf(layer) })),
    options,
  );
}

/** Writes the table as `<input size>_lookup_table.yaml` in `dir`; returns the file. */
export function writeSupernetTable(dir: string, config: ProxylessConfig, entries: ReadonlyMap<string, LutEntry>, note: string): Promise<string> {
  return writeLut(dir, config.input[0], entries, note);
}
