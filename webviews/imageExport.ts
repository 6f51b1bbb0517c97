import type { ViewKind, WebviewToHost } from '../contract/webviewMessages';

/**
 * Standalone SVG and PNG from what a view shows. Styles come from CSS variables that do not
 * exist outside the webview, so computed presentation properties are copied onto the clone.
 */

const presentation = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

export function standaloneSvg(source: SVGSVGElement, width: number, height: number, background: string): string {
  const clone = source.cloneNode(true) as SVGSVGElement;
  const originals = [source, ...Array.from(source.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((original, i) => {
    const style = getComputedStyle(original);
    const copy = copies[i];
    for (const property of presentation) copy.setAttribute(property, style.getPropertyValue(property));
    copy.removeAttribute('class');
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.removeAttribute('style');
  const box = clone.viewBox.baseVal;
  const backdrop = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  backdrop.setAttribute('x', String(box.width > 0 ? box.x : 0));
  backdrop.setAttribute('y', String(box.width > 0 ? box.y : 0));
  backdrop.setAttribute('width', String(box.width > 0 ? box.width : width));
  backdrop.setAttribute('height', String(box.width > 0 ? box.height : height));
  backdrop.setAttribute('fill', background);
  clone.insertBefore(backdrop, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

export function loadSvgImage(markup: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the SVG could not be rasterized'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  });
}

/** Base64 PNG (no data: prefix) of `layers` drawn in order onto a width × height canvas at `scale`. */
export function pngBase64(width: number, height: number, scale: number, layers: readonly CanvasImageSource[]): string {
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas context for PNG export');
  for (const layer of layers) context.drawImage(layer, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** Sends an exported picture to the host (SVG markup as is, PNG rasterized at 2×), or the failure. */
export async function postPicture(
  post: (message: WebviewToHost) => void,
  picture: { view: ViewKind; format: 'svg' | 'png'; fileName: string; markup: string; width: number; height: number },
): Promise<void> {
  const { view, format, fileName, markup, width, height } = picture;
  try {
    const data = format === 'svg' ? markup : pngBase64(width, height, 2, [await loadSvgImage(markup)]);
    post({ type: 'exportImage', view, format, fileName, data });
  } catch (error) {
    post({ type: 'error', message: `export failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}
