import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tiny ProxylessNAS spec on a slice of the embedded MNIST: two stages of two mixed blocks
 * (kernels 3/5 × expand 3/6, Zero where a block can be skipped), one warm-up epoch and three
 * search epochs (architecture steps in the last two), a derived network trained for one epoch.
 * A few seconds per epoch; `extra` overrides top-level fields.
 */
export function writeTinyProxylessSpec(dir: string, name: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.proxyless.json`);
  const spec = {
    name,
    supernet: {
      input: [28, 28, 1],
      classes: 10,
      stem: 8,
      stemStride: 2,
      stages: [
        { width: 8, stride: 1, blocks: 2 },
        { width: 16, stride: 2, blocks: 2 },
      ],
      kernels: [3, 5],
      expandRatios: [3, 6],
    },
    dataset: { type: 'mnist' },
    search: { warmupEpochs: 1, epochs: 3, trainSamples: 1024, validation: 512, batchSize: 64, archUpdateEvery: 2, binarization: 'two', archLearningRate: 0.05 },
    latency: { target: 0.3, loss: 'add#linear', repeats: 5, warmup: 2 },
    derived: { epochs: 2, trainSamples: 4096, validationSamples: 512, testSamples: 512, latencyRepeats: 10 },
    seed: 1,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  return file;
}
