import * as tf from '@tensorflow/tfjs';
import { DataError } from '../core/errors';
import type { TrainedSupernet } from './trainedSupernet';
import { Conv2d, Dense } from '../training/layers';
import type { TrainableModel } from '../training/model';
import { ParamFactory } from '../training/params';
import { ElasticBatchNorm, type SupernetContext } from './elasticLayers';
import { ElasticMbConv } from './elasticMbConv';
import { extremeSubnet, hasExpansion, maxDepth, type OfaSmallConfig, type SubnetArch } from './ofaSmallConfig';

/**
 * Resizes NHWC images to r x r (bilinear, corners aligned: what tf.layers.resizing does, so an
 * extracted sub-network can resize the same way); images already that size pass through.
 */
export function resizeInput(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return x.shape[1] === r && x.shape[2] === r ? x : tf.image.resizeBilinear(x, [r, r], true);
}

/**
 * The `ofa-small` supernet (see ofaSmallConfig.ts): the weights of the largest network, of which
 * every sub-network uses leading channels, centre (transformed) kernels and the first blocks of
 * each stage. `setActive` chooses the sub-network the next forward passes run, as in OFA.
 * Variables are created in a fixed order from one seed, so data-parallel replicas are identical.
 */
export class OfaSupernet implements TrainableModel {
  readonly stem: { conv: Conv2d; bn: ElasticBatchNorm };
  /** blocks[stage][index in stage] */
  readonly blocks: ElasticMbConv[][];
  readonly classifier: Dense;
  readonly trainableVariables: readonly tf.Variable[];
  readonly stateVariables: readonly tf.Variable[];
  private activeArch: SubnetArch;

  constructor(
    readonly config: OfaSmallConfig,
    seed: number,
  ) {
    const params = new ParamFactory(seed);
    this.stem = { conv: new Conv2d(params, config.input[2], config.stem, 3, config.stemStride), bn: new ElasticBatchNorm(params, config.stem) };
    let channels = config.stem;
    this.blocks = config.stages.map((stage) =>
      Array.from({ length: maxDepth(config) }, (_, j) => {
        const block = new ElasticMbConv(params, {
          inChannels: channels,
          outChannels: stage.width,
          stride: j === 0 ? stage.stride : 1,
          kernels: config.kernels,
          expandRatios: config.expandRatios,
          expansion: hasExpansion(config),
        });
        channels = stage.width;
        return block;
      }),
    );
    this.classifier = new Dense(params, channels, config.classes);
    this.trainableVariables = params.trainable;
    this.stateVariables = params.state;
    this.activeArch = extremeSubnet(config, 'largest');
  }

  get active(): SubnetArch {
    return this.activeArch;
  }

  setActive(arch: SubnetArch): void {
    this.activeArch = arch;
  }

  /** NHWC images at the input size -> logits of the active sub-network. */
  apply(x: tf.Tensor4D, context: SupernetContext): tf.Tensor2D {
    const arch = this.activeArch;
    let h = this.stem.bn.apply(this.stem.conv.apply(resizeInput(x, arch.r)), context, true);
    const depth = maxDepth(this.config);
    this.blocks.forEach((stage, s) => {
      for (let j = 0; j < arch.d[s]; j++) h = stage[j].apply(h, arch.ks[s * depth + j], arch.e[s * depth + j], context);
    });
    return this.classifier.apply(tf.mean(h, [1, 2]) as tf.Tensor2D);
  }

  /** OFA's re_organize_middle_weights on every block (see ElasticMbConv.sortChannels). */
  sortChannels(keptRatios: readonly number[]): void {
    for (const stage of this.blocks) for (const block of stage) block.sortChannels(keptRatios);
  }

  /** Trainable then state variables, in creation order. */
  get variables(): tf.Variable[] {
    return [...this.trainableVariables, ...this.stateVariables];
  }

  /** Sets every variable from values in `variables` order (a checkpoint's weights). */
  setWeights(values: readonly Float32Array[]): void {
    const variables = this.variables;
    if (values.length !== variables.length) throw new Error(`${values.length} tensors for a supernet of ${variables.length} variables`);
    tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape))));
  }

  /** Copies every variable of a supernet of the same config (e.g. a teacher from the student). */
  copyFrom(other: OfaSupernet): void {
    const source = other.variables;
    this.variables.forEach((v, i) => v.assign(source[i]));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** The supernet with a trained run's checkpoint weights (on the current tfjs backend). */
export function loadSupernet(trained: TrainedSupernet): OfaSupernet {
  const model = new OfaSupernet(trained.spec.supernet, trained.spec.seed);
  const weights = trained.checkpoint.state.weights;
  if (weights.length !== model.variables.length) throw new DataError(`the checkpoint has ${weights.length} tensors, the supernet of its spec ${model.variables.length}`, trained.folder.checkpoints);
  model.setWeights(weights);
  return model;
}
