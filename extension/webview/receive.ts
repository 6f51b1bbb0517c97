/**
 * Host side of the webview channel: every message from a webview is validated before any
 * handler sees it, then dispatched by type. Pure (no `vscode`), so panels wire it as
 * `webview.onDidReceiveMessage((m) => receiveWebviewMessage(m, handlers, log))`.
 */
import { checkWebviewMessage, type WebviewToHost } from '../../contract/webviewMessages';

export type WebviewHandlers = {
  readonly [K in WebviewToHost['type']]?: (message: Extract<WebviewToHost, { type: K }>) => void | Promise<void>;
};

/** Validates and dispatches; malformed messages go to `onInvalid` with the reason and are dropped. */
export async function receiveWebviewMessage(raw: unknown, handlers: WebviewHandlers, onInvalid: (reason: string) => void): Promise<void> {
  const result = checkWebviewMessage(raw);
  if (!result.ok) {
    onInvalid(`rejected a webview message: ${result.error}`);
    return;
  }
  const message = result.value;
  const handler = handlers[message.type] as ((m: WebviewToHost) => void | Promise<void>) | undefined;
  await handler?.(message);
}
