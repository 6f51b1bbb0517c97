import { test } from 'node:test';
import { join } from 'node:path';
import { codeServerInstalled } from './codeServer';
import { runExtensionSuite } from './extensionSuite';

const missing = codeServerInstalled();

test('extensionTestsPath suite inside the real extension host (commands, diagnostics, run, CodeLens, panels, hovers, crash recovery)', { skip: missing, timeout: 400_000 }, async () => {
  await runExtensionSuite({ suite: join(__dirname, 'suite/index.ts'), port: 8462 });
});
