import { createScanner } from 'jsonc-parser';
import type { SpecDiagnostic } from './specDiagnostic';

/** Bytes a spec file may have. A spec holds settings; data belongs in the files it names. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/** Levels arrays and objects may nest. Real specs use five or six. */
export const MAX_SPEC_DEPTH = 64;

/**
 * What must be checked before a spec is parsed into a tree: its size, and its nesting depth,
 * because the parser, the schema validator and everything after them recurse once per level
 * (10,000 levels overflow the stack). Neither check recurses. Offsets are into `text`.
 */
export function precheckSpecText(text: string): SpecDiagnostic | undefined {
  const tooLarge = sizeProblem(Buffer.byteLength(text, 'utf8'));
  if (tooLarge) return { severity: 'error', message: tooLarge, start: 0, end: 1, path: [] };
  // The scanner skips strings and comments. (Its SyntaxKind is a const enum that isolatedModules
  // cannot read; brackets are one-character tokens, so a token's first character names them.)
  const scanner = createScanner(text, true);
  let depth = 0;
  for (scanner.scan(); scanner.getTokenOffset() < text.length; scanner.scan()) {
    const start = scanner.getTokenOffset();
    const token = text[start];
    if (token === '{' || token === '[') {
      if (++depth > MAX_SPEC_DEPTH) {
        return { severity: 'error', message: `arrays and objects nest more than ${MAX_SPEC_DEPTH} levels deep here; a spec needs only a few`, start, end: start + 1, path: [] };
      }
    } else if (token === '}' || token === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Why a spec of this many bytes is refused, if it is. */
export function sizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_SPEC_BYTES) return undefined;
  return `the spec is ${kilobytes(bytes)}; spec files are limited to ${kilobytes(MAX_SPEC_BYTES)} (a spec holds settings: keep data in the files it names)`;
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;
}
