import { SpecError } from '../core/errors';
import type { JsonSchema } from '../core/jsonSchema';
import { MAX_CHOICES } from '../core/specBounds';
import type { OfaSmallConfig } from './ofaSmallConfig';

/** The `ofa-small` block as written in specs: a supernet spec's `supernet`, a search spec's `space`. */
export type OfaSmallOptions = {
  input: [number, number, number];
  classes: number;
  stem?: number;
  stemStride?: number;
  stages: { width: number; stride?: number }[];
  kernels?: number[];
  expandRatios?: number[];
  depths?: number[];
  resolutions?: number[];
};

export const OFA_SMALL_TYPE = 'ofa-small';

const choiceList = (items: JsonSchema, description: string, fallback: number[]): JsonSchema => ({ type: 'array', items, minItems: 1, maxItems: MAX_CHOICES, default: fallback, description });

export const ofaSmallOptionsSchema: JsonSchema = {
  type: 'object',
  required: ['input', 'classes', 'stages'],
  properties: {
    input: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 1024 },
      minItems: 3,
      maxItems: 3,
      description: 'Input images [height, width, channels], as the dataset stores them.',
    },
    classes: { type: 'integer', minimum: 2, maximum: 256, description: 'Number of classes (labels 0..classes-1).' },
    stem: { type: 'integer', minimum: 1, maximum: 1024, default: 16, description: 'Channels of the 3x3 stem convolution.' },
    stemStride: { type: 'integer', minimum: 1, maximum: 4, default: 1, description: 'Stride of the stem convolution.' },
    stages: {
      type: 'array',
      minItems: 1,
      maxItems: 8,
      description: 'MBConv stages, each with max(depths) elastic blocks of a fixed output width.',
      items: {
        type: 'object',
        required: ['width'],
        additionalProperties: false,
        properties: {
          width: { type: 'integer', minimum: 1, maximum: 2048, description: 'Output channels of every block of the stage.' },
          stride: { type: 'integer', minimum: 1, maximum: 2, default: 1, description: "Stride of the stage's first block." },
        },
      },
    },
    kernels: choiceList({ type: 'integer', minimum: 1, maximum: 15 }, 'Elastic depthwise kernel sizes (odd).', [3, 5, 7]),
    expandRatios: choiceList({ type: 'number', minimum: 1, maximum: 16 }, 'Elastic expand ratios of the MBConv blocks.', [3, 4, 6]),
    depths: choiceList({ type: 'integer', minimum: 1, maximum: 16 }, 'Elastic depths (blocks per stage).', [2, 3, 4]),
    resolutions: choiceList({ type: 'integer', minimum: 4, maximum: 1024 }, 'Elastic square input resolutions (default: the input height).', []),
  },
};

/** Sorted distinct choices; a repeated one is a SpecError at its position. */
function choices(values: readonly number[] | undefined, fallback: number[], path: string, check?: (v: number) => string | undefined): number[] {
  const list = values ?? fallback;
  list.forEach((v, i) => {
    if (list.indexOf(v) !== i) throw new SpecError(`${v} is listed twice`, [path, i]);
    const problem = check?.(v);
    if (problem) throw new SpecError(problem, [path, i]);
  });
  return [...list].sort((a, b) => a - b);
}

/** The full config from spec options (defaults filled in); SpecError paths are relative to the options. */
export function resolveOfaSmall(o: OfaSmallOptions): OfaSmallConfig {
  const [h, w] = o.input;
  if (h !== w && !o.resolutions) throw new SpecError(`the input is ${h}x${w}, not square: list the square "resolutions" to resize it to`, ['resolutions']);
  return {
    input: o.input,
    classes: o.classes,
    stem: o.stem ?? 16,
    stemStride: o.stemStride ?? 1,
    stages: o.stages.map((s) => ({ width: s.width, stride: s.stride ?? 1 })),
    kernels: choices(o.kernels, [3, 5, 7], 'kernels', (k) => (k % 2 === 1 ? undefined : `kernel size ${k} must be odd (the smaller kernels are centred in the larger)`)),
    expandRatios: choices(o.expandRatios, [3, 4, 6], 'expandRatios'),
    depths: choices(o.depths, [2, 3, 4], 'depths'),
    resolutions: choices(o.resolutions, [h], 'resolutions'),
  };
}
