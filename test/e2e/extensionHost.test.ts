import { test } from 'node:test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveTinyMnistModel } from '../engine/tinyMnistModel';
import { codeServerInstalled } from './codeServer';
import { runExtensionSuite } from './extensionSuite';

const missing = codeServerInstalled();

test('extensionTestsPath suite inside the real extension host (commands, diagnostics, run, CodeLens, panels, hovers, crash recovery)', { skip: missing, timeout: 400_000 }, async () => {
  // A tiny trained CNN (the engine's quantization fixture) for the suite's quantization spec.
  const made = mkdtempSync(join(tmpdir(), 'nas-e2e-exthost-'));
  try {
    await saveTinyMnistModel(made);
    await runExtensionSuite({ suite: join(__dirname, 'suite/index.ts'), port: 8462, prepare: (ws) => cpSync(made, join(ws, 'models', 'tiny'), { recursive: true }) });
  } finally {
    rmSync(made, { recursive: true, force: true });
  }
});
