/**
 * A small `ofa-small` supernet for 28x28 grayscale digits (embedded MNIST): every elastic
 * dimension has two choices, so tests train it in seconds per epoch.
 */
export const TINY_SUPERNET = {
  type: 'ofa-small',
  input: [28, 28, 1],
  classes: 10,
  stem: 8,
  stemStride: 2,
  stages: [
    { width: 8, stride: 1 },
    { width: 16, stride: 2 },
  ],
  kernels: [3, 5],
  expandRatios: [2, 3],
  depths: [1, 2],
  resolutions: [24, 28],
};
