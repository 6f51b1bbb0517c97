/**
 * Upper bounds the dataset readers enforce before allocating anything, so a wrong path (a device,
 * a gzip bomb, a header declaring terabytes) fails with a clear error instead of exhausting memory.
 * docs/reliability.md states the defaults; the readers take a `DataLimits` so tests can use small ones.
 */
export interface DataLimits {
  /** Bytes one dataset file may hold or decompress to, and decoded pixel bytes one dataset may hold. */
  readonly maxBytes: number;
  /** Pixels (width x height) one PNG or JPEG image may declare. */
  readonly maxImagePixels: number;
}

export const DATA_LIMITS: DataLimits = {
  maxBytes: 1024 * 2 ** 20,
  maxImagePixels: 64_000_000,
};

/** "512 bytes", "3.4 KB", "1024 MB": sizes in the readers' error messages (binary units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 2 ** 20) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${+(bytes / 2 ** 20).toFixed(1)} MB`;
}
