/**
 * Finds the architecture under the cursor in JSON text (a spec, a result file, an exported
 * `*.arch.json`): the innermost object whose `space` names a space NAS Studio can draw, with
 * the metrics, trial and description it carries. Tolerates broken JSON (jsonc-parser).
 */
import { findNodeAtOffset, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import type { ArchJson } from '../contract/architecture';
import type { Metrics } from '../contract/metrics';

export interface LocatedArch {
  /** The object, as written (exports add `description`, `trial` and `metrics` to the ArchJson). */
  readonly arch: ArchJson;
  /** Where the object is in the text. */
  readonly offset: number;
  readonly length: number;
  /** Numeric entries of a `metrics` object inside it. */
  readonly metrics?: Metrics;
  readonly trial?: number;
  readonly description?: string;
}

function property(object: Node, key: string): Node | undefined {
  return object.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key)?.children?.[1];
}

function numericEntries(value: unknown): Metrics | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function archAt(text: string, offset: number, isKnownSpace: (space: string) => boolean): LocatedArch | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  for (let node = findNodeAtOffset(root, offset, true); node; node = node.parent) {
    if (node.type !== 'object') continue;
    const space = property(node, 'space');
    if (space?.type !== 'string' || !isKnownSpace(space.value as string)) continue;
    const arch = getNodeValue(node) as ArchJson;
    const trial = arch.trial;
    const description = arch.description;
    return {
      arch,
      offset: node.offset,
      length: node.length,
      metrics: numericEntries(arch.metrics),
      trial: typeof trial === 'number' && Number.isInteger(trial) && trial >= 0 ? trial : undefined,
      description: typeof description === 'string' ? description : undefined,
    };
  }
  return undefined;
}
