import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type RequestType,
  type RequestType0,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Notifications, Requests, SPEC_FILE_KINDS, type EngineInitOptions, type TrialFinishedParams } from '../contract/protocol';
import type { ProgressParams, RunSummary } from '../contract/runs';
import { readSettings } from './settings';

export interface EngineEvents {
  readonly onRunChanged: vscode.Event<RunSummary>;
  readonly onTrialFinished: vscode.Event<TrialFinishedParams>;
  readonly onProgress: vscode.Event<ProgressParams>;
  /** The engine (re)started and is ready for requests. */
  readonly onReady: vscode.Event<void>;
}

/** Automatic restarts allowed within 3 minutes before giving up (the client's default handler counts them). */
const MAX_RESTARTS = 4;

/**
 * Starts the NAS engine (dist/server.js) as a separate Node process over IPC, restarts it when
 * it crashes (telling the user), and re-emits its notifications as VS Code events.
 *
 * One LanguageClient for the extension's lifetime: its notification handlers are registered
 * before the first start and survive restarts, and its `initializationOptions` is a function,
 * so every start — the first, "Restart Engine", and the client's automatic restart after a
 * crash — sends the settings and workspace trust as they are then (vscode-languageclient 9
 * calls it in `initialize()` on each start; an object would be re-sent as first captured).
 */
export class EngineClient implements EngineEvents, vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private readonly client: LanguageClient;
  private readonly changed = new vscode.EventEmitter<RunSummary>();
  private readonly trial = new vscode.EventEmitter<TrialFinishedParams>();
  private readonly progress = new vscode.EventEmitter<ProgressParams>();
  private readonly ready = new vscode.EventEmitter<void>();
  readonly onRunChanged = this.changed.event;
  readonly onTrialFinished = this.trial.event;
  readonly onProgress = this.progress.event;
  readonly onReady = this.ready.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('NAS Studio Engine');
    const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...SPEC_FILE_KINDS.map((k) => ({ scheme: 'file', pattern: `**/*${k.suffix}` })), { scheme: 'untitled', language: 'json' }],
      outputChannel: this.output,
      initializationOptions: () => this.initOptions(),
      errorHandler: this.errorHandler(),
    };
    this.client = new LanguageClient('nasStudioEngine', 'NAS Studio Engine', serverOptions, clientOptions);
    this.client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.ready.fire();
    });
    this.client.onNotification(Notifications.runChanged, (s) => this.changed.fire(s));
    this.client.onNotification(Notifications.trialFinished, (t) => this.trial.fire(t));
    this.client.onNotification(Notifications.progress, (p) => this.progress.fire(p));
  }

  /** Folder runs live in: the setting, relative to the first workspace folder. */
  experimentsRoot(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const configured = readSettings().experimentsFolder;
    return path.isAbsolute(configured) ? configured : path.join(folder.uri.fsPath, configured);
  }

  /** Read afresh on every (re)start of the engine. */
  private initOptions(): EngineInitOptions {
    const settings = readSettings();
    return {
      experimentsRoot: this.experimentsRoot() ?? path.join(this.context.globalStorageUri.fsPath, 'experiments'),
      trusted: vscode.workspace.isTrusted,
      backend: settings.backend,
      resumeInterrupted: settings.resumeInterrupted,
    };
  }

  /** The client's own restart bookkeeping, with messages that say what happens to running runs. */
  private errorHandler(): ErrorHandler {
    let fallback: ErrorHandler | undefined;
    const defaults = () => (fallback ??= this.client.createDefaultErrorHandler(MAX_RESTARTS));
    return {
      error: (error, message, count) => defaults().error(error, message, count),
      closed: async () => {
        const result = await defaults().closed();
        if (result.action === CloseAction.DoNotRestart) {
          void vscode.window
            .showErrorMessage(`The NAS Studio engine crashed ${MAX_RESTARTS + 1} times in 3 minutes and was not restarted. See the engine log.`, 'Show Engine Log')
            .then((choice) => choice && this.output.show());
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const options = this.initOptions();
        const resumes = options.trusted && options.resumeInterrupted ? ' Running runs resume from their journals.' : '';
        void vscode.window.showWarningMessage(`The NAS Studio engine stopped unexpectedly and was restarted.${resumes}`);
        return { action: CloseAction.Restart, handled: true };
      },
    };
  }

  start(): Promise<void> {
    return this.client.start();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.client.start();
  }

  /** Stops the engine (it lets running runs end resumably); what deactivate() returns. */
  async stop(): Promise<void> {
    // The client can only stop a running engine (not one half-way through starting).
    if (this.client.state === State.Running) await this.client.stop(10_000);
  }

  private running(): LanguageClient {
    if (!this.client.isRunning()) throw new Error('The NAS Studio engine is not running. Run "NAS Studio: Restart Engine".');
    return this.client;
  }

  /** Rejects (never throws) when the engine is not running, e.g. while it restarts after a crash. */
  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    return this.running().sendRequest(type, params, token);
  }

  async request0<R>(type: RequestType0<R, void>): Promise<R> {
    return this.running().sendRequest(type);
  }

  notifyTrust(trusted: boolean): void {
    if (this.client.isRunning()) void this.client.sendNotification(Notifications.setTrusted, { trusted });
  }

  /** The engine's pid (e2e tests kill it to check crash recovery). */
  async pid(): Promise<number> {
    return (await this.request0(Requests.engineInfo)).pid;
  }

  dispose(): void {
    void this.stop()
      .catch((e) => this.output.appendLine(`stopping the engine: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.output.dispose());
    for (const e of [this.changed, this.trial, this.progress, this.ready]) e.dispose();
  }
}
