import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type RequestType,
  type RequestType0,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Notifications, Requests, SpecializationNotifications, type EngineInitOptions, type TrialFinishedParams } from '../contract/protocol';
import { type SpecializationSummary, type ExperimentSummary, type ProgressParams } from '../contract/runs';
import { readSettings } from './settings';

export interface EngineEvents {
  readonly onExperimentChanged: vscode.Event<ExperimentSummary>;
  readonly onTrialFinished: vscode.Event<TrialFinishedParams>;
  readonly onProgress: vscode.Event<ProgressParams>;
  /** The engine (re)started and is ready for requests. */
  readonly onReady: vscode.Event<void>;
}

/** Crashes within this window count towards giving up on automatic restarts. */
const CRASH_WINDOW_MS = 3 * 60_000;
const MAX_CRASHES = 4;

/**
 * Starts the NAS engine (dist/server.js) as a separate Node process over IPC, restarts it when
 * it crashes (telling the user), and re-emits its notifications as VS Code events.
 */
export class EngineClient implements EngineEvents, vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private client: LanguageClient | undefined;
  private readonly crashes: number[] = [];
  private readonly changed = new vscode.EventEmitter<ExperimentSummary>();
  private readonly trial = new vscode.EventEmitter<TrialFinishedParams>();
  private readonly progress = new vscode.EventEmitter<ProgressParams>();
  private readonly ready = new vscode.EventEmitter<void>();
  private readonly specialization = new vscode.EventEmitter<SpecializationSummary>();
  /** A specialization run started, progressed to a result, stopped or failed. */
  readonly onSpecializationChanged = this.specialization.event;
  readonly onExperimentChanged = this.changed.event;
  readonly onTrialFinished = this.trial.event;
  readonly onProgress = this.progress.event;
  readonly onReady = this.ready.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('NAS Studio Engine');
  }

  /** Folder experiments live in: the setting, relative to the first workspace folder. */
  experimentsRoot(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const configured = readSettings().experimentsFolder;
    return path.isAbsolute(configured) ? configured : path.join(folder.uri.fsPath, configured);
  }

  async start(): Promise<void> {
    const serverModule = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const settings = readSettings();
    const initializationOptions: EngineInitOptions = {
      experimentsRoot: this.experimentsRoot() ?? path.join(this.context.globalStorageUri.fsPath, 'experiments'),
      trusted: vscode.workspace.isTrusted,
      backend: settings.backend,
      resumeInterrupted: settings.resumeInterrupted,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: '**/*.nas.json' }, { scheme: 'file', pattern: '**/*.supernet.json' }, { scheme: 'untitled', language: 'json' }],
      outputChannel: this.output,
      initializationOptions,
      errorHandler: this.errorHandler(),
    };
    this.client = new LanguageClient('nasStudioEngine', 'NAS Studio Engine', serverOptions, clientOptions);
    this.client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.ready.fire();
    });
    await this.client.start();
    this.client.onNotification(Notifications.experimentChanged, (s) => this.changed.fire(s));
    this.client.onNotification(Notifications.trialFinished, (t) => this.trial.fire(t));
    this.client.onNotification(Notifications.progress, (p) => this.progress.fire(p));
    this.client.onNotification(SpecializationNotifications.changed, (s) => this.specialization.fire(s));
  }

  private errorHandler(): ErrorHandler {
    return {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const now = Date.now();
        this.crashes.push(now);
        while (this.crashes.length > 0 && now - this.crashes[0] > CRASH_WINDOW_MS) this.crashes.shift();
        if (this.crashes.length > MAX_CRASHES) {
          void vscode.window.showErrorMessage(
            `The NAS Studio engine crashed ${this.crashes.length} times in 3 minutes and was not restarted. See the engine log.`,
            'Show Engine Log',
          ).then((choice) => choice && this.output.show());
          return { action: CloseAction.DoNotRestart };
        }
        void vscode.window.showWarningMessage('The NAS Studio engine stopped unexpectedly and was restarted. Running experiments resume from their journals.');
        return { action: CloseAction.Restart };
      },
    };
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop(10_000);
  }

  private running(): LanguageClient {
    if (!this.client?.isRunning()) throw new Error('The NAS Studio engine is not running. Run "NAS Studio: Restart Engine".');
    return this.client;
  }

  request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    return this.running().sendRequest(type, params, token);
  }

  request0<R>(type: RequestType0<R, void>): Promise<R> {
    return this.running().sendRequest(type);
  }

  notifyTrust(trusted: boolean): void {
    void this.client?.sendNotification(Notifications.setTrusted, { trusted });
  }

  /** The engine's pid (e2e tests kill it to check crash recovery). */
  async pid(): Promise<number> {
    return (await this.request0(Requests.engineInfo)).pid;
  }

  dispose(): void {
    void this.stop();
    this.output.dispose();
    for (const e of [this.changed, this.trial, this.progress, this.ready, this.specialization]) e.dispose();
  }
}
