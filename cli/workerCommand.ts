import { parseArgs } from 'node:util';
import { UnavailableError } from '../server/core/errors';
import { startQueueWorker } from '../server/runtime/queue/queueWorker';
import { DEFAULT_QUEUE, deviceNameProblem } from '../server/runtime/queue/queueProtocol';
import { DEFAULT_REDIS_POLICY } from '../server/runtime/queue/redisPolicy';
import { parseRedisUrl, RedisConfigError } from '../server/runtime/queue/redisUrl';
import { backendOption, type CommandIo, EXIT_FAILURE, guardCommand, parseInteger, processIo, UsageError } from './commandSupport';

export const WORKER_USAGE = `usage: nas-studio worker --redis URL [--queue NAME] [--concurrency N] [--backend auto|wasm|cpu|tensorflow] [--device NAME]
  Evaluates architectures for experiments whose spec sets "execution": {"queue": {"redis": URL}}.
  With --device NAME it serves latency jobs for that device instead: latency tables
  (nas-studio lut --device NAME), whole networks (lut --validate --device NAME) and the trials of
  runs whose spec says "latency": {"device": NAME}. Run it on the device itself.
  Start as many as you like, on any machine that sees the same dataset paths. Ctrl-C stops one
  and hands its jobs back to the queue for another worker. A worker rides out Redis restarts;
  if Redis stays unreachable through ${DEFAULT_REDIS_POLICY.retries} retries (about half a minute) it stops with exit code 1.`;

/** `nas-studio worker`: a BullMQ worker that evaluates queued trials until stopped. */
export async function workerCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, WORKER_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { redis: { type: 'string' }, queue: { type: 'string', default: DEFAULT_QUEUE }, concurrency: { type: 'string' }, backend: { type: 'string' }, device: { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError('worker takes no positional arguments');
    if (values.redis === undefined) throw new UsageError('--redis URL is required, e.g. --redis redis://127.0.0.1:6379');
    const concurrency = parseInteger(values.concurrency, 'concurrency', 1) ?? 1;
    const backend = backendOption(values.backend);
    const problem = values.device !== undefined ? deviceNameProblem(values.device) : undefined;
    if (problem) throw new UsageError(`--device: ${problem}`);
    try {
      const worker = await startQueueWorker({
        redis: parseRedisUrl(values.redis),
        queue: values.queue,
        concurrency,
        backend,
        ...(values.device !== undefined ? { device: values.device } : {}),
        log: (m) => io.out(`[${new Date().toISOString().slice(11, 19)}] ${m}`),
      });
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        worker.lost.addEventListener('abort', () => resolve(), { once: true });
      });
      await worker.close();
      if (worker.lost.aborted) throw worker.lost.reason as UnavailableError;
    } catch (e) {
      if (e instanceof RedisConfigError) throw new UsageError(`--redis: ${e.message}`);
      // Infrastructure, not the user's input: exit 1 (a supervisor may restart the worker).
      if (e instanceof UnavailableError) {
        io.err(`error: worker stopped: ${e.message}`);
        return EXIT_FAILURE;
      }
      throw e;
    }
  });
}

