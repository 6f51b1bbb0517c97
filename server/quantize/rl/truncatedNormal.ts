import type { Rng } from '../../core/rng';

/**
 * A draw from N(mu, sigma^2) truncated to [lower, upper] (scipy.stats.truncnorm, as the reference's
 * sample_from_truncated_normal_distribution uses it), by rejection: exact, and quick because
 * the agent's mean lies inside the interval, which then holds at least about half the mass.
 */
export function truncatedNormal(rng: Rng, mu: number, sigma: number, lower: number, upper: number): number {
  if (!(lower <= mu && mu <= upper)) throw new RangeError(`the mean ${mu} is outside [${lower}, ${upper}]`);
  if (sigma <= 0) return mu;
  for (;;) {
    const x = mu + sigma * rng.normal();
    if (x >= lower && x <= upper) return x;
  }
}
