/**
 * What is checked before a quantization run's folder exists: the model loads and has layers to
 * quantize, the dataset's files hold images of the model's input shape and enough examples, a
 * latency table fits the model, and the budget is reachable at all. Loaded on first use (it
 * brings TensorFlow.js, on its CPU backend: only shapes and weights are read here).
 */
import { join } from 'node:path';
import { formatBudget } from '../../contract/quantization';
import { SpecError } from '../core/errors';
import { inspectDataset } from '../data/inspectDataset';
import { buildLayerStackModel } from '../evaluators/train/buildModel';
import { initBackend } from '../runtime/backend';
import { loadLayersModel } from '../supernet/tfjsModelFiles';
import { bitRangesOf, minimumPolicy, uniformPolicy } from './bitPolicy';
import { budgetTarget, costModel } from './costModel';
import { readLatencyTable } from './latencyTable';
import { modelLayers, plainLayers } from './modelLayers';
import type { QuantizationSpec } from './quantizationSpec';

/** Training examples the run's split needs, and the option they come from. */
function samplesNeeded(spec: QuantizationSpec): { count: number; setting: string } | undefined {
  switch (spec.split.kind) {
    case 'trial':
      return { count: spec.split.trainSamples + spec.split.validationSamples, setting: "the search's trainSamples + validationSamples" };
    case 'seeded':
      return { count: spec.samples.heldOut + 1, setting: 'heldOutSamples (and at least one example left to calibrate on)' };
    case 'supernet':
      return undefined;
  }
}

export async function preflightQuantization(spec: QuantizationSpec, baseDir: string): Promise<void> {
  await initBackend('cpu');
  const model = spec.model.type === 'folder' ? await loadLayersModel(spec.model.dir) : buildLayerStackModel(spec.model.arch, 0);
  try {
    const file = spec.model.type === 'folder' ? join(spec.model.dir, 'model.json') : `trial ${spec.model.trial}`;
    const layers = plainLayers(modelLayers(model, file));
    const input = model.inputs[0].shape.slice(1) as number[];
    inspectDataset(spec.dataset, baseDir, { input: { shape: input, setting: "the model's input" }, samples: samplesNeeded(spec) });
    const table = spec.budget.kind === 'latency' && spec.budget.table ? readLatencyTable(spec.budget.table, layers) : undefined;
    const cost = costModel(spec.budget.kind, layers, table);
    const linear = spec.quantizer === 'linear';
    const target = budgetTarget(spec.budget, cost, layers, (w, a) => uniformPolicy(layers.length, w, a, linear));
    const minimum = cost.cost(minimumPolicy(layers.length, bitRangesOf(spec), linear));
    if (target < minimum) {
      throw new SpecError(
        `the budget ${formatBudget(spec.budget)} (${target.toPrecision(4)} ${cost.unit}) is below the cheapest policy the agent can reach: ${minimum.toPrecision(4)} ${cost.unit} (first and last layers at 8 bits, every other at W${spec.bits.min}${linear ? `A${bitRangesOf(spec).activation.min}` : ''})`,
        ['budget'],
      );
    }
  } finally {
    model.dispose();
  }
}
