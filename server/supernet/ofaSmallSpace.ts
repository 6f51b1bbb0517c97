import { SpecError } from '../core/errors';
import { choiceIndices } from '../spaces/choiceIndices';
import type { Rng } from '../core/rng';
import { type ArchJson } from '../../contract/architecture';
import { CategoricalSpace, type Decision, type DecisionGroup, type Genome, type SpaceDefinition } from '../core/searchSpace';
import { describeSubnet, isSlotActive, maxDepth, slotCount, type OfaSmallConfig, type SubnetArch } from './ofaSmallConfig';
import { OFA_SMALL_TYPE, ofaSmallOptionsSchema, resolveOfaSmall, type OfaSmallOptions } from './ofaSmallOptions';

/**
 * The sub-networks of an `ofa-small` supernet as a search space: kernel size and expand ratio per
 * block slot, depth per stage, resolution. Genome: slots kernel indices, slots expand indices,
 * one depth index per stage, the resolution index. Genes of blocks past a stage's depth are
 * carried (as in OFA) but ignored by `key`, `encode` and `mutate`.
 */
export class OfaSmallSpace extends CategoricalSpace {
  readonly id = OFA_SMALL_TYPE;
  readonly decisions: readonly Decision[];
  /** One part per stage (its depth and its slots' kernels and expand ratios), and the resolution. */
  readonly components: readonly DecisionGroup[];
  private readonly slots: number;

  constructor(readonly config: OfaSmallConfig) {
    super();
    this.slots = slotCount(config);
    this.decisions = [
      ...Array.from({ length: this.slots }, (_, i) => ({ name: `ks${i}`, choices: config.kernels })),
      ...Array.from({ length: this.slots }, (_, i) => ({ name: `e${i}`, choices: config.expandRatios })),
      ...config.stages.map((_, s) => ({ name: `d${s}`, choices: config.depths })),
      { name: 'r', choices: config.resolutions },
    ];
    const depth = maxDepth(config);
    this.components = [
      ...config.stages.map((_, s) => {
        const slots = Array.from({ length: depth }, (_, j) => s * depth + j);
        return { name: `stage${s}`, decisions: [...slots, ...slots.map((slot) => this.slots + slot), 2 * this.slots + s] };
      }),
      { name: 'resolution', decisions: [2 * this.slots + config.stages.length] },
    ];
  }

  private get depthOffset(): number {
    return 2 * this.slots;
  }

  private get resolutionIndex(): number {
    return 2 * this.slots + this.config.stages.length;
  }

  toSubnet(genome: Genome): SubnetArch {
    const { kernels, expandRatios, depths, resolutions } = this.config;
    return {
      ks: genome.slice(0, this.slots).map((i) => kernels[i]),
      e: genome.slice(this.slots, 2 * this.slots).map((i) => expandRatios[i]),
      d: genome.slice(this.depthOffset, this.resolutionIndex).map((i) => depths[i]),
      r: resolutions[genome[this.resolutionIndex]],
    };
  }

  override get cardinality(): number {
    const perBlock = this.config.kernels.length * this.config.expandRatios.length;
    const perStage = this.config.depths.reduce((n, d) => n + perBlock ** d, 0);
    return this.config.resolutions.length * perStage ** this.config.stages.length;
  }

  /** Without `probability`: change one decision that matters (an active block's kernel or expand ratio, a depth, the resolution). */
  override mutate(genome: Genome, rng: Rng, probability?: number): Genome {
    if (probability !== undefined) return super.mutate(genome, rng, probability);
    const arch = this.toSubnet(genome);
    const mutable: number[] = [];
    for (let i = 0; i < this.slots; i++) if (isSlotActive(this.config, arch, i)) mutable.push(i, this.slots + i);
    for (let s = 0; s < this.config.stages.length; s++) mutable.push(this.depthOffset + s);
    mutable.push(this.resolutionIndex);
    const candidates = mutable.filter((g) => this.decisions[g].choices.length > 1);
    const next = genome.slice();
    if (candidates.length === 0) return next;
    const gene = rng.choice(candidates);
    const n = this.decisions[gene].choices.length;
    next[gene] = (next[gene] + 1 + rng.int(n - 1)) % n;
    return next;
  }

  override key(genome: Genome): string {
    const arch = this.toSubnet(genome);
    const active = (values: readonly number[]) => values.filter((_, i) => isSlotActive(this.config, arch, i)).join(',');
    return `${arch.r}:${arch.d.join(',')}:${active(arch.ks)}:${active(arch.e)}`;
  }

  /** One-hot kernel and expand ratio per active block (zeros for skipped ones, as OFA encodes), depths, resolution. */
  encode(genome: Genome): Float32Array {
    const arch = this.toSubnet(genome);
    const size = this.decisions.reduce((n, d) => n + d.choices.length, 0);
    const out = new Float32Array(size);
    let offset = 0;
    this.decisions.forEach((d, gene) => {
      const slot = gene < 2 * this.slots ? gene % this.slots : -1;
      if (slot < 0 || isSlotActive(this.config, arch, slot)) out[offset + genome[gene]] = 1;
      offset += d.choices.length;
    });
    return out;
  }

  toArch(genome: Genome): ArchJson {
    return { space: OFA_SMALL_TYPE, ...this.toSubnet(genome) };
  }

  /** Accepts `{ks, e, d, r}` with or without `space` (extra fields such as metrics are ignored). */
  fromArch(arch: unknown): Genome {
    if (typeof arch !== 'object' || arch === null || Array.isArray(arch)) throw new SpecError('an ofa-small architecture must be an object {ks, e, d, r}', []);
    const record = arch as Record<string, unknown>;
    if (record.space !== undefined && record.space !== OFA_SMALL_TYPE) throw new SpecError(`architecture is for space '${String(record.space)}', not '${OFA_SMALL_TYPE}'`, ['space']);
    const { kernels, expandRatios, depths, resolutions } = this.config;
    const r = resolutions.indexOf(record.r as number);
    if (r < 0) throw new SpecError(`r must be one of ${resolutions.join(', ')}; got ${JSON.stringify(record.r)}`, ['r']);
    return [...choiceIndices(record.ks, kernels, this.slots, 'ks'), ...choiceIndices(record.e, expandRatios, this.slots, 'e'), ...choiceIndices(record.d, depths, this.config.stages.length, 'd'), r];
  }

  describe(genome: Genome): string {
    return describeSubnet(this.config, this.toSubnet(genome));
  }
}

export const ofaSmallSpace: SpaceDefinition<OfaSmallOptions> = {
  type: OFA_SMALL_TYPE,
  title: 'Once-for-All supernet for small inputs (ofa-small)',
  description:
    'Sub-networks of a supernet trained with `nas-studio train`: kernel size and expand ratio per block, depth per stage, input resolution. Same options as the supernet spec\'s "supernet" block.',
  optionsSchema: ofaSmallOptionsSchema,
  create: (options) => new OfaSmallSpace(resolveOfaSmall(options)),
};
