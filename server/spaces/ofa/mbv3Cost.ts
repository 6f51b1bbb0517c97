import { type Mbv3Layer, type OfaArch, SE_REDUCTION, makeDivisible, networkLayers } from './mbv3Network';

/**
 * Multiply-accumulates of one layer, counted the way OFA's `profile` counts them (convolutions
 * and linear layers only; BN, activations, pooling and the SE scaling are free). The sum over a
 * sub-network equals OFA's `count_net_flops` of the extracted network.
 */
export function layerFlops(layer: Mbv3Layer): number {
  switch (layer.kind) {
    case 'Conv':
      return layer.inChannels * layer.outChannels * 9 * layer.outSize * layer.outSize;
    case 'expanded_conv': {
      const inArea = layer.inSize * layer.inSize;
      const outArea = layer.outSize * layer.outSize;
      const expand = layer.mid === layer.inChannels ? 0 : layer.inChannels * layer.mid * inArea;
      const depthwise = layer.mid * layer.kernel * layer.kernel * outArea;
      const se = layer.se ? 2 * layer.mid * seChannels(layer.mid) : 0;
      return expand + depthwise + se + layer.mid * layer.outChannels * outArea;
    }
    case 'Conv_1':
      return layer.inChannels * layer.outChannels * layer.size * layer.size;
    case 'AvgPool2D':
      return 0;
    case 'Conv_2':
      return layer.inChannels * layer.outChannels;
    case 'Logits':
      return layer.inFeatures * layer.outFeatures;
  }
}

/** Trainable parameters of one layer (convolutions without bias are followed by BN: scale and shift). */
export function layerParams(layer: Mbv3Layer): number {
  switch (layer.kind) {
    case 'Conv':
      return layer.inChannels * layer.outChannels * 9 + 2 * layer.outChannels;
    case 'expanded_conv': {
      const expand = layer.mid === layer.inChannels ? 0 : layer.inChannels * layer.mid + 2 * layer.mid;
      const depthwise = layer.mid * layer.kernel * layer.kernel + 2 * layer.mid;
      const s = seChannels(layer.mid);
      const se = layer.se ? layer.mid * s + s + s * layer.mid + layer.mid : 0;
      return expand + depthwise + se + layer.mid * layer.outChannels + 2 * layer.outChannels;
    }
    case 'Conv_1':
      return layer.inChannels * layer.outChannels + 2 * layer.outChannels;
    case 'AvgPool2D':
      return 0;
    case 'Conv_2':
      return layer.inChannels * layer.outChannels;
    case 'Logits':
      return layer.inFeatures * layer.outFeatures + layer.outFeatures;
  }
}

/** Width of the squeeze-and-excitation bottleneck for `mid` channels. */
export function seChannels(mid: number): number {
  return makeDivisible(Math.floor(mid / SE_REDUCTION));
}

/** Sub-network FLOPs in millions (multiply-accumulates, OFA's convention). */
export function networkMFlops(arch: OfaArch): number {
  return networkLayers(arch).reduce((sum, layer) => sum + layerFlops(layer), 0) / 1e6;
}

/** Sub-network parameters in millions. */
export function networkMParams(arch: OfaArch): number {
  return networkLayers(arch).reduce((sum, layer) => sum + layerParams(layer), 0) / 1e6;
}
