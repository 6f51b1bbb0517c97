import { type OfaSmallConfig, type SubnetArch, stridedSize, subnetBlocks } from './ofaSmallConfig';

export interface SubnetCost {
  /** Weights of the network (batch norm counted with its moving statistics, as tf countParams does). */
  readonly params: number;
  /** Multiply-accumulates of one forward pass (OFA's FLOPs convention). */
  readonly flops: number;
}

/**
 * Parameters and FLOPs of a sub-network, counted layer by layer as extracted: stem conv + BN,
 * each block's expansion conv + BN (absent when the only expand ratio is 1), depthwise conv + BN,
 * projection conv + BN, and the classifier. The extracted model's frozen input layers
 * (normalization, resize) are preprocessing, not architecture, and are not counted.
 */
export function subnetCost(config: OfaSmallConfig, arch: SubnetArch): SubnetCost {
  const c = config.input[2];
  let params = 0;
  let flops = 0;
  const bn = (channels: number) => 4 * channels;
  const stemSize = stridedSize(arch.r, config.stemStride);
  params += 9 * c * config.stem + bn(config.stem);
  flops += stemSize * stemSize * 9 * c * config.stem;
  let channels = config.stem;
  for (const b of subnetBlocks(config, arch)) {
    const out = stridedSize(b.inputSize, b.stride);
    if (b.expansion) {
      params += b.inChannels * b.mid + bn(b.mid);
      flops += b.inputSize * b.inputSize * b.inChannels * b.mid;
    }
    params += b.kernel * b.kernel * b.mid + bn(b.mid);
    flops += out * out * b.kernel * b.kernel * b.mid;
    params += b.mid * b.outChannels + bn(b.outChannels);
    flops += out * out * b.mid * b.outChannels;
    channels = b.outChannels;
  }
  params += channels * config.classes + config.classes;
  flops += channels * config.classes;
  return { params, flops };
}
