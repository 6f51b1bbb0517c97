// Training and inference speed of the reference network (REFERENCE_MOBILENET: an OFA
// MobileNetV3-style sub-network, 32x32x3 -> 10 classes) on every TensorFlow.js backend available,
// and of the same network in PyTorch (when `/usr/bin/python3 -c "import torch"` works) in the same
// run, with the ratio of the best backend to PyTorch.
//
// Usage: npm run bench:train [-- --json] [--steps N] [--rounds N] [--workers N] [--cpu-batch N]
//        [--backends wasm,cpu] [--no-pytorch] [--no-per-core]
// 'wasm' trains data-parallel over --workers worker threads (default: one per core). Stock 'cpu'
// is ~1000x slower, so it trains one step at --cpu-batch images (default 8). Timings on a shared
// machine are noisy: measurements alternate between tfjs and PyTorch for --rounds rounds and the
// best of each is kept. Unless --no-per-core, training is also compared on one core (one wasm
// process vs PyTorch with 1 thread), which stays meaningful when other jobs load the machine.
// Inference as deployed (server/inference/), both engines: on wasm, batch norms folded and fused
// kernels, batch 1 in one thread, batch 64 split over the --workers threads; in ONNX Runtime (when
// onnxruntime-node is installed: what sub-network evaluation runs), the model exported to ONNX in
// memory, batch 1 on one thread, batch 64 on --workers threads. `infer_ratio_b1_vs_pytorch` and
// `infer_ratio_b64_vs_pytorch` are PyTorch's time / ours in the same run (> 1: faster than
// PyTorch), ours being ONNX Runtime when installed, else wasm (`inference_engine`).
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../server/runtime/backend';
import { type BackendName } from '../contract/backends';
import { DataParallelTrainer } from '../server/training/dataParallelTrainer';
import { MobileNet, REFERENCE_MOBILENET } from '../server/training/mobileNet';
import { MomentumSgd } from '../server/training/momentumSgd';
import { trainStep } from '../server/training/trainStep';
import { json, log, option } from './benchArgs';
import { mobileNetLayersModel } from '../server/deploy/mobileNetLayers';
import { FusedInference } from '../server/inference/fusedInference';
import { OnnxInference } from '../server/inference/onnxInference';
import { ParallelInference } from '../server/inference/parallelInference';

interface Speed {
  train_img_s: number;
  infer_b1_ms: number;
  infer_b64_ms: number;
}

const steps = Number(option('steps', '10'));
const rounds = Number(option('rounds', '2'));
const workers = Number(option('workers', String(Math.min(2, availableParallelism()))));
const cpuBatch = Number(option('cpu-batch', '8'));
const batch = 64;
const warmup = 3;
const optimizer = { learningRate: 0.01, momentum: 0.9 };

function randomBatch(size: number): { images: Float32Array; labels: Int32Array } {
  const [h, w, c] = REFERENCE_MOBILENET.inputShape;
  const data = tf.tidy(() => ({
    images: tf.randomNormal([size, h, w, c], 0, 1, 'float32', 1).dataSync() as Float32Array,
    labels: tf.randomUniformInt([size], 0, REFERENCE_MOBILENET.classes, 2).dataSync() as Int32Array,
  }));
  return data;
}

/** Training images/s of one backend: data-parallel workers on 'wasm', single-process otherwise. */
async function trainSpeed(backend: BackendName, workers: number): Promise<number> {
  if (backend === 'wasm' && workers > 1) {
    const trainer = await DataParallelTrainer.start({ workers, backend, model: { kind: 'mobilenet', config: REFERENCE_MOBILENET, seed: 1 }, optimizer, maxBatch: batch });
    try {
      const { images, labels } = randomBatch(batch);
      for (let i = 0; i < warmup; i++) await trainer.step(images, labels);
      const start = performance.now();
      for (let i = 0; i < steps; i++) await trainer.step(images, labels);
      return (batch * steps * 1000) / (performance.now() - start);
    } finally {
      await trainer.close();
    }
  }
  const size = backend === 'cpu' ? cpuBatch : batch;
  const [stepsHere, warmupHere] = backend === 'cpu' ? [1, 0] : [steps, warmup];
  const model = new MobileNet(REFERENCE_MOBILENET, 1);
  const sgd = new MomentumSgd(optimizer);
  const { images, labels } = randomBatch(size);
  const x = tf.tensor4d(images, [size, ...REFERENCE_MOBILENET.inputShape]);
  const y = tf.tensor1d(labels, 'int32');
  try {
    for (let i = 0; i < warmupHere; i++) trainStep(model, x, y, sgd);
    const start = performance.now();
    for (let i = 0; i < stepsHere; i++) trainStep(model, x, y, sgd);
    return (size * stepsHere * 1000) / (performance.now() - start);
  } finally {
    tf.dispose([x, y]);
    sgd.dispose();
    model.dispose();
  }
}

/** Inference latency (ms per batch) on the current backend, single thread. */
function inferenceMs(model: MobileNet, size: number, repeats: number): number {
  const x = tf.tensor4d(randomBatch(size).images, [size, ...REFERENCE_MOBILENET.inputShape]);
  const run = () => tf.tidy(() => model.apply(x, { training: false }).dataSync());
  run();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  x.dispose();
  return (performance.now() - start) / repeats;
}

interface FusedSpeed {
  infer_b1_ms: number;
  infer_b64_ms: number;
}

/** Inference as NAS Studio evaluates networks: FusedInference in this thread (batch 1), ParallelInference over the workers (batch 64). */
async function measureFused(): Promise<FusedSpeed> {
  await initBackend('wasm');
  const net = new MobileNet(REFERENCE_MOBILENET, 1);
  const model = mobileNetLayersModel(net);
  const fused = FusedInference.compile(model);
  const one = tf.tensor4d(randomBatch(1).images, [1, ...REFERENCE_MOBILENET.inputShape]);
  const runOne = () => tf.tidy(() => fused.predict(one).dataSync());
  runOne();
  let start = performance.now();
  for (let i = 0; i < 20; i++) runOne();
  const b1 = (performance.now() - start) / 20;
  const parallel = await ParallelInference.start(model, workers, 'wasm');
  try {
    const images = randomBatch(batch).images;
    for (let i = 0; i < 2; i++) await parallel.predict(images, batch);
    start = performance.now();
    for (let i = 0; i < 5; i++) await parallel.predict(images, batch);
    return { infer_b1_ms: b1, infer_b64_ms: (performance.now() - start) / 5 };
  } finally {
    await parallel.close();
    tf.dispose(one);
    fused.dispose();
    model.dispose();
    net.dispose();
  }
}

async function measureBackend(backend: BackendName): Promise<Speed> {
  const info = await initBackend(backend);
  log(`${backend}: ${info.detail}${backend === 'wasm' && workers > 1 ? `, training on ${workers} worker threads` : ''}`);
  const train = await trainSpeed(backend, workers);
  const model = new MobileNet(REFERENCE_MOBILENET, 1);
  const slow = backend === 'cpu';
  const speed = { train_img_s: train, infer_b1_ms: inferenceMs(model, 1, slow ? 2 : 20), infer_b64_ms: inferenceMs(model, batch, slow ? 1 : 5) };
  model.dispose();
  return speed;
}

/** tfjs-node loads: installed *and* its native binary present (npm may install the package without running its download script). */
function tensorflowLoads(): boolean {
  try {
    require('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function pytorchAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function measurePytorch(threads: number): Speed & { torch: string } {
  const script = join(__dirname, 'train_pytorch.py');
  const run = spawnSync('/usr/bin/python3', [script, '--config', JSON.stringify(REFERENCE_MOBILENET), '--batch', String(batch), '--steps', String(steps), '--threads', String(threads)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`bench/train_pytorch.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Speed & { torch: string };
}

function best(a: Speed | undefined, b: Speed): Speed {
  if (!a) return b;
  return { train_img_s: Math.max(a.train_img_s, b.train_img_s), infer_b1_ms: Math.min(a.infer_b1_ms, b.infer_b1_ms), infer_b64_ms: Math.min(a.infer_b64_ms, b.infer_b64_ms) };
}

/** The same network in ONNX Runtime (OnnxInference), or undefined without onnxruntime-node. */
async function measureOnnx(): Promise<FusedSpeed | undefined> {
  await initBackend('wasm');
  const net = new MobileNet(REFERENCE_MOBILENET, 1);
  const model = mobileNetLayersModel(net);
  const one = await OnnxInference.compile(model, 1);
  const many = await OnnxInference.compile(model, workers);
  model.dispose();
  net.dispose();
  if (!(one instanceof OnnxInference) || !(many instanceof OnnxInference)) return undefined;
  try {
    const time = async (inference: OnnxInference, size: number, repeats: number) => {
      const images = randomBatch(size).images;
      for (let i = 0; i < 2; i++) await inference.predict(images, size);
      const start = performance.now();
      for (let i = 0; i < repeats; i++) await inference.predict(images, size);
      return (performance.now() - start) / repeats;
    };
    return { infer_b1_ms: await time(one, 1, 20), infer_b64_ms: await time(many, batch, 5) };
  } finally {
    await one.dispose();
    await many.dispose();
  }
}

const faster = (a: FusedSpeed | undefined, b: FusedSpeed | undefined): FusedSpeed | undefined =>
  a && b ? { infer_b1_ms: Math.min(a.infer_b1_ms, b.infer_b1_ms), infer_b64_ms: Math.min(a.infer_b64_ms, b.infer_b64_ms) } : (a ?? b);

async function main(): Promise<void> {
  const requested = option('backends', '').split(',').filter(Boolean) as BackendName[];
  const candidates: BackendName[] = requested.length > 0 ? requested : [...(tensorflowLoads() ? (['tensorflow'] as const) : []), 'wasm', 'cpu'];
  const withPytorch = !process.argv.includes('--no-pytorch') && pytorchAvailable();
  const loadBefore = loadavg()[0];
  if (!withPytorch) log(process.argv.includes('--no-pytorch') ? 'PyTorch skipped (--no-pytorch)' : 'PyTorch skipped: `/usr/bin/python3 -c "import torch"` fails (apt-get install python3-torch)');
  const perCore = !process.argv.includes('--no-per-core') && withPytorch && candidates.includes('wasm');
  const results: Partial<Record<BackendName, Speed>> = {};
  let pytorch: (Speed & { torch: string }) | undefined;
  let wasmOneCore = 0;
  let pytorchOneThread = 0;
  let fused: FusedSpeed | undefined;
  let onnx: FusedSpeed | undefined;
  const measureInference = candidates.includes('wasm');
  for (let round = 0; round < rounds; round++) {
    if (measureInference) {
      fused = faster(fused, await measureFused());
      onnx = faster(onnx, await measureOnnx());
    }
    for (const backend of candidates) {
      // Stock 'cpu' takes minutes per step: measured once.
      if (backend === 'cpu' && round > 0) continue;
      results[backend] = best(results[backend], await measureBackend(backend));
    }
    if (withPytorch) {
      const p = measurePytorch(2);
      pytorch = pytorch ? { ...p, ...best(pytorch, p) } : p;
    }
    if (perCore) {
      await initBackend('wasm');
      wasmOneCore = Math.max(wasmOneCore, await trainSpeed('wasm', 1));
      pytorchOneThread = Math.max(pytorchOneThread, measurePytorch(1).train_img_s);
    }
  }
  const entries = Object.entries(results) as [BackendName, Speed][];
  const bestTrain = Math.max(...entries.map(([, s]) => s.train_img_s));
  const ratio = pytorch ? bestTrain / pytorch.train_img_s : null;

  const rows: [string, Speed][] = [...entries, ...(pytorch ? [[`pytorch ${pytorch.torch} (2 threads, channels-last)`, pytorch] as [string, Speed]] : [])];
  log('');
  log(`${'backend'.padEnd(44)} ${'train img/s'.padStart(12)} ${'infer b1 ms'.padStart(12)} ${'infer b64 ms'.padStart(13)}`);
  for (const [name, s] of rows) {
    const note = name === 'cpu' ? ` (batch ${cpuBatch}, 1 step)` : '';
    log(`${(name + note).padEnd(44)} ${s.train_img_s.toFixed(2).padStart(12)} ${s.infer_b1_ms.toFixed(2).padStart(12)} ${s.infer_b64_ms.toFixed(2).padStart(13)}`);
  }
  if (fused) log(`${`wasm inference as deployed (fused, ${workers} threads at b64)`.padEnd(44)} ${'-'.padStart(12)} ${fused.infer_b1_ms.toFixed(2).padStart(12)} ${fused.infer_b64_ms.toFixed(2).padStart(13)}`);
  if (onnx) log(`${`onnxruntime (exported, 1 / ${workers} threads)`.padEnd(44)} ${'-'.padStart(12)} ${onnx.infer_b1_ms.toFixed(2).padStart(12)} ${onnx.infer_b64_ms.toFixed(2).padStart(13)}`);
  else if (measureInference) log('onnxruntime: not installed (onnxruntime-node is optional); inference is the wasm path');
  if (ratio !== null) log(`\nbest tfjs backend vs PyTorch (training): ${(ratio * 100).toFixed(1)} %`);
  const ours = onnx ?? fused;
  const inferRatio = (key: keyof FusedSpeed) => (pytorch && ours ? pytorch[key] / ours[key] : null);
  if (pytorch && ours) log(`inference vs PyTorch (PyTorch time / ours, ${onnx ? 'onnxruntime' : 'wasm'}): batch 1 ${inferRatio('infer_b1_ms')!.toFixed(2)}x, batch 64 ${inferRatio('infer_b64_ms')!.toFixed(2)}x`);
  if (perCore) {
    log(`one core: wasm (1 process) ${wasmOneCore.toFixed(2)} img/s, PyTorch (1 thread) ${pytorchOneThread.toFixed(2)} img/s: ${((wasmOneCore / pytorchOneThread) * 100).toFixed(1)} %`);
  }
  const load = Math.max(loadBefore, loadavg()[0]);
  log(`load average ${load.toFixed(1)} on ${availableParallelism()} cores` + (load > availableParallelism() ? ': the machine is busy, timings are unreliable (PyTorch\'s OpenMP threads suffer most)' : ''));
  if (json) {
    const pytorchJson = pytorch ? { train_img_s: pytorch.train_img_s, infer_b1_ms: pytorch.infer_b1_ms, infer_b64_ms: pytorch.infer_b64_ms, torch: pytorch.torch } : null;
    const oneCore = perCore ? { wasm_train_img_s: wasmOneCore, pytorch_1_thread_train_img_s: pytorchOneThread, ratio: wasmOneCore / pytorchOneThread } : null;
    console.log(
      JSON.stringify({
        backends: results,
        pytorch: pytorchJson,
        ratio_best_vs_pytorch: ratio,
        one_core: oneCore,
        batch,
        steps,
        rounds,
        workers,
        load_average: load,
        inference: fused ?? null,
        inference_onnxruntime: onnx ?? null,
        inference_engine: onnx ? 'onnxruntime' : fused ? 'wasm' : null,
        infer_ratio_b1_vs_pytorch: inferRatio('infer_b1_ms'),
        infer_ratio_b64_vs_pytorch: inferRatio('infer_b64_ms'),
      }),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
