// Worker thread of a ProxylessNAS search (server/proxyless/proxylessTrainer.ts): one replica of
// the supernet, trained on its share of every batch, which it assembles itself from the dataset
// shared by all workers. The architecture parameters live in the main thread; a worker only
// runs the paths it is told to and reports the gradients of their gates.
import * as tf from '@tensorflow/tfjs';
import { measureSupernetLayers } from '../proxyless/latencyTable';
import { measureNetworks } from '../proxyless/latencyValidation';
import { ProxylessSupernet, type GateGradients } from '../proxyless/proxylessSupernet';
import type { ProxylessReply, ProxylessRequest, ProxylessWorkerInit } from '../proxyless/proxylessWorkerProtocol';
import { batchTensors } from '../supernet/subnetEvaluation';
import { allReduceAndApply, writeGradients } from '../training/gradientAllReduce';
import { MomentumSgd } from '../training/momentumSgd';
import { serveReplica } from './replicaHost';

/** Examples per forward pass when validating (batch norms use each batch's statistics). */
const EVALUATION_BATCH = 200;

serveReplica<ProxylessWorkerInit, ProxylessRequest, ProxylessReply>((init) => {
  const model = new ProxylessSupernet(init.config, init.seed);
  const optimizer = new MomentumSgd(init.optimizer);
  const variables = model.trainableVariables;
  const share = (indices: Int32Array) => {
    const size = indices.length / init.size;
    return { first: init.rank * size, examples: indices.subarray(init.rank * size, (init.rank + 1) * size) };
  };

  function weightStep(request: Extract<ProxylessRequest, { type: 'weightStep' }>, replicas: Parameters<typeof allReduceAndApply>[0]): ProxylessReply {
    optimizer.learningRate = request.learningRate;
    const { examples } = share(request.indices);
    // Only the sampled network's variables get a gradient, weight decay and momentum (the reference
    // removes the other candidates from the module for the step).
    const path = model.pathVariables(request.choices);
    const floats = path.reduce((n, v) => n + v.size, 0);
    let loss = 0;
    let correct = 0;
    tf.tidy(() => {
      const { images, labels } = batchTensors(init.train, examples, init.normalization);
      const context = { training: true, replicas };
      allReduceAndApply(
        replicas,
        floats,
        (own) => {
          let logits: tf.Tensor2D | undefined;
          const { value, grads } = tf.variableGrads(() => {
            logits = tf.keep(model.apply(images, request.choices, context));
            return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, init.config.classes), logits, undefined, request.labelSmoothing) as tf.Scalar;
          }, path);
          writeGradients(own, path.map((v) => grads[v.name]));
          loss = value.dataSync()[0] * examples.length;
          correct = tf.sum(tf.equal(tf.argMax(logits!, 1), labels)).dataSync()[0];
          logits!.dispose();
        },
        path,
        optimizer,
      );
    });
    return { type: 'stepDone', loss, correct, count: examples.length };
  }

  function gates(request: Extract<ProxylessRequest, { type: 'gates' }>, replicas: Parameters<typeof allReduceAndApply>[0]): ProxylessReply {
    const { examples } = share(request.indices);
    let result!: GateGradients;
    tf.tidy(() => {
      const { images, labels } = batchTensors(init.train, examples, init.normalization);
      result = model.gateGradients(images, labels, request.samples, { training: true, replicas });
    });
    return { type: 'gates', crossEntropy: result.crossEntropy, correct: result.correct, count: examples.length, gates: result.gates.map((g) => (g ? [...g] : undefined)) };
  }

  function evaluate(request: Extract<ProxylessRequest, { type: 'evaluate' }>): ProxylessReply {
    let correct = 0;
    let loss = 0;
    for (let start = 0; start < request.examples.length; start += EVALUATION_BATCH) {
      tf.tidy(() => {
        const { images, labels } = batchTensors(init.train, request.examples.subarray(start, start + EVALUATION_BATCH), init.normalization);
        const logits = model.apply(images, request.choices, { training: true });
        correct += tf.sum(tf.equal(tf.argMax(logits, 1), labels)).dataSync()[0];
        loss += tf.losses.softmaxCrossEntropy(tf.oneHot(labels, init.config.classes), logits, undefined, undefined, tf.Reduction.SUM).dataSync()[0];
      });
    }
    return { type: 'evaluated', correct, loss, count: request.examples.length };
  }

  const gradientFloats = variables.reduce((n, v) => n + v.size, 0);
  return {
    gradientFloats,
    async handle(request, replicas): Promise<ProxylessReply> {
      switch (request.type) {
        case 'weightStep':
          return weightStep(request, replicas());
        case 'gates':
          return gates(request, replicas());
        case 'evaluate':
          return evaluate(request);
        case 'measureTable':
          return { type: 'table', entries: [...(await measureSupernetLayers(init.config, model.blocks, request)).entries()] };
        case 'measureNetworks':
          return { type: 'networks', ms: measureNetworks(request.archs, request.repeats, init.seed) };
        case 'getState':
          return { type: 'state', state: { weights: model.variables.map((v) => v.dataSync() as Float32Array), momentum: optimizer.buffers(variables) } };
        case 'setState':
          model.setWeights(request.state.weights);
          optimizer.setBuffers(variables, request.state.momentum);
          return { type: 'done' };
      }
    },
    close() {
      optimizer.dispose();
      model.dispose();
    },
  };
});
