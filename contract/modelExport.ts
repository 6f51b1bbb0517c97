import type { ArchJson } from './architecture';

/** Formats a trained model can be exported to. */
export const EXPORT_FORMATS = ['onnx', 'tfjs', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_TITLES: Readonly<Record<ExportFormat, string>> = {
  onnx: 'ONNX (model.onnx, opset 17)',
  tfjs: 'TensorFlow.js Layers (model.json + weights.bin)',
  pytorch: 'PyTorch (model.py + weights.bin)',
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** How an export was checked against the TF.js model it came from. */
export type ExportCheck =
  | { readonly runtime: string; readonly inputs: number; readonly maxDifference: number }
  | { readonly skipped: string };

/** What exporting a model wrote. */
export interface ModelExport {
  readonly format: ExportFormat;
  readonly dir: string;
  /** The main file: model.onnx, model.json or model.py. */
  readonly file: string;
  readonly files: readonly string[];
  /** Input without the batch axis, in the format's layout (ONNX and PyTorch: channels first). */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly check: ExportCheck;
  /** A quantized model's export (ONNX with Q/DQ nodes): its quantizer, the kernels packed at their bit widths and as float32, the file's bytes. */
  readonly quantization?: { readonly quantizer: 'linear' | 'kmeans'; readonly packedBytes: number; readonly float32Bytes: number; readonly fileBytes: number };
}

/** Exports a trial's trained model (a search run) or a sub-network (`arch`) of a supernet run. */
export interface ExportModelParams {
  readonly id: string;
  readonly trial?: number;
  readonly arch?: 'largest' | 'smallest' | ArchJson;
  readonly format: ExportFormat;
  /** Default: the run's exports/ folder. */
  readonly outDir?: string;
}
