// Worker thread of the data-parallel trainer (server/training/dataParallelTrainer.ts): holds one
// model replica, trains on its shard of every batch and exchanges gradients and batch-norm
// statistics with the other replicas through shared memory.
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { SharedMemoryReplicas } from '../training/crossReplica';
import type { WorkerInit, WorkerReply, WorkerRequest } from '../training/dataParallelProtocol';
import { buildModel } from '../training/modelSpec';
import { MomentumSgd } from '../training/momentumSgd';
import { computeGradients } from '../training/trainStep';
import { initBackend } from './backend';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('replicaWorker.ts must run as a worker thread');

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

function replyError(error: unknown): void {
  reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

async function main(): Promise<void> {
  const backend = await initBackend(init.backend);
  let replicas: SharedMemoryReplicas | undefined;
  const model = buildModel(init.model);
  const optimizer = new MomentumSgd(init.optimizer);
  const [H, W, C] = init.inputShape;
  const pixels = H * W * C;
  const images = new Float32Array(init.input, 0, init.maxBatch * pixels);
  const labels = new Int32Array(init.input, init.maxBatch * pixels * 4, init.maxBatch);
  const variables = model.trainableVariables;
  const gradientFloats = variables.reduce((n, v) => n + v.size, 0);

  function step(batch: number): number {
    if (!replicas) throw new Error('training worker stepped before it was attached to the other replicas');
    const r = replicas;
    const shard = batch / init.size;
    const first = init.rank * shard;
    return tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(first * pixels, (first + shard) * pixels), [shard, H, W, C]);
      const y = tf.tensor1d(labels.subarray(first, first + shard), 'int32');
      const { loss, grads } = computeGradients(model, x, y, { training: true, replicas: r });
      const { own, gather } = r.exchange(gradientFloats);
      let offset = 0;
      for (const g of grads) {
        own.set(g.dataSync() as Float32Array, offset);
        offset += g.size;
      }
      // Summed in rank order on every replica: identical bits, so the replicas stay identical.
      const sum = tf.addN(gather().map((slot) => tf.tensor1d(slot)));
      optimizer.apply(variables, { flat: sum, scale: 1 / init.size });
      return loss.dataSync()[0];
    });
  }

  port?.on('message', (request: WorkerRequest) => {
    try {
      if (request.type === 'attach') {
        replicas = new SharedMemoryReplicas(request.collective, init.rank, init.size);
        reply({ type: 'attached' });
      } else if (request.type === 'step') {
        if (request.learningRate !== undefined) optimizer.learningRate = request.learningRate;
        reply({ type: 'stepDone', loss: step(request.batch) });
      } else if (request.type === 'weights') {
        reply({ type: 'weights', values: [...model.trainableVariables, ...model.stateVariables].map((v) => v.dataSync() as Float32Array) });
      } else if (request.type === 'close') {
        optimizer.dispose();
        model.dispose();
        port?.close();
      }
    } catch (error) {
      replyError(error);
    }
  });
  reply({ type: 'ready', backend: backend.detail, gradientFloats });
}

main().catch(replyError);
