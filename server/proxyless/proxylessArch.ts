/**
 * A network of the ProxylessNAS space with one operation per block: what a search derives (the
 * most likely candidate of every block, the reference's `convert_to_normal_net`), written as an
 * ArchJson that carries its whole shape, so the graph view, the train evaluator and exports need
 * nothing else to build it.
 */
import { SpecError } from '../core/errors';
import { readArray, readInteger, readObject, readString } from '../graphs/archFields';
import { blockShapes, opName, opShortName, parseOpName, type BlockShape, type CandidateOp, type MixedBlock, type ProxylessConfig } from './proxylessSpace';

export const PROXYLESS_SPACE = 'proxyless';

export type ProxylessArch = {
  readonly space: typeof PROXYLESS_SPACE;
  readonly input: readonly [number, number, number];
  readonly classes: number;
  readonly stem: number;
  readonly stemStride: number;
  /** Per stage: its width, stride and the operation of each block (`3x3_MBConv6`, `Zero`). */
  readonly stages: readonly { readonly width: number; readonly stride: number; readonly ops: readonly string[] }[];
};

/** A block of a derived network: its shape and operation. */
export interface ArchBlock extends BlockShape {
  readonly op: CandidateOp;
}

/** The network that takes candidate `choices[b]` in every block `b` of the supernet. */
export function archOfChoices(config: ProxylessConfig, blocks: readonly MixedBlock[], choices: readonly number[]): ProxylessArch {
  let next = 0;
  return {
    space: PROXYLESS_SPACE,
    input: config.input,
    classes: config.classes,
    stem: config.stem,
    stemStride: config.stemStride,
    stages: config.stages.map((stage) => ({
      width: stage.width,
      stride: stage.stride,
      ops: Array.from({ length: stage.blocks }, () => {
        const b = next++;
        return opName(blocks[b].candidates[choices[b]]);
      }),
    })),
  };
}

/** The blocks of an architecture with their shapes and operations. */
export function archBlocks(arch: ProxylessArch): ArchBlock[] {
  const ops = arch.stages.flatMap((s) => s.ops);
  const shapes = blockShapes({ ...arch, stages: arch.stages.map((s) => ({ width: s.width, stride: s.stride, blocks: s.ops.length })) });
  return shapes.map((shape, i) => ({ ...shape, op: parseOpName(ops[i])! }));
}

/** `k3e6 skip | k5e3 k3e3 skip`: the operations, stage by stage. */
export function describeProxylessArch(arch: ProxylessArch): string {
  return arch.stages.map((s) => s.ops.map((name) => opShortName(parseOpName(name)!)).join(' ')).join(' | ');
}

/**
 * Reads an architecture written as JSON (an export, a hover target); SpecError names the
 * offending field. A `Zero` block must have an identity shortcut (stride 1, same width).
 */
export function parseProxylessArch(value: unknown): ProxylessArch {
  const json = readObject(value, []);
  if (readString(json.space, ['space']) !== PROXYLESS_SPACE) throw new SpecError(`architecture is for space '${String(json.space)}', not '${PROXYLESS_SPACE}'`, ['space']);
  const input = readArray(json.input, ['input'], 3).map((v, i) => readInteger(v, ['input', i], 1, 1024)) as unknown as [number, number, number];
  const arch: ProxylessArch = {
    space: PROXYLESS_SPACE,
    input,
    classes: readInteger(json.classes, ['classes'], 2, 256),
    stem: readInteger(json.stem, ['stem'], 1, 1024),
    stemStride: readInteger(json.stemStride, ['stemStride'], 1, 4),
    stages: readArray(json.stages, ['stages']).map((raw, s) => {
      const stage = readObject(raw, ['stages', s]);
      return {
        width: readInteger(stage.width, ['stages', s, 'width'], 1, 2048),
        stride: readInteger(stage.stride, ['stages', s, 'stride'], 1, 2),
        ops: readArray(stage.ops, ['stages', s, 'ops']).map((op, j) => {
          const name = readString(op, ['stages', s, 'ops', j]);
          if (!parseOpName(name)) throw new SpecError(`"${name}" is not an operation: use kxk_MBConvE (e.g. 3x3_MBConv6) or Zero`, ['stages', s, 'ops', j]);
          return name;
        }),
      };
    }),
  };
  archBlocks(arch).forEach((block) => {
    if (block.op.kind === 'zero' && !block.shortcut) {
      throw new SpecError('Zero skips a block, which only a block with stride 1 and as many channels out as in can be', ['stages', block.stage, 'ops', block.index]);
    }
  });
  return arch;
}
