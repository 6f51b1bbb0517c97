/**
 * The quantization request (the JSON a `*.quantize.json` spec holds) built from choices, as
 * `nas-studio quantize` and the editor's "Quantize Model" both make it: only what was chosen is
 * written, so the engine's defaults (the reference's) fill in the rest.
 */
import type { ModelSource, QuantizerKind } from './quantization';

export interface QuantizationChoices {
  readonly name?: string;
  readonly model: ModelSource;
  /** A dataset spec ({"type": "mnist"}, {"type": "idx", ...}); a bare model folder needs one. */
  readonly dataset?: unknown;
  readonly quantizer?: QuantizerKind | string;
  readonly bits?: { readonly min: number; readonly max: number };
  /** Linear only: activation widths when they differ from `bits`. */
  readonly activationBits?: { readonly min: number; readonly max: number };
  /** The budget's text form: size:0.25, size:w4, bitops:w4a4, latency:TABLE:12.5. */
  readonly budget: string;
  readonly search?: 'ddpg' | 'random' | string;
  readonly episodes?: number;
  readonly warmup?: number;
  readonly heldOutSamples?: number;
  readonly calibrationSamples?: number;
  readonly testSamples?: number;
  /** Training examples of the short fine-tune before each policy is scored. */
  readonly finetuneSamples?: number;
  readonly seed?: number;
}

export function quantizationRequest(choices: QuantizationChoices): Record<string, unknown> {
  const { finetuneSamples, ...rest } = choices;
  const request: Record<string, unknown> = { ...rest, ...(finetuneSamples !== undefined ? { finetune: { samples: finetuneSamples } } : {}) };
  for (const key of Object.keys(request)) if (request[key] === undefined) delete request[key];
  return request;
}
