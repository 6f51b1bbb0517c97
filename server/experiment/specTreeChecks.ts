import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../core/errors';
import { formatPath, quoted, type SpecDiagnostic } from './specDiagnostic';

export interface TreeProblems {
  /** Numbers too large to represent (`1e309` parses as Infinity). */
  readonly errors: readonly SpecDiagnostic[];
  /** Keys set twice in one object: the last value counts, as in JSON.parse. */
  readonly warnings: readonly SpecDiagnostic[];
}

/**
 * Checks a parsed spec for what the JSON Schema cannot see: numbers that overflowed to
 * infinity (the schema validator would take them for numbers) and duplicate keys (gone once
 * the tree becomes a value). Walks the tree with an explicit stack.
 */
export function checkSpecTree(root: Node, text: string): TreeProblems {
  const errors: SpecDiagnostic[] = [];
  const warnings: SpecDiagnostic[] = [];
  // Paths travel with the nodes: deriving them from parents costs a search per array element.
  const stack: { node: Node; path: JsonPath }[] = [{ node: root, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, path } = item;
    if (node.type === 'number' && !Number.isFinite(node.value)) {
      const literal = text.slice(node.offset, node.offset + Math.min(node.length, 40));
      errors.push({
        severity: 'error',
        message: `${literal}${node.length > 40 ? '...' : ''} is too large: numbers must be finite (at most about 1.8e308)`,
        start: node.offset,
        end: node.offset + node.length,
        path,
      });
    } else if (node.type === 'array') {
      node.children?.forEach((child, i) => stack.push({ node: child, path: [...path, i] }));
    } else if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (typeof key?.value !== 'string') continue;
        if (seen.has(key.value)) {
          warnings.push({
            severity: 'warning',
            message: `${quoted(key.value)} is set more than once in ${formatPath(path)}; only the last value counts`,
            start: key.offset,
            end: key.offset + key.length,
            path: [...path, key.value],
          });
        }
        seen.add(key.value);
        if (value) stack.push({ node: value, path: [...path, key.value] });
      }
    }
  }
  // The stack visits children last to first; report in text order.
  const byOffset = (a: SpecDiagnostic, b: SpecDiagnostic) => a.start - b.start;
  return { errors: errors.sort(byOffset), warnings: warnings.sort(byOffset) };
}
