/**
 * A plain layer stack: what the `layers` space produces and the training evaluator builds.
 * Shapes, params and FLOPs of any layer stack come from server/graphs/layersGraph.ts.
 */
export type LayerSpec =
  | { readonly type: 'conv2d'; readonly filters: number; readonly kernel: number; readonly stride: number; readonly padding: 'same'; readonly activation: 'relu' }
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
