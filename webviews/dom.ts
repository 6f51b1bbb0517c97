/** DOM and SVG construction without innerHTML: every text goes through textContent. */

const svgNamespace = 'http://www.w3.org/2000/svg';

type Attributes = Readonly<Record<string, string | number | undefined>>;

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) element.setAttribute(name, String(value));
  }
}

export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: readonly (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  element.append(...children);
  return element;
}

/** Custom elements (vscode-elements) by tag name. */
export function custom(tag: string, attributes: Attributes = {}, children: readonly (Node | string)[] = []): HTMLElement {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  element.append(...children);
  return element;
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  setAttributes(element, attributes);
  parent?.appendChild(element);
  return element;
}

export function svgText(text: string, attributes: Attributes, parent?: Element): SVGTextElement {
  const element = svg('text', attributes, parent);
  element.textContent = text;
  return element;
}

/** Value of a CSS custom property as computed on `element` (var() references resolved). */
export function cssVar(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim();
}
