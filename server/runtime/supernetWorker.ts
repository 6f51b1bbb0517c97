// Worker thread of the supernet trainer (server/supernet/supernetTrainer.ts): one replica of the
// OFA supernet (and of its distillation teacher), trained on its share of every batch, which it
// assembles itself from the dataset shared by all workers.
import * as tf from '@tensorflow/tfjs';
import { allReduceAndApply } from '../training/gradientAllReduce';
import { MomentumSgd } from '../training/momentumSgd';
import { extremeSubnet } from '../supernet/ofaSmallConfig';
import { OfaSupernet, resizeInput } from '../supernet/ofaSupernet';
import { batchTensors, calibrateSubnet, scoreSubnet } from '../supernet/subnetEvaluation';
import type { SupernetReply, SupernetRequest, SupernetState, SupernetWorkerInit } from '../supernet/supernetWorkerProtocol';
import { serveReplica } from './replicaHost';

serveReplica<SupernetWorkerInit, SupernetRequest, SupernetReply>((init) => {
  const model = new OfaSupernet(init.config, init.seed);
  const optimizer = new MomentumSgd(init.optimizer);
  const variables = model.trainableVariables;
  // Where each variable's gradient starts in the exchanged vector.
  const offsets: number[] = [];
  let gradientFloats = 0;
  for (const v of variables) {
    offsets.push(gradientFloats);
    gradientFloats += v.size;
  }
  let teacher: OfaSupernet | undefined;

  const ensureTeacher = () => {
    teacher ??= new OfaSupernet(init.config, init.seed);
    teacher.setActive(extremeSubnet(init.config, 'largest'));
    return teacher;
  };

  function step(request: Extract<SupernetRequest, { type: 'step' }>, replicas: Parameters<typeof allReduceAndApply>[0]): SupernetReply {
    optimizer.learningRate = request.learningRate;
    const share = request.indices.length / init.size;
    const first = init.rank * share;
    let loss = 0;
    let correct = 0;
    tf.tidy(() => {
      const { images, labels } = batchTensors(init.train, request.indices.subarray(first, first + share), init.normalization, request.transforms, first);
      const input = resizeInput(images, request.subnets[0].r);
      const context = { training: true, replicas };
      let soft = request.distillation > 0 && !request.inplace && teacher ? tf.softmax(teacher.apply(input, context)) : undefined;
      const oneHot = tf.oneHot(labels, init.config.classes);
      allReduceAndApply(
        replicas,
        gradientFloats,
        (own) => {
          own.fill(0);
          for (const subnet of request.subnets) {
            model.setActive(subnet);
            tf.tidy(() => {
              let logits: tf.Tensor2D | undefined;
              let ce: tf.Scalar | undefined;
              const { grads } = tf.variableGrads(() => {
                logits = tf.keep(model.apply(input, context));
                ce = tf.keep(tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar);
                return soft ? ce.add(tf.losses.softmaxCrossEntropy(soft, logits).mul(request.distillation)) : ce;
              }, variables as tf.Variable[]);
              variables.forEach((v, i) => {
                const g = grads[v.name];
                if (!g) return; // not used by this sub-network
                const data = g.dataSync();
                for (let j = 0, o = offsets[i]; j < data.length; j++) own[o + j] += data[j];
              });
              // The classification loss (without the distillation term), comparable across phases.
              loss += ce!.dataSync()[0] * share;
              correct += tf.sum(tf.equal(tf.argMax(logits!, 1), labels)).dataSync()[0];
              // In-place distillation: the first (largest) sub-network's outputs teach the others.
              if (request.distillation > 0 && request.inplace && !soft) soft = tf.keep(tf.softmax(tf.tensor2d(logits!.dataSync(), logits!.shape)));
              tf.dispose([logits!, ce!]);
            });
          }
        },
        variables,
        optimizer,
      );
      soft?.dispose();
    });
    return { type: 'stepDone', loss, correct, count: share * request.subnets.length };
  }

  function evaluate(request: Extract<SupernetRequest, { type: 'evaluate' }>): SupernetReply {
    calibrateSubnet(model, request.subnet, init.train, init.normalization, request.calibration);
    const dataset = request.split === 'test' ? init.test : init.train;
    if (!dataset) throw new Error('no test split to evaluate on');
    return { type: 'evaluated', ...scoreSubnet(model, dataset, init.normalization, request.examples) };
  }

  const state = (): SupernetState => ({
    weights: model.variables.map((v) => v.dataSync() as Float32Array),
    momentum: optimizer.buffers(variables),
    ...(teacher ? { teacher: teacher.variables.map((v) => v.dataSync() as Float32Array) } : {}),
  });

  return {
    gradientFloats,
    handle(request, replicas): SupernetReply {
      switch (request.type) {
        case 'step':
          return step(request, replicas());
        case 'evaluate':
          return evaluate(request);
        case 'sortChannels':
          model.sortChannels(request.keptRatios);
          return { type: 'done' };
        case 'snapshotTeacher':
          ensureTeacher().copyFrom(model);
          return { type: 'done' };
        case 'resetOptimizer':
          optimizer.reset();
          return { type: 'done' };
        case 'getState':
          return { type: 'state', state: state() };
        case 'setState':
          model.setWeights(request.state.weights);
          if (request.state.teacher) ensureTeacher().setWeights(request.state.teacher);
          optimizer.setBuffers(variables, request.state.momentum);
          return { type: 'done' };
      }
    },
    close() {
      optimizer.dispose();
      model.dispose();
      teacher?.dispose();
    },
  };
});
