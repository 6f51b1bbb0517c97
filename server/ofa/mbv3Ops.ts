import * as tf from '@tensorflow/tfjs';
import { seChannels } from '../spaces/ofa/mbv3Cost';
import { type Mbv3Layer, type OfaArch, networkLayers } from '../spaces/ofa/mbv3Network';

/** A layer (or network) of OFA MobileNetV3 as a TF.js forward function over fixed random weights. */
export interface MeasuredOp {
  /** NHWC input of batch 1 (Logits: [1, features]). */
  readonly inputShape: number[];
  apply(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** MobileNetV3's h-swish: x * relu6(x + 3) / 6. */
function hardSwish<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, hardSigmoid(x));
}

function hardSigmoid<T extends tf.Tensor>(x: T): T {
  return tf.div(tf.relu6(tf.add(x, 3)), 6);
}

function conv1x1(x: tf.Tensor4D, weights: { kernel: tf.Tensor; bias: tf.Tensor }): tf.Tensor4D {
  return tf.add(tf.conv2d(x, weights.kernel as tf.Tensor4D, 1, 'same'), weights.bias);
}

/**
 * One layer as deployed: forward only, random weights, batch norm folded into a bias (as OFA's
 * latency tables time layers). What a latency table entry measures.
 */
export function layerOp(layer: Mbv3Layer): MeasuredOp {
  const owned: tf.Tensor[] = [];
  const weights = (shape: number[]) => {
    const t = tf.randomNormal(shape, 0, 0.1);
    owned.push(t);
    return t;
  };
  const pointwise = (inputs: number, outputs: number) => ({ kernel: weights([1, 1, inputs, outputs]), bias: weights([outputs]) });
  const dispose = () => tf.dispose(owned);
  switch (layer.kind) {
    case 'Conv': {
      const kernel = weights([3, 3, layer.inChannels, layer.outChannels]);
      const bias = weights([layer.outChannels]);
      return { inputShape: [1, layer.inSize, layer.inSize, layer.inChannels], apply: (x) => hardSwish(tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same'), bias)), dispose };
    }
    case 'expanded_conv': {
      const act = layer.hswish ? hardSwish : tf.relu;
      const expand = layer.mid === layer.inChannels ? undefined : pointwise(layer.inChannels, layer.mid);
      const depthwise = { kernel: weights([layer.kernel, layer.kernel, layer.mid, 1]), bias: weights([layer.mid]) };
      const se = layer.se ? { reduce: pointwise(layer.mid, seChannels(layer.mid)), expand: pointwise(seChannels(layer.mid), layer.mid) } : undefined;
      const project = pointwise(layer.mid, layer.outChannels);
      const apply = (x: tf.Tensor) => {
        let h = x as tf.Tensor4D;
        if (expand) h = act(conv1x1(h, expand));
        h = act(tf.add(tf.depthwiseConv2d(h, depthwise.kernel as tf.Tensor4D, layer.stride, 'same'), depthwise.bias));
        if (se) {
          const squeezed = tf.mean(h, [1, 2], true) as tf.Tensor4D;
          h = tf.mul(h, hardSigmoid(conv1x1(tf.relu(conv1x1(squeezed, se.reduce)), se.expand)));
        }
        h = conv1x1(h, project);
        return layer.idSkip ? tf.add(h, x) : h;
      };
      return { inputShape: [1, layer.inSize, layer.inSize, layer.inChannels], apply, dispose };
    }
    case 'Conv_1': {
      const conv = pointwise(layer.inChannels, layer.outChannels);
      return { inputShape: [1, layer.size, layer.size, layer.inChannels], apply: (x) => hardSwish(conv1x1(x as tf.Tensor4D, conv)), dispose };
    }
    case 'AvgPool2D':
      return { inputShape: [1, layer.size, layer.size, layer.channels], apply: (x) => tf.mean(x, [1, 2], true), dispose };
    case 'Conv_2': {
      const kernel = weights([1, 1, layer.inChannels, layer.outChannels]);
      return { inputShape: [1, 1, 1, layer.inChannels], apply: (x) => hardSwish(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same')), dispose };
    }
    case 'Logits': {
      const kernel = weights([layer.inFeatures, layer.outFeatures]);
      const bias = weights([layer.outFeatures]);
      return { inputShape: [1, layer.inFeatures], apply: (x) => tf.add(tf.matMul(x.reshape([1, layer.inFeatures]) as tf.Tensor2D, kernel as tf.Tensor2D), bias), dispose };
    }
  }
}

/**
 * A whole sub-network: its layers' ops chained, image in, logits out (what a deployed network
 * runs); `layers` are those same ops, to time one by one against the whole.
 */
export function networkOp(arch: OfaArch): MeasuredOp & { readonly layers: readonly MeasuredOp[] } {
  const ops = networkLayers(arch).map(layerOp);
  return {
    layers: ops,
    inputShape: ops[0].inputShape,
    apply: (x) => ops.reduce((h, op) => op.apply(h), x),
    dispose: () => ops.forEach((op) => op.dispose()),
  };
}
