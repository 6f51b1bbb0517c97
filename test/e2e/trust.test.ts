import { test } from 'node:test';
import { join } from 'node:path';
import { codeServerInstalled, runCommand } from './codeServer';
import { runExtensionSuite } from './extensionSuite';

const missing = codeServerInstalled();

test('real VS Code: a workspace opened untrusted, then trusted, keeps its trust when the engine crashes and restarts; a run completes', { skip: missing, timeout: 400_000 }, async () => {
  await runExtensionSuite({
    suite: join(__dirname, 'suite/trust.ts'),
    port: 8469,
    untrusted: true,
    onSignal: async (message, page) => {
      if (message !== 'grant-trust') return;
      // What a user does: Workspaces: Manage Workspace Trust, then the Workspace Trust editor's "Trust" button.
      await runCommand(page, 'Manage Workspace Trust');
      await page.locator('.monaco-button', { hasText: /^Trust$/ }).first().click({ timeout: 30_000 });
    },
  });
});
