/**
 * A quantization run's working state in its worker thread: the model under simulated
 * quantization, the images, HAQ's environment and the agent. It answers the run's jobs in order:
 * open (load or retrain the model, calibrate, score the float model), baselines, one episode at a
 * time (the agent picks bits layer by layer, the policy is fitted to the budget and scored, the
 * agent learns from it), and finish (the best policy, tested once and exported).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatBudget } from '../../contract/quantization';
import { DataError } from '../core/errors';
import { Rng } from '../core/rng';
import { trainModel } from '../evaluators/train/trainJob';
import { tfjsModelGraph } from '../graphs/tfjsModelGraph';
import { initBackend } from '../runtime/backend';
import { writeFileAtomic } from '../store/atomicFile';
import { runFolder, trialModelDir } from '../store/runFolder';
import { loadLayersModel, saveLayersModel } from '../supernet/tfjsModelFiles';
import { bitRangesOf, minimumPolicy, uniformPolicy } from './bitPolicy';
import { bitOps, budgetTarget, costModel, floatPolicy, sizeBits, type CostModel } from './costModel';
import { finetune } from './finetune';
import { HaqEnvironment, STATE_FEATURES } from './haqEnvironment';
import { readLatencyTable } from './latencyTable';
import { modelAccuracy, batchTensors } from './modelAccuracy';
import { modelLayers, plainLayers, type ModelLayer } from './modelLayers';
import type { LayerBits, Policy } from './quantizableLayers';
import { loadQuantizationData, type QuantizationData } from './quantizationData';
import type { AgentSnapshot, BaselineReply, EpisodeReply, FinishReply, OpenReply, QuantizationJob } from './quantizationJobs';
import type { ScoredPolicy } from './quantizationRecords';
import type { QuantizationSpec } from './quantizationSpec';
import type { LinearGrid } from './linearQuantizer';
import { QuantizationSimulator } from './quantizationSimulator';
import { exportQuantizedModel, EXPORTED_MODEL, PACKED_WEIGHTS } from './quantizedExport';
import { DdpgAgent } from './rl/ddpgAgent';

/** Where the run keeps the model it quantizes (a copy of the user's, or the retrained trial). */
export const ORIGINAL_MODEL = 'original';

/** The reference's reward scale: 0.1 per percent point of accuracy. */
const REWARD_PER_POINT = 0.1;

export interface SessionHooks {
  progress(fraction: number, message: string): void;
}

/** The model to quantize: kept in checkpoints/original once loaded (or retrained), so resuming needs nothing else. */
async function originalModel(spec: QuantizationSpec, baseDir: string, checkpoints: string, hooks: SessionHooks): Promise<tf.LayersModel> {
  const kept = join(checkpoints, ORIGINAL_MODEL);
  if (existsSync(join(kept, 'model.json'))) return loadLayersModel(kept);
  let model: tf.LayersModel;
  if (spec.model.type === 'folder') {
    model = await loadLayersModel(spec.model.dir);
  } else {
    const { training, arch, splitSeed, seed, trial, run } = spec.model;
    // The train evaluator keeps every trial's trained model; runs made before it did are retrained.
    const trained = trialModelDir(runFolder(run).models, trial);
    if (existsSync(join(trained, 'model.json'))) model = await loadLayersModel(trained);
    else {
      hooks.progress(0, `retraining trial ${trial} (its run kept no trained model)`);
      model = (await trainModel({ arch, options: { ...training, backend: 'auto' }, baseDir, splitSeed, seed }, { progress: (f, m) => hooks.progress(f, `retraining trial ${trial}: ${m}`) })).model;
    }
  }
  await saveLayersModel(model, kept);
  return model;
}

function shapeOf(model: tf.LayersModel, which: 'input' | 'output'): number[] {
  const tensor = which === 'input' ? model.inputs : model.outputs;
  if (tensor.length !== 1) throw new DataError(`the model has ${tensor.length} ${which}s; HAQ quantizes image classifiers with one input and one output`);
  return tensor[0].shape.slice(1) as number[];
}

export class QuantizationSession {
  private constructor(
    private readonly spec: QuantizationSpec,
    private readonly model: tf.LayersModel,
    private readonly layers: readonly ModelLayer[],
    private readonly data: QuantizationData,
    private readonly simulator: QuantizationSimulator,
    private readonly cost: CostModel,
    private readonly environment: HaqEnvironment,
    private readonly originalAccuracy: number,
    private readonly rng: Rng,
    private readonly agent: DdpgAgent | undefined,
    private readonly classes: number,
  ) {}

  static async open(job: Extract<QuantizationJob, { type: 'open' }>, hooks: SessionHooks): Promise<{ session: QuantizationSession; reply: OpenReply }> {
    const { spec, baseDir, checkpoints } = job;
    const backend = await initBackend(spec.backend === 'auto' ? job.backend : spec.backend);
    const model = await originalModel(spec, baseDir, checkpoints, hooks);
    const file = spec.model.type === 'folder' ? join(spec.model.dir, 'model.json') : `trial ${spec.model.trial}`;
    const layers = modelLayers(model, file);
    const input = shapeOf(model, 'input');
    const output = shapeOf(model, 'output');
    const classes = output[output.length - 1];
    hooks.progress(0.92, 'loading the dataset');
    const data = loadQuantizationData(spec, baseDir, input, classes);
    const plain = plainLayers(layers);
    const quantizesActivations = spec.quantizer === 'linear';
    const table = spec.budget.kind === 'latency' && spec.budget.table ? readLatencyTable(spec.budget.table, plain) : undefined;
    const cost = costModel(spec.budget.kind, plain, table);
    const uniform = (w: number, a: number) => uniformPolicy(plain.length, w, a, quantizesActivations);
    const target = budgetTarget(spec.budget, cost, plain, uniform);
    // Checked when the run was created (preflight): a budget below this cannot be met.
    const minimumCost = cost.cost(minimumPolicy(plain.length, bitRangesOf(spec), quantizesActivations));
    hooks.progress(0.95, 'calibrating activation ranges');
    const calibration = batchTensors(data.train, data.calibration, data.normalization);
    const simulator = QuantizationSimulator.create(model, layers, { quantizer: spec.quantizer, clip: spec.clip, seed: spec.seed }, calibration.x);
    tf.dispose([calibration.x, calibration.y]);
    const originalAccuracy = job.originalAccuracy ?? modelAccuracy(model, data.train, data.heldOut, data.normalization);
    const environment = new HaqEnvironment({ layers: plain, quantizesActivations, ranges: bitRangesOf(spec), cost, target });
    const rng = new Rng(spec.seed).fork('agent');
    const agent = spec.search === 'ddpg' ? new DdpgAgent(spec.agent, STATE_FEATURES, plain.length, rng) : undefined;
    if (job.agent) {
      rng.setState(job.agent.rng);
      if (agent && job.agent.ddpg) agent.setState(job.agent.ddpg);
    }
    const session = new QuantizationSession(spec, model, layers, data, simulator, cost, environment, originalAccuracy, rng, agent, classes);
    const reply: OpenReply = {
      layers: plain,
      originalAccuracy,
      heldOut: data.heldOut.length,
      target,
      minimumCost,
      ...(spec.budget.kind !== 'latency' ? { floatCost: cost.cost(floatPolicy(plain)) } : {}),
      unit: cost.unit,
      graph: tfjsModelGraph(model, spec.name),
      backend: backend.detail,
    };
    return { session, reply };
  }

  /** The policy's held-out accuracy under simulated quantization, after the run's fine-tune (seeded by `label`). */
  private async score(policy: Policy, label: string): Promise<ScoredPolicy> {
    this.simulator.apply(policy);
    const { finetune: options } = this.spec;
    if (options) await finetune(this.simulator, { dataset: this.data.train, indices: this.data.pool, normalization: this.data.normalization }, options, this.classes, new Rng(`${this.spec.seed}/finetune/${label}`));
    const accuracy = modelAccuracy(this.model, this.data.train, this.data.heldOut, this.data.normalization);
    return { policy, accuracy, cost: this.cost.cost(policy), sizeBits: sizeBits(policy, this.layers), bitOps: bitOps(policy, this.layers) };
  }

  async baseline(weight: number, activation: number): Promise<BaselineReply> {
    const policy = uniformPolicy(this.layers.length, weight, activation, this.spec.quantizer === 'linear');
    return { weight, activation, ...(await this.score(policy, `uniform/${weight}/${activation}`)) };
  }

  private snapshot(): AgentSnapshot {
    return { rng: this.rng.getState(), ...(this.agent ? { ddpg: this.agent.state() } : {}) };
  }

  /**
   * One episode as rl_quantize.py's `train` runs it: warm-up episodes (0..warmup) and random
   * search act at random, the agent otherwise; every step is stored with the episode's reward and
   * followed by one update once the warm-up is over; then the observation after the last step
   * is stored (the next state of the last transition).
   */
  async episode(episode: number): Promise<EpisodeReply> {
    const started = performance.now();
    const { environment, agent, rng } = this;
    const explored = !agent || episode <= this.spec.agent.warmup;
    let observation = environment.reset();
    const steps: { observation: Float32Array; action: number; done: boolean }[] = [];
    for (;;) {
      const action = explored ? rng.next() : agent.selectAction(observation, episode);
      const next = environment.step(action);
      steps.push({ observation, action, done: next.done });
      observation = next.observation;
      if (next.done) break;
    }
    const scored = await this.score(environment.policy(), `episode/${episode}`);
    const reward = REWARD_PER_POINT * 100 * (scored.accuracy - this.originalAccuracy);
    if (agent) {
      for (const step of steps) {
        agent.observe(reward, step.observation, step.action, step.done);
        if (episode > this.spec.agent.warmup) agent.update();
      }
      agent.observe(0, observation, agent.selectAction(observation, episode), false);
    }
    return {
      episode: { episode, ...scored, reward, explored, ...(explored ? {} : { sigma: agent!.sigma(episode) }), seconds: (performance.now() - started) / 1000 },
      agent: this.snapshot(),
    };
  }

  /**
   * The best policy, scored as its episode was (same fine-tune seed), then tested once; exported
   * and reloaded with stock TF.js to measure what the exported model computes.
   */
  async finish(episode: number, policy: Policy, exportsDir: string): Promise<FinishReply> {
    const { data, spec } = this;
    const test = data.test && data.testExamples.length > 0 ? data.test : undefined;
    this.simulator.reset();
    const originalTestAccuracy = test ? modelAccuracy(this.model, test, data.testExamples, data.normalization) : undefined;
    const scored = await this.score(policy, `episode/${episode}`);
    const testAccuracy = test ? modelAccuracy(this.model, test, data.testExamples, data.normalization) : undefined;
    const files = await exportQuantizedModel(this.model, this.layers, this.simulator.current, exportsDir);
    const reloaded = await loadLayersModel(join(exportsDir, EXPORTED_MODEL));
    const exportedAccuracy = test ? modelAccuracy(reloaded, test, data.testExamples, data.normalization) : modelAccuracy(reloaded, data.train, data.heldOut, data.normalization);
    reloaded.dispose();
    const result: FinishReply = {
      episode,
      ...scored,
      ...(testAccuracy !== undefined ? { testAccuracy } : {}),
      ...(originalTestAccuracy !== undefined ? { originalTestAccuracy } : {}),
      exportedAccuracy,
      exportedOn: test ? 'test' : 'held-out',
      packedBytes: files.packedBytes,
      floatBytes: files.floatBytes,
      modelDir: join(exportsDir, EXPORTED_MODEL),
      finetuned: spec.finetune !== undefined,
    };
    writeReports(exportsDir, spec, this.layers, policy, result, this.originalAccuracy, files.packedLayout, this.layers.map((_, i) => this.simulator.inputGrid(i)));
    return result;
  }

  dispose(): void {
    this.agent?.dispose();
    this.simulator.dispose();
    this.model.dispose();
  }
}

/**
 * exports/policy.json (bits per layer, and the grid each layer's input activations are snapped to:
 * what an ONNX export needs besides the weights) and exports/quantization.json (what was
 * measured, the packed layout).
 */
function writeReports(dir: string, spec: QuantizationSpec, layers: readonly ModelLayer[], policy: readonly LayerBits[], result: FinishReply, originalAccuracy: number, packed: unknown, inputGrids: readonly (LinearGrid | undefined)[]): void {
  const perLayer = layers.map((l, i) => ({ name: l.name, kind: l.kind, weights: l.weights, macs: l.macs, weightBits: policy[i].weight, activationBits: policy[i].activation, ...(inputGrids[i] ? { inputGrid: inputGrids[i] } : {}) }));
  writeFileAtomic(join(dir, 'policy.json'), JSON.stringify({ quantizer: spec.quantizer, budget: formatBudget(spec.budget), layers: perLayer }, null, 2) + '\n');
  const report = {
    model: spec.model.type === 'folder' ? spec.model.dir : { run: spec.model.run, trial: spec.model.trial },
    input: spec.input === 'bytes' ? 'raw pixel values 0..255, HWC' : 'pixel values / 255, HWC',
    quantizer: spec.quantizer,
    budget: formatBudget(spec.budget),
    search: spec.search,
    episodes: spec.episodes,
    bestEpisode: result.episode,
    simulated: 'TF.js has no low-bit kernels: accuracies are of simulated quantization in float32',
    accuracy: { original: { heldOut: originalAccuracy, test: result.originalTestAccuracy }, quantized: { heldOut: result.accuracy, test: result.testAccuracy } },
    exportedModel: { dir: result.modelDir, accuracy: result.exportedAccuracy, on: result.exportedOn, note: spec.quantizer === 'linear' ? 'stock TF.js runs the quantized weights with float activations' : 'k-means weights are stored as float32 (TF.js has no codebook format)' },
    sizeBits: result.sizeBits,
    bitOps: result.bitOps,
    packed: { file: PACKED_WEIGHTS, bytes: result.packedBytes, float32Bytes: result.floatBytes, compression: result.floatBytes / result.packedBytes, layers: packed },
    finetuned: result.finetuned,
  };
  writeFileAtomic(join(dir, 'quantization.json'), JSON.stringify(report, null, 2) + '\n');
}
