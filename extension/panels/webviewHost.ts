/**
 * Shared plumbing of every NAS Studio webview (panels and the architecture editor): strict-CSP
 * HTML with a fresh nonce, resources limited to dist/webviews and media, validation of every
 * message the view sends, the ready handshake, image export and disposal.
 *
 * The host owns what a view shows. Whenever the view (re)loads it posts `ready` and gets a
 * snapshot: its `init` and the current data. Live messages are held back while a snapshot is
 * being fetched and sent after it; while the view is not loaded (before its first `ready`, or
 * hidden, when VS Code discards its page) they are dropped, because the snapshot taken at the
 * next `ready` contains them.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../server/core/errors';
import type { ExportCsv, ExportImage, HostToWebview, ViewKind } from '../../contract/webviewMessages';
import { buildWebviewHtml, createNonce } from '../webview/html';
import { receiveWebviewMessage, type WebviewHandlers } from '../webview/receive';
import { saveExportedCsv, saveExportedImage } from './saveImage';

export interface ViewContent {
  /**
   * What the view needs now: with `withInit` its `init` message first (a freshly loaded view),
   * otherwise only the data, replacing what the view has (trials page 0, summaries, a graph).
   */
  snapshot(withInit: boolean): Promise<readonly HostToWebview[]>;
  /** Folder the save dialog of an export starts in. */
  exportFolder(): vscode.Uri | undefined;
}

export interface ViewPanelOptions {
  readonly view: ViewKind;
  readonly extensionUri: vscode.Uri;
  readonly content: ViewContent;
  readonly log: (message: string) => void;
  /** Handlers for the view's other messages (e.g. openTrial). */
  readonly handlers?: Pick<WebviewHandlers, 'openTrial'>;
}

/** Webview options of every NAS Studio view: scripts on, nothing loadable but our own bundles and media. */
export function viewWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class ViewPanel implements vscode.Disposable {
  /** The page has posted `ready` and not been discarded since. */
  private loaded = false;
  /** The loaded page has received its `init`. */
  private initialized = false;
  private syncing = false;
  private held: HostToWebview[] = [];
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly options: ViewPanelOptions,
  ) {
    const { webview } = panel;
    webview.options = viewWebviewOptions(options.extensionUri);
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) =>
        receiveWebviewMessage(
          raw,
          {
            ready: () => this.onReady(),
            exportImage: (m) => this.exportImage(m),
            exportCsv: (m) => this.exportCsv(m),
            error: (m) => options.log(`${options.view} view: ${m.message}`),
            ...options.handlers,
          },
          (reason) => options.log(`${options.view} view: ${reason}`),
        ),
      ),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.discard();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    const asUri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(options.extensionUri, ...segments)).toString();
    // The listener is attached before the page exists, so its `ready` cannot be missed.
    webview.html = buildWebviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      view: options.view,
      scriptUri: asUri('dist', 'webviews', `${options.view}View.js`),
      styleUris: [asUri('media', 'views.css')],
      title: panel.title,
    });
  }

  /** A live update: sent now, after the snapshot in flight, or dropped when the view is not loaded. */
  post(message: HostToWebview): void {
    if (!this.loaded) return;
    if (this.syncing) this.held.push(message);
    else void this.panel.webview.postMessage(message);
  }

  /** Sends the view a fresh snapshot of its data (e.g. after the engine restarted or the source changed). */
  refresh(): void {
    if (this.loaded) void this.sync(!this.initialized);
  }

  private onReady(): void {
    this.loaded = true;
    this.initialized = false;
    void this.sync(true);
  }

  /** The page is gone (hidden without retained context); the next `ready` starts over. */
  private discard(): void {
    this.loaded = false;
    this.initialized = false;
    this.syncing = false;
    this.held = [];
    this.generation++;
  }

  private async sync(withInit: boolean): Promise<void> {
    const mine = ++this.generation;
    this.syncing = true;
    this.held = [];
    let messages: readonly HostToWebview[];
    try {
      messages = await this.options.content.snapshot(withInit);
    } catch (e) {
      messages = [{ type: 'error', message: errorMessage(e) }];
      withInit = false;
    }
    if (mine !== this.generation) return; // a newer snapshot or a discarded page
    const { webview } = this.panel;
    for (const message of [...messages, ...this.held]) void webview.postMessage(message);
    this.held = [];
    this.syncing = false;
    if (withInit) this.initialized = true;
  }

  private async exportImage(message: ExportImage): Promise<void> {
    try {
      const saved = await saveExportedImage(message, this.options.content.exportFolder());
      if (saved) this.options.log(`${this.options.view} view: exported ${saved.fsPath}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`NAS Studio: could not export the picture: ${errorMessage(e)}`);
    }
  }

  private async exportCsv(message: ExportCsv): Promise<void> {
    try {
      const saved = await saveExportedCsv(message, this.options.content.exportFolder());
      if (saved) this.options.log(`${this.options.view} view: exported ${saved.fsPath}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`NAS Studio: could not export the table: ${errorMessage(e)}`);
    }
  }

  dispose(): void {
    this.discard();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
