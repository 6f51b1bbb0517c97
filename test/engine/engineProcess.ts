import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { Notifications, type EngineInitOptions, type TrialFinishedParams } from '../../contract/protocol';
import type { ProgressParams, RunSummary, SearchRunSummary, SupernetRunSummary } from '../../contract/runs';

/** The real engine process (dist/server.js) over IPC, as the extension starts it. */
export interface EngineProcess {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly progress: ProgressParams[];
  readonly trials: TrialFinishedParams[];
  readonly changes: RunSummary[];
  readonly logs: string[];
  /** Resolves when an experiment reaches one of the statuses. */
  waitForStatus(id: string | undefined, statuses: string[], timeoutMs?: number): Promise<RunSummary>;
  waitForTrials(id: string, count: number, timeoutMs?: number): Promise<void>;
  /** Resolves (true) once `ready()` holds, checked after every notification. */
  waitFor(ready: () => boolean, what: string, timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startEngine(options: Partial<EngineInitOptions> & { experimentsRoot: string }): Promise<EngineProcess> {
  const server = join(__dirname, '../../dist/server.js');
  const child = fork(server, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const progress: ProgressParams[] = [];
  const trials: TrialFinishedParams[] = [];
  const changes: RunSummary[] = [];
  const logs: string[] = [];
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  connection.onNotification(Notifications.progress, (p) => (progress.push(p), poke()));
  connection.onNotification(Notifications.trialFinished, (t) => (trials.push(t), poke()));
  connection.onNotification(Notifications.runChanged, (s) => (changes.push(s), poke()));
  connection.onNotification('window/logMessage', (m: { message: string }) => (logs.push(m.message), poke()));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { trusted: true, backend: 'auto', resumeInterrupted: true, ...options } satisfies EngineInitOptions,
  });
  await connection.sendNotification('initialized', {});

  const until = async (ready: () => boolean, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; engine log:\n${logs.join('\n')}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };

  return {
    child,
    connection,
    progress,
    trials,
    changes,
    logs,
    async waitForStatus(id, statuses, timeoutMs = 120_000) {
      let found: RunSummary | undefined;
      await until(() => !!(found = [...changes].reverse().find((s) => (!id || s.id === id) && statuses.includes(s.status))), `status ${statuses}`, timeoutMs);
      return found!;
    },
    async waitForTrials(id, count, timeoutMs = 120_000) {
      await until(() => trials.filter((t) => t.id === id).length >= count, `${count} trials`, timeoutMs);
    },
    async waitFor(ready, what, timeoutMs = 120_000) {
      await until(ready, what, timeoutMs);
      return true;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await connection.sendRequest('shutdown').catch(() => undefined);
        await connection.sendNotification('exit').catch(() => undefined);
        await new Promise((resolve) => {
          child.once('exit', resolve);
          setTimeout(() => (child.kill('SIGKILL'), resolve(undefined)), 5000);
        });
      }
      connection.dispose();
    },
  };
}

/** The summary of a search run (fails the test when it is another kind). */
export function searchSummary(summary: RunSummary): SearchRunSummary {
  if (summary.kind !== 'search') throw new Error(`expected a search run, got ${summary.kind}: ${JSON.stringify(summary)}`);
  return summary;
}

/** The summary of a supernet training run (fails the test when it is another kind). */
export function supernetSummary(summary: RunSummary): SupernetRunSummary {
  if (summary.kind !== 'supernet') throw new Error(`expected a supernet run, got ${summary.kind}: ${JSON.stringify(summary)}`);
  return summary;
}
