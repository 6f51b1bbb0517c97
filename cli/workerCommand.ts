import { parseArgs } from 'node:util';
import { startQueueWorker } from '../server/runtime/queue/queueWorker';
import { DEFAULT_QUEUE } from '../server/runtime/queue/queueProtocol';
import { backendOption, type CommandIo, guardCommand, parseInteger, processIo, UsageError } from './commandSupport';

export const WORKER_USAGE = `usage: nas-studio worker --redis URL [--queue NAME] [--concurrency N] [--backend auto|wasm|cpu|tensorflow]
  Evaluates architectures for experiments whose spec sets "execution": {"queue": {"redis": URL}}.
  Start as many as you like, on any machine that sees the same dataset paths; Ctrl-C stops one
  after cancelling its jobs (BullMQ hands them to another worker).`;

/** `nas-studio worker`: a BullMQ worker that evaluates queued trials until stopped. */
export async function workerCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, WORKER_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { redis: { type: 'string' }, queue: { type: 'string', default: DEFAULT_QUEUE }, concurrency: { type: 'string' }, backend: { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError('worker takes no positional arguments');
    if (!values.redis || !/^rediss?:\/\//.test(values.redis)) throw new UsageError('--redis URL is required, e.g. --redis redis://127.0.0.1:6379');
    const worker = await startQueueWorker({
      redis: values.redis,
      queue: values.queue,
      concurrency: parseInteger(values.concurrency, 'concurrency', 1) ?? 1,
      backend: backendOption(values.backend),
      log: (m) => io.out(`[${new Date().toISOString().slice(11, 19)}] ${m}`),
    });
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await worker.close();
  });
}
