import type { Rng } from '../../core/rng';
import { type ArchJson } from '../../../contract/architecture';
import { CategoricalSpace, type Decision, type DecisionGroup, type Genome, type SpaceDefinition } from '../../core/searchSpace';
import { SpecError, type JsonPath } from '../../core/errors';
import { MAX_CHOICES } from '../../core/specBounds';
import { choiceIndices } from '../choiceIndices';
import {
  BLOCK_COUNT,
  DEFAULT_RESOLUTIONS,
  DEPTHS,
  EXPAND_RATIOS,
  KERNEL_SIZES,
  MAX_DEPTH,
  type OfaArch,
  STAGE_COUNT,
  isBlockActive,
} from './mbv3Network';
import { networkMFlops, networkMParams } from './mbv3Cost';

export const OFA_MBV3_TYPE = 'ofa-mbv3';

/** Genome layout: 20 kernel indices, 20 expand indices, 5 depth indices, 1 resolution index. */
export const KS_OFFSET = 0;
export const E_OFFSET = BLOCK_COUNT;
export const D_OFFSET = 2 * BLOCK_COUNT;
export const R_INDEX = 2 * BLOCK_COUNT + STAGE_COUNT;
export const GENOME_LENGTH = R_INDEX + 1;

/** OFA's predictor input: 60 kernel one-hots, 60 expand one-hots, 8 resolution slots. */
export const FEATURE_SIZE = 128;
export const RESOLUTION_FEATURE_OFFSET = 120;
/** Resolutions the predictor encoding has a slot for: slot (r - 112) // 16 in 0..7. */
export const MIN_RESOLUTION = 112;
export const MAX_RESOLUTION = 239;

export interface OfaMbv3Options {
  /** Input resolutions to choose from (default 160..224 step 16, the predictor's). */
  resolutions?: readonly number[];
}

export function resolutionSlot(resolution: number): number {
  return Math.floor((resolution - MIN_RESOLUTION) / 16);
}

/**
 * The OFA MobileNetV3 (width 1.2) sub-network space: kernel size and expand ratio per block,
 * depth per stage, input resolution. Kernel/expand genes of skipped blocks are carried (as OFA
 * carries them) but ignored by `key`, `encode` and every cost.
 */
export class OfaMbv3Space extends CategoricalSpace {
  readonly id = OFA_MBV3_TYPE;
  readonly decisions: readonly Decision[];
  readonly resolutions: readonly number[];

  constructor(options: OfaMbv3Options = {}) {
    super();
    this.resolutions = validateResolutions(options.resolutions ?? DEFAULT_RESOLUTIONS, ['resolutions']);
    this.decisions = [
      ...Array.from({ length: BLOCK_COUNT }, (_, i) => ({ name: `ks${i}`, choices: KERNEL_SIZES })),
      ...Array.from({ length: BLOCK_COUNT }, (_, i) => ({ name: `e${i}`, choices: EXPAND_RATIOS })),
      ...Array.from({ length: STAGE_COUNT }, (_, s) => ({ name: `d${s}`, choices: DEPTHS })),
      { name: 'r', choices: this.resolutions },
    ];
  }

  /** One part per stage (its depth and its blocks' kernels and expand ratios), and the resolution. */
  readonly components: readonly DecisionGroup[] = [
    ...Array.from({ length: STAGE_COUNT }, (_, s) => {
      const blocks = Array.from({ length: MAX_DEPTH }, (_, j) => s * MAX_DEPTH + j);
      return { name: `stage${s}`, decisions: [...blocks.map((b) => KS_OFFSET + b), ...blocks.map((b) => E_OFFSET + b), D_OFFSET + s] };
    }),
    { name: 'resolution', decisions: [R_INDEX] },
  ];

  override get cardinality(): number {
    let perStage = 0;
    const blockChoices = KERNEL_SIZES.length * EXPAND_RATIOS.length;
    for (const d of DEPTHS) perStage += blockChoices ** d;
    return this.resolutions.length * perStage ** STAGE_COUNT;
  }

  /**
   * Without `probability`: change one decision that matters (an active block's kernel or expand
   * ratio, a depth, or the resolution). With it: OFA's EvolutionFinder mutation — resample the
   * resolution with that probability, then each block's kernel and expand ratio together, then
   * each stage's depth.
   */
  override mutate(genome: Genome, rng: Rng, probability?: number): Genome {
    const next = genome.slice();
    if (probability === undefined) {
      const depths = this.depthsOf(genome);
      const mutable: number[] = [];
      for (let i = 0; i < BLOCK_COUNT; i++) {
        if (isBlockActive(depths, i)) mutable.push(KS_OFFSET + i, E_OFFSET + i);
      }
      for (let s = 0; s < STAGE_COUNT; s++) mutable.push(D_OFFSET + s);
      if (this.resolutions.length > 1) mutable.push(R_INDEX);
      const gene = rng.choice(mutable);
      const n = this.decisions[gene].choices.length;
      next[gene] = (next[gene] + 1 + rng.int(n - 1)) % n;
      return next;
    }
    if (rng.next() < probability) next[R_INDEX] = rng.int(this.resolutions.length);
    for (let i = 0; i < BLOCK_COUNT; i++) {
      if (rng.next() < probability) {
        next[KS_OFFSET + i] = rng.int(KERNEL_SIZES.length);
        next[E_OFFSET + i] = rng.int(EXPAND_RATIOS.length);
      }
    }
    for (let s = 0; s < STAGE_COUNT; s++) {
      if (rng.next() < probability) next[D_OFFSET + s] = rng.int(DEPTHS.length);
    }
    return next;
  }

  override key(genome: Genome): string {
    const depths = this.depthsOf(genome);
    const stages: string[] = [];
    for (let s = 0; s < STAGE_COUNT; s++) {
      const blocks: string[] = [];
      for (let j = 0; j < depths[s]; j++) {
        const i = s * MAX_DEPTH + j;
        blocks.push(`${KERNEL_SIZES[genome[KS_OFFSET + i]]}${EXPAND_RATIOS[genome[E_OFFSET + i]]}`);
      }
      stages.push(blocks.join('.'));
    }
    return `${this.resolutions[genome[R_INDEX]]}:${stages.join('|')}`;
  }

  /** OFA's 128-d predictor input (see `encodeOfaFeature`). */
  encode(genome: Genome): Float32Array {
    return encodeOfaFeature(this.toOfaArch(genome));
  }

  toOfaArch(genome: Genome): OfaArch {
    return {
      ks: genome.slice(KS_OFFSET, KS_OFFSET + BLOCK_COUNT).map((i) => KERNEL_SIZES[i]),
      e: genome.slice(E_OFFSET, E_OFFSET + BLOCK_COUNT).map((i) => EXPAND_RATIOS[i]),
      d: this.depthsOf(genome),
      r: this.resolutions[genome[R_INDEX]],
    };
  }

  toArch(genome: Genome): ArchJson {
    return { space: OFA_MBV3_TYPE, ...this.toOfaArch(genome) };
  }

  /**
   * Accepts `{ks, e, d, r}` (with or without `space`), also OFA's own spellings: `r` as a
   * one-element list and `image_size` for `r`. Throws SpecError naming the offending field.
   */
  fromArch(arch: unknown): Genome {
    if (typeof arch !== 'object' || arch === null || Array.isArray(arch)) {
      throw new SpecError('an OFA MobileNetV3 architecture must be an object {ks, e, d, r}', []);
    }
    const record = arch as Record<string, unknown>;
    if (record.space !== undefined && record.space !== OFA_MBV3_TYPE) {
      throw new SpecError(`architecture is for space '${String(record.space)}', not '${OFA_MBV3_TYPE}'`, ['space']);
    }
    const ks = choiceIndices(record.ks, KERNEL_SIZES, BLOCK_COUNT, 'ks');
    const e = choiceIndices(record.e, EXPAND_RATIOS, BLOCK_COUNT, 'e');
    const d = choiceIndices(record.d, DEPTHS, STAGE_COUNT, 'd');
    const rField = record.r !== undefined ? 'r' : 'image_size';
    let r = record[rField];
    if (Array.isArray(r) && r.length === 1) r = r[0];
    const rIndex = this.resolutions.indexOf(r as number);
    if (rIndex < 0) {
      throw new SpecError(`${rField} must be one of ${this.resolutions.join(', ')}; got ${JSON.stringify(r)}`, [rField]);
    }
    return [...ks, ...e, ...d, rIndex];
  }

  describe(genome: Genome): string {
    const arch = this.toOfaArch(genome);
    const stage = (values: readonly number[]) =>
      Array.from({ length: STAGE_COUNT }, (_, s) => values.slice(s * MAX_DEPTH, s * MAX_DEPTH + arch.d[s]).join('')).join('|');
    return `r${arch.r} d${arch.d.join('')} k${stage(arch.ks)} e${stage(arch.e)}`;
  }

  /** Multiply-accumulates in millions (OFA's FLOPs convention). */
  flops(genome: Genome): number {
    return networkMFlops(this.toOfaArch(genome));
  }

  /** Parameters in millions. */
  params(genome: Genome): number {
    return networkMParams(this.toOfaArch(genome));
  }

  private depthsOf(genome: Genome): number[] {
    return genome.slice(D_OFFSET, D_OFFSET + STAGE_COUNT).map((i) => DEPTHS[i]);
  }
}

/**
 * OFA's `spec2feats`: index 3i + {3:0,5:1,7:2}[ks[i]], then 60 + 3i + {3:0,4:1,6:2}[e[i]] for active
 * blocks (skipped blocks stay all zero), then 120 + (r - 112) // 16.
 */
export function encodeOfaFeature(arch: OfaArch): Float32Array {
  const feature = new Float32Array(FEATURE_SIZE);
  for (let i = 0; i < BLOCK_COUNT; i++) {
    if (!isBlockActive(arch.d, i)) continue;
    feature[3 * i + KERNEL_SIZES.indexOf(arch.ks[i] as 3)] = 1;
    feature[3 * BLOCK_COUNT + 3 * i + EXPAND_RATIOS.indexOf(arch.e[i] as 3)] = 1;
  }
  feature[RESOLUTION_FEATURE_OFFSET + resolutionSlot(arch.r)] = 1;
  return feature;
}

function validateResolutions(value: unknown, path: JsonPath): number[] {
  if (!Array.isArray(value) || value.length === 0) throw new SpecError('resolutions must be a non-empty list of integers', path);
  const seen = new Set<number>();
  value.forEach((r, i) => {
    if (!Number.isInteger(r) || r < MIN_RESOLUTION || r > MAX_RESOLUTION) {
      throw new SpecError(
        `resolution ${JSON.stringify(r)} is outside ${MIN_RESOLUTION}..${MAX_RESOLUTION} (the predictor encoding's 8 slots of 16 pixels)`,
        [...path, i],
      );
    }
    if (seen.has(r)) throw new SpecError(`resolution ${r} is listed twice`, [...path, i]);
    seen.add(r);
  });
  return [...(value as number[])].sort((a, b) => a - b);
}

/** Resolutions `from..to` in steps of `step` (e.g. the note10 tables' 160..224 step 4). */
export function resolutionRange(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let r = from; r <= to; r += step) out.push(r);
  return out;
}

export const ofaMbv3Space: SpaceDefinition<OfaMbv3Options> = {
  type: OFA_MBV3_TYPE,
  title: 'Once-for-All MobileNetV3 (width 1.2)',
  description:
    'Sub-networks of the OFA MobileNetV3 supernet: kernel size {3,5,7} and expand ratio {3,4,6} for 20 blocks, depth {2,3,4} for 5 stages, input resolution.',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      resolutions: {
        type: 'array',
        items: { type: 'integer', minimum: MIN_RESOLUTION, maximum: MAX_RESOLUTION },
        minItems: 1,
        maxItems: MAX_CHOICES,
        default: [...DEFAULT_RESOLUTIONS],
        description:
          'Input resolutions to choose from. OFA\'s predictor was trained on 160..224 step 16; the note10 latency tables also cover step 4.',
      },
    },
  },
  create: (options) => new OfaMbv3Space(options),
};
