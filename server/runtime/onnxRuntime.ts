import { errorMessage } from '../core/errors';

export type OnnxRuntime = typeof import('onnxruntime-node');

let loaded: OnnxRuntime | { readonly unavailable: string } | undefined;

/**
 * onnxruntime-node, or why it cannot be loaded: it is an optional dependency (a native package
 * with binaries per platform), so everything that uses it has a path without it.
 */
export function loadOnnxRuntime(): OnnxRuntime | { readonly unavailable: string } {
  if (!loaded) {
    try {
      loaded = require('onnxruntime-node') as OnnxRuntime;
    } catch (e) {
      loaded = { unavailable: `onnxruntime-node is not installed (${errorMessage(e).split('\n')[0]})` };
    }
  }
  return loaded;
}
