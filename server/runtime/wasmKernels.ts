/**
 * Gradient kernels the wasm backend lacks (Conv2DBackpropFilter,
 * DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput), registered so that
 * convolutional networks can train on 'wasm'. Filled in by the training-kernels work; until then
 * nothing is registered and conv training needs the 'cpu' or 'tensorflow' backend.
 */
export function registerWasmTrainingKernels(): void {}
