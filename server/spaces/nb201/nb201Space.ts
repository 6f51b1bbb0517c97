import { SpecError } from '../../core/errors';
import { CategoricalSpace, oneHot, type Decision, type Genome, type SpaceDefinition } from '../../core/searchSpace';
import { type ArchJson } from '../../../contract/architecture';
import { NB201_EDGES, NB201_OPS, edgeName, formatArchString, parseArchString } from './archString';
import { pathEncoding } from './pathEncoding';

export const NB201_SPACE_TYPE = 'nb201';

/** Feature vectors a predictor can learn from. */
export type Nb201Encoding = 'path' | 'one-hot' | 'one-hot+path';

export interface Nb201Options {
  encoding?: Nb201Encoding;
}

const SHORT_OP_NAMES: Readonly<Record<string, string>> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: '1x1',
  nor_conv_3x3: '3x3',
  avg_pool_3x3: 'pool',
};

/**
 * The NAS-Bench-201 cell (Dong & Yang 2020, arXiv 2001.00326): 4 nodes, 6 edges, one of
 * 5 operations per edge, 15625 cells. The key is the official arch string: isomorphic cells
 * are different rows of the benchmark (trained separately), so they stay distinct here.
 */
export class Nb201Space extends CategoricalSpace {
  readonly id = NB201_SPACE_TYPE;
  readonly decisions: readonly Decision[] = NB201_EDGES.map((edge) => ({ name: edgeName(edge), choices: NB201_OPS }));

  constructor(readonly encoding: Nb201Encoding = 'one-hot+path') {
    super();
  }

  override key(genome: Genome): string {
    return formatArchString(genome);
  }

  encode(genome: Genome): Float32Array {
    switch (this.encoding) {
      case 'path':
        return pathEncoding(genome);
      case 'one-hot':
        return oneHot(this, genome);
      case 'one-hot+path': {
        const a = oneHot(this, genome);
        const b = pathEncoding(genome);
        const out = new Float32Array(a.length + b.length);
        out.set(a);
        out.set(b, a.length);
        return out;
      }
    }
  }

  toArch(genome: Genome): ArchJson {
    return { space: NB201_SPACE_TYPE, arch: formatArchString(genome) };
  }

  /** Accepts `{space: 'nb201', arch: '|...|'}` or the bare arch string. */
  fromArch(arch: unknown): Genome {
    if (typeof arch === 'string') return parseArchString(arch);
    if (typeof arch !== 'object' || arch === null || Array.isArray(arch)) {
      throw new SpecError('a NAS-Bench-201 architecture is an arch string or {"space": "nb201", "arch": "|...|"}', []);
    }
    const record = arch as Record<string, unknown>;
    if (record.space !== undefined && record.space !== NB201_SPACE_TYPE) {
      throw new SpecError(`architecture of space "${String(record.space)}" given to the "${NB201_SPACE_TYPE}" space`, ['space']);
    }
    if (typeof record.arch !== 'string') throw new SpecError('"arch" must be the NAS-Bench-201 arch string', ['arch']);
    return parseArchString(record.arch, ['arch']);
  }

  /** Operations grouped by target node, e.g. `3x3 + 3x3 3x3 + skip 1x1 3x3`. */
  describe(genome: Genome): string {
    const ops = genome.map((g) => SHORT_OP_NAMES[NB201_OPS[g]]);
    return `${ops[0]} + ${ops.slice(1, 3).join(' ')} + ${ops.slice(3).join(' ')}`;
  }
}

export const nb201SpaceDefinition: SpaceDefinition<Nb201Options> = {
  type: NB201_SPACE_TYPE,
  title: 'NAS-Bench-201 cell',
  description:
    'The NAS-Bench-201 / NATS-Bench topology cell: 6 edges, each one of none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3 (15625 cells). Pair it with the tabular evaluator.',
  optionsSchema: {
    type: 'object',
    properties: {
      encoding: {
        type: 'string',
        enum: ['path', 'one-hot', 'one-hot+path'],
        default: 'one-hot+path',
        description:
          'Feature vector predictor-guided strategies learn from: path encoding (one feature per input-to-output path and its operations), one-hot per edge, or both.',
      },
    },
    additionalProperties: false,
  },
  create: (options) => new Nb201Space(options.encoding ?? 'one-hot+path'),
};
