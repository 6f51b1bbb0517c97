// Evaluating sub-networks of the example supernet (examples/supernet-mnist.supernet.json's config)
// before and after inference compilation (issue 16): each of N random sub-networks is
// recalibrated (unchanged), then scored on validation images through the supernet's own forward
// pass (before), through the extracted model with batch norms folded and fused kernels on TF.js,
// and as the `supernet` evaluator runs it (after: ONNX Runtime when onnxruntime-node is installed,
// else the TF.js compiled model). Weights are random: speed does not depend on them.
//
// Usage: npm run bench:subnet-eval [-- --json] [--subnets 100] [--validation 1000] [--calibration 500]
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { Rng } from '../server/core/rng';
import { UNIT_SCALE } from '../server/data/batchAssembly';
import { loadDataset } from '../server/data/datasetSpec';
import { initBackend } from '../server/runtime/backend';
import type { OfaSmallConfig } from '../server/supernet/ofaSmallConfig';
import { OfaSmallSpace } from '../server/supernet/ofaSmallSpace';
import { OfaSupernet } from '../server/supernet/ofaSupernet';
import { calibrateSubnet, compileScorer, scoreSubnet } from '../server/supernet/subnetEvaluation';
import { extractSubnet } from '../server/supernet/subnetExtract';
import { json, log, option } from './benchArgs';

async function main(): Promise<void> {
  const subnets = Number(option('subnets', '100'));
  const validation = Number(option('validation', '1000'));
  const calibrationCount = Number(option('calibration', '500'));
  const info = await initBackend('wasm');
  const spec = parse(readFileSync(join(__dirname, '../examples/supernet-mnist.supernet.json'), 'utf8')) as { supernet: OfaSmallConfig & { type: string } };
  const { type: _type, ...config } = spec.supernet;
  const supernet = new OfaSupernet(config, 0);
  const { train } = loadDataset({ type: 'mnist' }, '.');
  const calibration = Int32Array.from({ length: calibrationCount }, (_, i) => i);
  const indices = Int32Array.from({ length: validation }, (_, i) => calibrationCount + i);
  const space = new OfaSmallSpace(config);
  const rng = new Rng(0);
  const loadBefore = loadavg()[0];
  let calibrating = 0;
  let before = 0;
  let after = 0;
  let tfjsCompiled = 0;
  let engine = '';
  let disagreements = 0;
  for (let k = 0; k < subnets; k++) {
    const arch = space.toSubnet(space.sample(rng));
    let t = performance.now();
    calibrateSubnet(supernet, arch, train, UNIT_SCALE, calibration);
    calibrating += performance.now() - t;
    t = performance.now();
    const old = scoreSubnet(supernet, train, UNIT_SCALE, indices);
    before += performance.now() - t;
    // The sub-network extracted and compiled, as the supernet evaluator scores it: on TF.js (FusedInference), then as it runs by default.
    const compiledScore = async (kind: 'tfjs' | 'auto') => {
      const start = performance.now();
      const model = extractSubnet(supernet, arch, UNIT_SCALE);
      const scorer = await compileScorer(model, config.classes, kind);
      const result = await scorer.score(train, indices);
      await scorer.dispose();
      model.dispose();
      return { result, engine: scorer.engine, ms: performance.now() - start };
    };
    tfjsCompiled += (await compiledScore('tfjs')).ms;
    const now = await compiledScore('auto');
    after += now.ms;
    engine = now.engine;
    disagreements += Math.abs(old.correct - now.result.correct);
    if ((k + 1) % 10 === 0) log(`${k + 1}/${subnets}: scoring ${(before / 1000).toFixed(1)} s before, ${(tfjsCompiled / 1000).toFixed(1)} s compiled on TF.js, ${(after / 1000).toFixed(1)} s as evaluated (${engine}; calibration ${(calibrating / 1000).toFixed(1)} s)`);
  }
  supernet.dispose();
  const load = Math.max(loadBefore, loadavg()[0]);
  log('');
  log(`${subnets} sub-networks of the example supernet, ${validation} validation images each, calibration on ${calibrationCount}; ${info.detail}`);
  log(`scoring: ${(before / 1000).toFixed(1)} s through the supernet, ${(tfjsCompiled / 1000).toFixed(1)} s compiled on TF.js (${(before / tfjsCompiled).toFixed(2)}x), ${(after / 1000).toFixed(1)} s as the evaluator runs it, on ${engine} (${(before / after).toFixed(2)}x; extraction and compilation included)`);
  log(`whole evaluation with calibration: ${((calibrating + before) / 1000).toFixed(1)} s -> ${((calibrating + after) / 1000).toFixed(1)} s (${((calibrating + before) / (calibrating + after)).toFixed(2)}x)`);
  log(`correct predictions differing between the two: ${disagreements} of ${subnets * validation} (float rounding at ties)`);
  log(`load average ${load.toFixed(1)} on ${availableParallelism()} cores`);
  if (json) {
    console.log(JSON.stringify({ subnets, validation, calibration: calibrationCount, scoring_before_s: before / 1000, scoring_after_s: after / 1000, scoring_speedup: before / after, scoring_engine: engine, scoring_tfjs_compiled_s: tfjsCompiled / 1000, evaluation_before_s: (calibrating + before) / 1000, evaluation_after_s: (calibrating + after) / 1000, evaluation_speedup: (calibrating + before) / (calibrating + after), disagreements, load_average: load }));
  }
  tf.disposeVariables();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
