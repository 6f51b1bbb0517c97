import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatArchString } from '../server/spaces/nb201/archString';

/**
 * A NAS-Bench-201-format table over all 15,625 cells with made-up metrics (accuracy grows with
 * convolutions, latency with their size): tabular searches run in well under a second, so tests
 * can make many real runs.
 */
export function writeSyntheticNb201Table(dir: string): string {
  const lines = ['arch,acc,lat_ms'];
  const ops = 5;
  for (let code = 0; code < ops ** 6; code++) {
    const genome = Array.from({ length: 6 }, (_, i) => Math.floor(code / ops ** i) % ops);
    const acc = 50 + genome.reduce((s, op, i) => s + (op === 3 ? 7 : op === 2 ? 4 : op === 1 ? 1 : 0) + i * 0.01 * op, 0);
    const lat = 1 + genome.reduce((s, op) => s + (op === 3 ? 3 : op === 2 ? 1 : op === 4 ? 0.2 : 0), 0);
    lines.push(`${formatArchString(genome)},${acc.toFixed(3)},${lat.toFixed(3)}`);
  }
  const file = join(dir, 'synthetic-nb201.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** A search spec over the synthetic table: `trials` random trials, finished in a fraction of a second. */
export function writeTabularSpec(dir: string, name: string, trials: number, table: string, strategy = 'random'): string {
  const file = join(dir, `${name}.nas.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        name,
        space: { type: 'nb201' },
        evaluator: { type: 'tabular', table },
        strategy: { type: strategy },
        objectives: [{ metric: 'acc', goal: 'maximize' }],
        report: ['lat_ms'],
        budget: { trials },
        seed: 3,
      },
      null,
      2,
    ),
  );
  return file;
}
