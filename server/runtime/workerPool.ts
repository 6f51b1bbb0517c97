import type { Worker } from 'node:worker_threads';
import type { EpochPoint } from '../../contract/trialCurve';
import { CancelledError, NasError } from '../core/errors';
import { startWorker } from './workerEntry';
import { deserializeError, type SerializedError } from './workerErrors';

/** Messages a pool worker sends back for a job. */
export type WorkerReply<R> =
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly message: string }
  | { readonly type: 'epoch'; readonly id: number; readonly point: EpochPoint }
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly result: R }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

export interface JobHandlers {
  readonly signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
  epoch?(point: EpochPoint): void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * A fixed number of worker threads running one entry point, one job each at a time.
 * Cancelling a job terminates its worker (long wasm computations cannot be interrupted any
 * other way) and starts a fresh one in its place.
 */
export class WorkerPool<J, R> {
  private readonly slots: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly entry: string,
    size: number,
    private readonly log: (message: string) => void,
  ) {
    for (let i = 0; i < size; i++) this.slots.push({ worker: this.spawn(), busy: false });
  }

  private spawn(): Worker {
    const worker = startWorker(this.entry, { env: process.env });
    worker.on('message', (m: WorkerReply<R>) => {
      if (m.type === 'log') this.log(m.message);
    });
    return worker;
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  async run(job: J, handlers: JobHandlers = {}): Promise<R> {
    if (this.closed) throw new NasError('internal', 'worker pool is closed');
    const slot = await this.acquire();
    const id = this.nextId++;
    try {
      return await new Promise<R>((resolve, reject) => {
        const { worker } = slot;
        const cleanup = () => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          handlers.signal?.removeEventListener('abort', onAbort);
        };
        const onMessage = (m: WorkerReply<R>) => {
          if (m.type === 'log' || m.id !== id) return;
          if (m.type === 'progress') handlers.progress?.(m.fraction, m.message);
          else if (m.type === 'epoch') handlers.epoch?.(m.point);
          else {
            cleanup();
            if (m.type === 'result') resolve(m.result);
            else reject(deserializeError(m.error));
          }
        };
        const onError = (e: Error) => {
          cleanup();
          slot.worker = this.spawn();
          reject(new NasError('failed', `worker thread failed: ${e.message}`));
        };
        const onExit = (code: number) => {
          cleanup();
          slot.worker = this.spawn();
          reject(new NasError('failed', `worker thread exited with code ${code}`));
        };
        const onAbort = () => {
          cleanup();
          void worker.terminate();
          slot.worker = this.spawn();
          reject(new CancelledError());
        };
        if (handlers.signal?.aborted) return onAbort();
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        handlers.signal?.addEventListener('abort', onAbort, { once: true });
        worker.postMessage({ type: 'run', id, job });
      });
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
