/**
 * TensorBoard's scalar smoothing (vz_line_chart2 `resmoothDataset`): an exponential moving
 * average, debiased as Adam debiases its moments so the first values are not pulled towards the
 * zero the average starts from. `weight` in [0, 1]: 0 leaves the values as they are.
 * Non-finite values pass through without entering the average; a constant series stays as is.
 */
export function smoothEma(values: readonly number[], weight: number): number[] {
  const w = Math.min(1, Math.max(0, weight));
  const constant = values.every((v) => v === values[0]);
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (constant || !Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    count++;
    return w === 1 ? last : last / (1 - w ** count);
  });
}
