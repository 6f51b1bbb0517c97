/**
 * Data carried inside an HTML page as `<script type="application/json">`: the browser never
 * executes it, and the view parses it with JSON.parse. Escaping `<` keeps `</script>` and
 * `<!--` inside strings from ending the element early.
 */

export function jsonScriptElement(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${id}">${json}</script>`;
}

/** The parsed content of an embedded JSON element, or undefined when absent or malformed. */
export function readJsonScriptElement(id: string): unknown {
  const element = document.getElementById(id);
  if (!element || element.getAttribute('type') !== 'application/json') return undefined;
  try {
    return JSON.parse(element.textContent ?? '');
  } catch {
    return undefined;
  }
}

/** Id of the element holding a panel's initial view state (see extension/webview/html.ts). */
export const initialStateElementId = 'nas-initial-state';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
