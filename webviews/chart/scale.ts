/** A linear map from a data interval to a pixel interval. */
export class LinearScale {
  constructor(
    readonly domain: readonly [number, number],
    readonly range: readonly [number, number],
  ) {}

  map(value: number): number {
    const [d0, d1] = this.domain;
    const [r0, r1] = this.range;
    return d1 === d0 ? (r0 + r1) / 2 : r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
  }

  invert(pixel: number): number {
    const [d0, d1] = this.domain;
    const [r0, r1] = this.range;
    return r1 === r0 ? d0 : d0 + ((pixel - r0) / (r1 - r0)) * (d1 - d0);
  }
}

/** Round tick values (1, 2, 5 × 10^k steps) covering [min, max] with about `count` ticks. */
export function niceTicks(min: number, max: number, count = 6): { values: number[]; step: number } {
  if (!(max > min)) return { values: [min], step: 1 };
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  return { values, step };
}

/** Extent of finite values, padded by `pad` of its width on each side (a point gets a unit-width box). */
export function paddedExtent(values: ArrayLike<number>, pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return [0, 1];
  const width = hi - lo || Math.abs(lo) || 1;
  return [lo - width * pad, hi + width * pad];
}
