import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fast but real experiment: small MLPs trained on a slice of the embedded MNIST; `extra` adds or overrides spec fields. */
export function writeTinySpec(dir: string, name: string, trials: number, trainSamples = 512, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.nas.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        name,
        space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
        evaluator: { type: 'train', trainSamples, validationSamples: 256, testSamples: 256, latencyRepeats: 3, workers: 1 },
        strategy: { type: 'regularized-evolution', population: 3, sampleSize: 2 },
        objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
        report: ['test_accuracy', 'params'],
        budget: { trials },
        seed: 1,
        ...extra,
      },
      null,
      2,
    ) + '\n',
  );
  return file;
}
