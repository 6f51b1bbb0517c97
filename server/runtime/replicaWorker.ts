// Worker thread of the data-parallel trainer (server/training/dataParallelTrainer.ts): holds one
// model replica, trains on its shard of every batch and exchanges gradients and batch-norm
// statistics with the other replicas through shared memory.
import * as tf from '@tensorflow/tfjs';
import type { WorkerInit, WorkerReply, WorkerRequest } from '../training/dataParallelProtocol';
import { allReduceAndApply, writeGradients } from '../training/gradientAllReduce';
import { buildModel } from '../training/modelSpec';
import { MomentumSgd } from '../training/momentumSgd';
import { computeGradients } from '../training/trainStep';
import { serveReplica } from './replicaHost';

serveReplica<WorkerInit, WorkerRequest, WorkerReply>((init) => {
  const model = buildModel(init.model);
  const optimizer = new MomentumSgd(init.optimizer);
  const [H, W, C] = init.inputShape;
  const pixels = H * W * C;
  const images = new Float32Array(init.input, 0, init.maxBatch * pixels);
  const labels = new Int32Array(init.input, init.maxBatch * pixels * 4, init.maxBatch);
  const variables = model.trainableVariables;
  const gradientFloats = variables.reduce((n, v) => n + v.size, 0);
  return {
    gradientFloats,
    handle(request, replicas): WorkerReply {
      if (request.type === 'weights') return { type: 'weights', values: [...model.trainableVariables, ...model.stateVariables].map((v) => v.dataSync() as Float32Array) };
      if (request.learningRate !== undefined) optimizer.learningRate = request.learningRate;
      const r = replicas();
      const shard = request.batch / init.size;
      const first = init.rank * shard;
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(first * pixels, (first + shard) * pixels), [shard, H, W, C]);
        const y = tf.tensor1d(labels.subarray(first, first + shard), 'int32');
        const { loss, grads } = computeGradients(model, x, y, { training: true, replicas: r });
        allReduceAndApply(r, gradientFloats, (own) => writeGradients(own, grads), variables, optimizer);
        return loss.dataSync()[0];
      });
      return { type: 'stepDone', loss };
    },
    close() {
      optimizer.dispose();
      model.dispose();
    },
  };
});
