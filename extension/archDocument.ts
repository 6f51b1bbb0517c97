/**
 * The graph of an exported `*.arch.json` document (an ArchJson, plus `description`, `trial`
 * and `metrics` when the engine wrote it), or a clear error naming the line or the field.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { archGraphs } from '../server/graphs/archToGraph';
import type { ArchGraph } from '../contract/architecture';
import { errorMessage } from '../server/core/errors';

export interface ArchDocumentGraph {
  readonly title: string;
  readonly graph: ArchGraph;
  readonly supernet?: ArchGraph;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function archDocumentGraph(text: string, fileName: string): ArchDocumentGraph {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    throw new Error(`${fileName}, line ${lineOf(text, first.offset)}: ${printParseErrorCode(first.error)}`);
  }
  let graphs: ReturnType<typeof archGraphs>;
  try {
    graphs = archGraphs(value);
  } catch (e) {
    throw new Error(`${fileName}: ${errorMessage(e)}`);
  }
  const fields = value as { description?: unknown; trial?: unknown };
  const parts = [fileName, typeof fields.description === 'string' ? fields.description : undefined, typeof fields.trial === 'number' ? `trial ${fields.trial}` : undefined];
  return { title: parts.filter(Boolean).join(' · '), ...graphs };
}
