import type { ExportImage } from '../../contract/webviewMessages';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The file content of an exported picture; refuses data that is not what its format says. */
export function imageBytes(image: Pick<ExportImage, 'format' | 'data'>): Uint8Array {
  if (image.format === 'svg') {
    if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s/>]/.test(image.data)) throw new Error('the exported SVG does not start with an <svg> element');
    return Buffer.from(image.data, 'utf8');
  }
  const bytes = Buffer.from(image.data, 'base64');
  if (bytes.length <= pngSignature.length || !bytes.subarray(0, pngSignature.length).equals(pngSignature)) {
    throw new Error('the exported PNG is not PNG data');
  }
  return bytes;
}
