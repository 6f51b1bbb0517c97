import { parentPort } from 'node:worker_threads';
import type { BackendChoice } from '../../contract/backends';
import type { EpochPoint } from '../../contract/trialCurve';
import { initBackend } from './backend';
import { serializeError } from './workerErrors';
import type { WorkerReply } from './workerPool';

export interface PoolJobHooks {
  progress(fraction: number, message: string): void;
  epoch(point: EpochPoint): void;
}

/**
 * The worker-thread side of WorkerPool: runs each job it is sent on the job's backend (logging
 * which one once) and replies with its result, progress or error.
 */
export function servePoolJobs<J, R>(backendOf: (job: J) => BackendChoice, run: (job: J, hooks: PoolJobHooks) => Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('a pool worker must run in a worker thread');
  let announced = false;
  port.on('message', async (m: { type: 'run'; id: number; job: J }) => {
    const send = (reply: WorkerReply<R>) => port.postMessage(reply);
    try {
      const backend = await initBackend(backendOf(m.job));
      if (!announced) send({ type: 'log', message: `worker on ${backend.detail}` });
      announced = true;
      const result = await run(m.job, {
        progress: (fraction, message) => send({ type: 'progress', id: m.id, fraction, message }),
        epoch: (point) => send({ type: 'epoch', id: m.id, point }),
      });
      send({ type: 'result', id: m.id, result });
    } catch (e) {
      send({ type: 'error', id: m.id, error: serializeError(e) });
    }
  });
}
