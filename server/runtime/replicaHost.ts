import { parentPort, workerData } from 'node:worker_threads';
import { SharedMemoryReplicas } from '../training/crossReplica';
import type { AttachRequest, CloseRequest, ControlReply } from '../training/replicaGroup';
import { initBackend } from './backend';
import { type BackendChoice } from '../../contract/backends';

/** What a data-parallel worker does with its replica, once its backend is up. */
export interface ReplicaHandlers<Request, Reply> {
  /** Length of the gradient vector this replica exchanges. */
  readonly gradientFloats: number;
  /** Answers one request; `replicas` is the collective shared with the other workers. */
  handle(request: Request, replicas: () => SharedMemoryReplicas): Reply | Promise<Reply>;
  close(): void;
}

/**
 * The worker-thread side of replicaGroup.ts: initializes the backend, announces 'ready' with the
 * gradient size, attaches to the shared collective, then answers requests in order until 'close'.
 * Any error is sent back as an 'error' reply (which fails the whole group).
 */
export function serveReplica<Init extends { rank: number; size: number; backend: BackendChoice }, Request extends { type: string }, Reply>(
  create: (init: Init, backendDetail: string) => ReplicaHandlers<Request, Reply>,
): void {
  const port = parentPort;
  if (!port) throw new Error('a replica worker must run as a worker thread');
  const init = workerData as Init;
  const reply = (message: Reply | ControlReply) => port.postMessage(message);
  const replyError = (error: unknown) => reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  const start = async () => {
    const backend = await initBackend(init.backend);
    const handlers = create(init, backend.detail);
    let replicas: SharedMemoryReplicas | undefined;
    const attached = () => {
      if (!replicas) throw new Error('replica worker used before it was attached to the other replicas');
      return replicas;
    };
    // Requests are answered one after the other, also when an answer takes a while (an async handler).
    let answered = Promise.resolve();
    port.on('message', (request: Request | AttachRequest | CloseRequest) => {
      answered = answered.then(async () => {
        try {
          if (request.type === 'attach') {
            replicas = new SharedMemoryReplicas((request as AttachRequest).collective, init.rank, init.size);
            reply({ type: 'attached' });
          } else if (request.type === 'close') {
            handlers.close();
            port.close();
          } else {
            reply(await handlers.handle(request as Request, attached));
          }
        } catch (error) {
          replyError(error);
        }
      });
    });
    reply({ type: 'ready', backend: backend.detail, gradientFloats: handlers.gradientFloats });
  };
  start().catch(replyError);
}
