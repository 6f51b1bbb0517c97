import { DataError, errorMessage } from '../core/errors';
import { BLOCK_COUNT, type OfaArch, isBlockActive } from '../spaces/ofa/mbv3Network';
import type { OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import { AdditiveCost } from './additiveCost';
import { readReferenceFile } from './referenceFile';
import { valueText } from './valueText';

/**
 * OFA's tutorial FLOPs table (`FLOPsTable`), as JSON: per resolution, `mobile_inverted_blocks`
 * (21 maps from "ks,e" to MFLOPs: the fixed first block under "3,1", then the 20 elastic blocks)
 * and `other_blocks` (stem, head and classifier). A network's FLOPs are its active blocks'
 * entries plus every other block plus the first block.
 */
interface ResolutionTable {
  readonly blocks: readonly Readonly<Record<string, number>>[];
  readonly other: number;
}

export class FlopsTable {
  private constructor(
    readonly file: string,
    private readonly tables: ReadonlyMap<number, ResolutionTable>,
  ) {}

  static async load(file: string): Promise<FlopsTable> {
    const text = await readReferenceFile(file, "a FLOPs table (JSON, the layout of OFA's tutorial FLOPsTable)");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DataError(`the FLOPs table is not valid JSON: ${errorMessage(error)}`, file);
    }
    return FlopsTable.parse(json, file);
  }

  static parse(json: unknown, file: string): FlopsTable {
    const root = json as { table?: unknown } | null;
    const table = typeof root === 'object' && root !== null && 'table' in root ? root.table : json;
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      throw new DataError('a FLOPs table must map resolutions to {mobile_inverted_blocks, other_blocks}', file);
    }
    const tables = new Map<number, ResolutionTable>();
    for (const [resolution, value] of Object.entries(table as Record<string, unknown>)) {
      const r = Number(resolution);
      const entry = value as { mobile_inverted_blocks?: unknown; other_blocks?: unknown } | null;
      if (!Number.isInteger(r) || typeof entry !== 'object' || entry === null) {
        throw new DataError(`table entry '${resolution}' must be a resolution mapping to {mobile_inverted_blocks, other_blocks}`, file);
      }
      const blocks = entry.mobile_inverted_blocks;
      if (!Array.isArray(blocks) || blocks.length !== BLOCK_COUNT + 1) {
        throw new DataError(`resolution ${r}: mobile_inverted_blocks must list ${BLOCK_COUNT + 1} blocks (the first block, then the elastic ones)`, file);
      }
      blocks.forEach((b, i) => numbers(b, `resolution ${r}: mobile_inverted_blocks[${i}]`, file));
      const other = Object.values(numbers(entry.other_blocks, `resolution ${r}: other_blocks`, file)).reduce((a, b) => a + b, 0);
      tables.set(r, { blocks: blocks as Record<string, number>[], other });
    }
    return new FlopsTable(file, tables);
  }

  get resolutions(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  /** MFLOPs of one elastic block (0..19) with a kernel size and expand ratio. */
  blockFlops(resolution: number, block: number, kernel: number, expand: number): number {
    return this.entry(this.table(resolution), resolution, block + 1, `${kernel},${expand}`);
  }

  /** MFLOPs of everything but the elastic blocks. */
  fixedFlops(resolution: number): number {
    const table = this.table(resolution);
    return table.other + this.entry(table, resolution, 0, '3,1');
  }

  flops(arch: OfaArch): number {
    let total = 0;
    for (let i = 0; i < BLOCK_COUNT; i++) if (isBlockActive(arch.d, i)) total += this.blockFlops(arch.r, i, arch.ks[i], arch.e[i]);
    return total + this.fixedFlops(arch.r);
  }

  toAdditive(space: OfaMbv3Space): AdditiveCost {
    return AdditiveCost.build(space, (r) => this.fixedFlops(r), (r, i, k, e) => this.blockFlops(r, i, k, e));
  }

  private table(resolution: number): ResolutionTable {
    const table = this.tables.get(resolution);
    if (!table) throw new DataError(`the FLOPs table has no resolution ${resolution} (it has ${this.resolutions.join(', ')})`, this.file);
    return table;
  }

  private entry(table: ResolutionTable, resolution: number, block: number, key: string): number {
    const value = table.blocks[block][key];
    if (value === undefined) throw new DataError(`the FLOPs table has no entry '${key}' for block ${block} at resolution ${resolution}`, this.file);
    return value;
  }
}

/** A map of names to MFLOPs: every value a finite, non-negative number (a FLOPs count cannot be negative). */
function numbers(value: unknown, what: string, file: string): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataError(`${what} must map names to MFLOPs`, file);
  for (const [name, flops] of Object.entries(value)) {
    if (typeof flops !== 'number' || !Number.isFinite(flops) || flops < 0) {
      throw new DataError(`${what} entry '${name}' must be a non-negative number of MFLOPs, got ${valueText(flops)}`, file);
    }
  }
  return value as Record<string, number>;
}
