/**
 * Worker-thread entry point that trains architectures (one job at a time), so training
 * never blocks the engine's message loop and several architectures train in parallel.
 */
import { parentPort } from 'node:worker_threads';
import { NasError, errorMessage } from '../core/errors';
import { runTrainJob, type TrainJob } from '../evaluators/train/trainJob';
import type { WorkerReply } from './workerPool';
import type { Metrics } from '../core/evaluator';
import { initBackend } from './backend';

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread');

let announced = false;

port.on('message', async (m: { type: 'run'; id: number; job: TrainJob }) => {
  const send = (reply: WorkerReply<Metrics>) => port.postMessage(reply);
  try {
    const backend = await initBackend(m.job.options.backend);
    if (!announced) send({ type: 'log', message: `training on ${backend.detail}` });
    announced = true;
    const result = await runTrainJob(m.job, {
      progress: (fraction, message) => send({ type: 'progress', id: m.id, fraction, message }),
      isCancelled: () => false,
    });
    send({ type: 'result', id: m.id, result });
  } catch (e) {
    send({ type: 'error', id: m.id, code: e instanceof NasError ? e.code : 'internal', message: errorMessage(e) });
  }
});
