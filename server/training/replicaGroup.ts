import type { Worker } from 'node:worker_threads';
import { NasError } from '../core/errors';
import { startWorker } from '../runtime/workerEntry';
import { crossReplicaBytes } from './crossReplica';

/** Requests and replies every data-parallel worker protocol shares. */
export type AttachRequest = { type: 'attach'; collective: SharedArrayBuffer };
export type CloseRequest = { type: 'close' };
export type ControlReply = { type: 'ready'; backend: string; gradientFloats: number } | { type: 'attached' } | { type: 'error'; message: string };

/** One replica's worker thread and the replies it has not consumed yet. */
export class ReplicaChannel<Request, Reply extends { type: string }> {
  private readonly pending: { resolve(reply: Reply | ControlReply): void; reject(error: Error): void }[] = [];
  private failure?: Error;

  /** onFailure: called once when this worker fails (the others may then wait forever at a barrier). */
  constructor(
    readonly worker: Worker,
    private readonly onFailure: () => void,
  ) {
    worker.on('message', (reply: Reply | ControlReply) => {
      if (reply.type === 'error') this.fail(new NasError('failed', `training worker failed: ${(reply as { message: string }).message}`));
      else this.pending.shift()?.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new NasError('failed', `training worker exited with code ${code}`));
    });
  }

  private fail(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      this.onFailure();
    }
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** The next reply, of the expected type. */
  next<T extends string>(type: T): Promise<Extract<Reply | ControlReply, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({
        resolve: (reply) => (reply.type === type ? resolve(reply as Extract<Reply | ControlReply, { type: T }>) : reject(new Error(`expected '${type}' from training worker, got '${reply.type}'`))),
        reject,
      });
    });
  }

  send(request: Request | AttachRequest | CloseRequest): void {
    this.worker.postMessage(request);
  }

  /** Sends a request and waits for its reply. */
  request<T extends string>(request: Request, reply: T): Promise<Extract<Reply | ControlReply, { type: T }>> {
    const next = this.next(reply);
    this.send(request);
    return next;
  }
}

/**
 * Starts one worker thread per init (entry point `entry`, which replies 'ready' with its gradient
 * size), gives them the shared memory their collectives run on and waits until all are attached.
 * A worker that fails terminates all of them: the others would wait forever at a barrier.
 */
export async function startReplicaGroup<Init, Request, Reply extends { type: string }>(
  entry: string,
  inits: readonly Init[],
): Promise<{ channels: ReplicaChannel<Request, Reply>[]; backend: string }> {
  const terminateAll = () => {
    for (const c of channels) void c.worker.terminate();
  };
  const channels = inits.map((init) => new ReplicaChannel<Request, Reply>(startWorker(entry, { workerData: init }), terminateAll));
  try {
    const ready = (await Promise.all(channels.map((c) => c.next('ready')))) as Extract<ControlReply, { type: 'ready' }>[];
    const collective = new SharedArrayBuffer(crossReplicaBytes(inits.length, ready[0].gradientFloats));
    for (const c of channels) c.send({ type: 'attach', collective });
    await Promise.all(channels.map((c) => c.next('attached')));
    return { channels, backend: ready[0].backend };
  } catch (error) {
    await Promise.all(channels.map((c) => c.worker.terminate()));
    throw error;
  }
}

/** Ends every worker: gracefully (each closes on 'close') unless one failed. */
export async function closeReplicaGroup<Request, Reply extends { type: string }>(channels: readonly ReplicaChannel<Request, Reply>[]): Promise<void> {
  if (channels.some((c) => c.failed)) {
    await Promise.all(channels.map((c) => c.worker.terminate()));
    return;
  }
  const exits = channels.map((c) => new Promise((resolve) => c.worker.once('exit', resolve)));
  for (const c of channels) c.send({ type: 'close' });
  await Promise.all(exits);
}
