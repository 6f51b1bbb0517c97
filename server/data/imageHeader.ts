/** The format and declared size of a PNG or JPEG image, read from its header without decoding. */
export interface ImageHeader {
  readonly format: 'PNG' | 'JPEG';
  /** Undefined when the header is too damaged to say (decoding then reports why). */
  readonly width?: number;
  readonly height?: number;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** PNG: the IHDR chunk comes first, right after the 8-byte signature (width, height as big-endian uint32). */
function pngSize(view: DataView): { width?: number; height?: number } {
  if (view.byteLength < 24 || view.getUint32(12) !== 0x49484452) return {};
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** JPEG: walks the marker segments to the first start-of-frame (SOF0..SOF15, not DHT/JPG/DAC). */
function jpegSize(view: DataView): { width?: number; height?: number } {
  for (let at = 2; at + 9 <= view.byteLength; ) {
    if (view.getUint8(at) !== 0xff) return {};
    const marker = view.getUint8(at + 1);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xda) return {}; // start of scan: no frame header before the data
    at += 2 + view.getUint16(at + 2);
  }
  return {};
}

/** The header of a PNG or JPEG file's bytes, or undefined when the signature is neither. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) return { format: 'PNG', ...pngSize(view) };
  if (isJpeg(bytes)) return { format: 'JPEG', ...jpegSize(view) };
  return undefined;
}
