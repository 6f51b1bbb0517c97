/**
 * HTML for a NAS Studio webview panel: a strict Content-Security-Policy (nothing but the
 * extension's own bundle, styles and fonts, inline code only with the per-load nonce), the
 * view's stylesheet(s) and script, and optionally the state to start from. Pure: the panel code
 * passes `webview.cspSource` and `asWebviewUri` results, so this stays unit-testable.
 */
import { escapeHtml, initialStateElementId, jsonScriptElement } from '../../contract/html';
import { randomBytes } from 'node:crypto';
import type { ViewKind } from '../../contract/webviewMessages';

export interface WebviewHtmlOptions {
  /** `webview.cspSource` */
  readonly cspSource: string;
  readonly nonce: string;
  readonly view: ViewKind;
  readonly scriptUri: string;
  readonly styleUris: readonly string[];
  readonly title: string;
  /** View state to start from when the webview has none saved (e.g. a panel opened on a trial). */
  readonly initialState?: unknown;
  /** The body class VS Code would set, for previews outside VS Code; VS Code replaces it. */
  readonly bodyClass?: string;
}

/** 128 random bits, base64: unguessable per page load as CSP nonces must be. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}


export function buildWebviewHtml(options: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(options.nonce)) throw new Error('nonce must be at least 16 base64 characters');
  const attr = escapeHtml;
  const styles = options.styleUris.map((uri) => `  <link rel="stylesheet" nonce="${attr(options.nonce)}" href="${attr(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(options.cspSource, options.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(options.title)}</title>
${styles}
</head>
<body${options.bodyClass ? ` class="${attr(options.bodyClass)}"` : ''}>
  <main data-nas-view="${attr(options.view)}"></main>
${options.initialState === undefined ? '' : `  ${jsonScriptElement(initialStateElementId, options.initialState)}\n`}  <script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}
