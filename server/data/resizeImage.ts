/**
 * Bilinear resampling of HWC bytes with half-pixel centres (the convention of image libraries
 * and tf.image.resizeBilinear with halfPixelCenters): the output pixel (y, x) samples the source at
 * ((y + 0.5) * h / height - 0.5, (x + 0.5) * w / width - 0.5), clamped to the image.
 */
export function resizeBilinear(src: Uint8Array, h: number, w: number, channels: number, height: number, width: number): Uint8Array {
  const out = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(((y + 0.5) * h) / height - 0.5, 0), h - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max(((x + 0.5) * w) / width - 0.5, 0), w - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      const fx = sx - x0;
      for (let k = 0; k < channels; k++) {
        const at = (yy: number, xx: number) => src[(yy * w + xx) * channels + k];
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * width + x) * channels + k] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}
