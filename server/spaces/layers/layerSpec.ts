/** A plain layer stack: what the `layers` space produces and the training evaluator builds. */
export type LayerSpec =
  | { readonly type: 'conv2d'; readonly filters: number; readonly kernel: number; readonly stride: number; readonly activation: 'relu' }
  | { readonly type: 'maxpool'; readonly size: number }
  | { readonly type: 'flatten' }
  | { readonly type: 'dense'; readonly units: number; readonly activation: 'relu' | 'softmax' }
  | { readonly type: 'dropout'; readonly rate: number };

export type LayerStackArch = {
  readonly space: 'layers';
  /** [height, width, channels] */
  readonly input: readonly [number, number, number];
  readonly layers: readonly LayerSpec[];
};

export interface LayerCost {
  readonly outputShape: readonly number[];
  readonly params: number;
  /** Multiply-accumulate operations for one example (what NAS papers call FLOPs). */
  readonly macs: number;
}

/**
 * Output shape, parameter count and multiply-accumulates of every layer for one example.
 * Convolutions use 'same' padding; pooling uses 'valid' windows with stride = size.
 */
export function layerCosts(arch: LayerStackArch): LayerCost[] {
  let shape: number[] = [...arch.input];
  return arch.layers.map((layer) => {
    let params = 0;
    let macs = 0;
    switch (layer.type) {
      case 'conv2d': {
        const [h, w, c] = shape;
        const oh = Math.ceil(h / layer.stride);
        const ow = Math.ceil(w / layer.stride);
        params = layer.kernel * layer.kernel * c * layer.filters + layer.filters;
        macs = oh * ow * layer.kernel * layer.kernel * c * layer.filters;
        shape = [oh, ow, layer.filters];
        break;
      }
      case 'maxpool': {
        const [h, w, c] = shape;
        shape = [Math.floor(h / layer.size), Math.floor(w / layer.size), c];
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dense': {
        const inputs = shape[shape.length - 1];
        params = inputs * layer.units + layer.units;
        macs = inputs * layer.units;
        shape = [layer.units];
        break;
      }
      case 'dropout':
        break;
    }
    return { outputShape: shape, params, macs };
  });
}

export function totalCost(arch: LayerStackArch): { params: number; macs: number } {
  return layerCosts(arch).reduce((t, c) => ({ params: t.params + c.params, macs: t.macs + c.macs }), { params: 0, macs: 0 });
}
