import { SpecError } from '../core/errors';
import { opName } from '../proxyless/proxylessSpace';
import { PROXYLESS_SPACE, type ProxylessArch } from '../proxyless/proxylessArch';
import { maxDepth, type OfaSmallConfig, type SubnetArch } from '../supernet/ofaSmallConfig';

/**
 * A sub-network of an `ofa-small` supernet as a standalone MBConv network, the form the training
 * stack builds (server/proxyless/derivedModel.ts): the supernet's stem, each stage's active blocks
 * with their kernel and expand ratio, pooling and classifier, at the sub-network's resolution.
 * As OFA's `get_active_subnet` extracts it, a block with expand ratio 1 has no 1x1 expansion.
 * Its weights are not the supernet's: compound scaling trains every network from scratch.
 */
export function ofaSubnetNetwork(config: OfaSmallConfig, subnet: SubnetArch): ProxylessArch {
  const depth = maxDepth(config);
  return {
    space: PROXYLESS_SPACE,
    input: [subnet.r, subnet.r, config.input[2]],
    classes: config.classes,
    stem: config.stem,
    stemStride: config.stemStride,
    stages: config.stages.map((stage, s) => ({
      width: stage.width,
      stride: stage.stride,
      ops: Array.from({ length: subnet.d[s] }, (_, j) => {
        const slot = s * depth + j;
        const expand = subnet.e[slot];
        if (!Number.isInteger(expand)) throw new SpecError(`block ${j + 1} of stage ${s + 1} has expand ratio ${expand}; the training stack builds whole expand ratios`, ['e', slot]);
        return opName({ kind: 'mbconv', kernel: subnet.ks[slot], expand });
      }),
    })),
  };
}
