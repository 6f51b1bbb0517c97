/**
 * The webview end of the host channel: acquires the VS Code API once, validates every incoming
 * message (rejections are reported back to the host as `error`, never thrown), ignores `init`
 * meant for another view kind (the offline report runs several views in one page), and keeps
 * view state through getState/setState.
 */
import { initialStateElementId, readJsonScriptElement } from '../contract/html';
import { checkHostMessage, type HostToWebview, type ViewKind, type WebviewToHost } from '../contract/webviewMessages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<State> {
  post(message: WebviewToHost): void;
  /** The state saved before a reload (or given by the host at creation), if it passes the view's own check. */
  readonly savedState: State | undefined;
  saveState(state: State): void;
}

export function connectToHost<State>(
  view: ViewKind,
  onMessage: (message: HostToWebview) => void,
  readState: (saved: unknown) => State | undefined,
): HostConnection<State> {
  const api = acquireVsCodeApi();
  const post = (message: WebviewToHost) => api.postMessage(message);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const result = checkHostMessage(event.data);
    if (!result.ok) {
      post({ type: 'error', message: `${view} view rejected a message: ${result.error}` });
      return;
    }
    if (result.value.type === 'init' && result.value.view !== view) return;
    try {
      onMessage(result.value);
    } catch (error) {
      post({ type: 'error', message: `${view} view failed on "${result.value.type}": ${error instanceof Error ? error.message : String(error)}` });
    }
  });
  let savedState: State | undefined;
  try {
    savedState = readState(api.getState() ?? readJsonScriptElement(initialStateElementId));
  } catch {
    savedState = undefined;
  }
  post({ type: 'ready', view });
  return { post, savedState, saveState: (state) => api.setState(state) };
}
