// Run-time fit checks (issue 11: an input shape that is not the dataset's, or more samples than it has,
// ended as "no feasible architecture found"): DataErrors naming the dataset file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareDataset } from '../../../server/evaluators/train/trainData';
import { resolveTrainOptions } from '../../../server/evaluators/train/trainOptions';
import { encodeIdx } from '../../../server/data/idx';
import type { LayerStackArch } from '../../../server/spaces/layers/layerSpec';
import { rejects, tmp } from './dataTestSupport';

test('training: images that are not the search space input, and more samples than the dataset has, are DataErrors naming the file', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'images'), encodeIdx([20, 4, 4], new Uint8Array(320)));
  writeFileSync(join(dir, 'labels'), encodeIdx([20], Uint8Array.from({ length: 20 }, (_, i) => i % 2)));
  const arch = (input: [number, number, number]): LayerStackArch => ({ space: 'layers', input, layers: [{ type: 'dense', units: 2, activation: 'softmax' }] });
  const options = (trainSamples: number) =>
    resolveTrainOptions({ dataset: { type: 'idx', trainImages: 'images', trainLabels: 'labels' }, trainSamples, validationSamples: 5 });
  rejects(() => prepareDataset({ arch: arch([28, 28, 1]), options: options(10), baseDir: dir }), join(dir, 'images'), /images are 4x4x1 \(height x width x channels\) but the search space's input is \[28, 28, 1\]/);
  rejects(() => prepareDataset({ arch: arch([4, 4, 1]), options: options(16), baseDir: dir }), join(dir, 'images'), /trainSamples \+ validationSamples = 21 exceeds the 20 examples of the training split/);
  prepareDataset({ arch: arch([4, 4, 1]), options: options(15), baseDir: dir });
});
