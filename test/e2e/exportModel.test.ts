import * as tf from '@tensorflow/tfjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { maxDifference, toChannelsFirst } from '../../server/deploy/exportModel';
import { runOnnx } from '../../server/deploy/exportRuntimes';
import { initBackend } from '../../server/runtime/backend';
import { loadLayersModel } from '../../server/supernet/tfjsModelFiles';
import { codeServerInstalled, REPO, withWorkbench } from './codeServer';
import { writeTinySpec } from './e2eSpec';
import { contextMenuAction, explorerRow } from './workbench';

const missing = codeServerInstalled();

test('real VS Code: "Export Model…" on a trial in the explorer writes an ONNX model that onnxruntime runs like the trained model', { skip: missing, timeout: 420_000 }, async () => {
  // A finished two-trial search of small CNNs, run by the CLI into the workspace before VS Code opens it.
  const prepare = (workspace: string) => {
    writeTinySpec(workspace, 'cnn', 2, 512, {
      space: { type: 'layers', convBlocks: { max: 1, filters: [4, 8], kernels: [3] }, denseLayers: { max: 0 }, dropout: [0] },
      strategy: { type: 'random' },
    });
    const run = spawnSync(process.execPath, [join(REPO, 'bin/nas-studio.js'), 'run', 'cnn.nas.json'], { cwd: workspace, encoding: 'utf8', timeout: 240_000 });
    assert.equal(run.status, 0, run.stderr);
  };
  await withWorkbench({ name: 'export-model', port: 8571, prepare }, async ({ page, workspace, shot }) => {
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    const runRow = explorerRow(page, /^cnn.*finished/).first();
    await runRow.waitFor({ timeout: 90_000 });
    await runRow.click();
    const trials = explorerRow(page, /^Trials \(2\)/).first();
    await trials.waitFor({ timeout: 30_000 });
    await trials.click();
    const trialRow = explorerRow(page, /^#1 /).first();
    await trialRow.waitFor({ timeout: 30_000 });

    // Right-click the trial: the context menu offers Export Model…; pick ONNX in the format quick pick.
    await contextMenuAction(page, trialRow, 'Export Model…');
    await page.locator('.quick-input-widget', { hasText: 'Export trial 1 as' }).waitFor({ timeout: 15_000 });
    for (const format of ['ONNX', 'TensorFlow.js', 'PyTorch']) await page.locator('.quick-input-list .monaco-list-row', { hasText: format }).first().waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ONNX (model.onnx, opset 17)' }).first().click();

    const root = join(workspace, '.nas-studio/experiments');
    const [id] = readdirSync(root);
    const onnx = join(root, id, 'exports', 'trial-1-onnx', 'model.onnx');
    await page.locator('.notification-toast', { hasText: `Exported trial 1 to ${onnx}.` }).waitFor({ timeout: 120_000 });
    await shot('exported');
    assert.ok(existsSync(onnx));

    // Independently: onnxruntime on the file against TF.js on the trial's kept model.
    await initBackend('wasm');
    const model = await loadLayersModel(join(root, id, 'models', 'trial-1'));
    const x = tf.randomUniform([3, 28, 28, 1], 0, 255, 'float32', 4);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const ort = await runOnnx(onnx, toChannelsFirst(x), [3, 1, 28, 28]);
    assert.ok('output' in ort, 'onnxruntime runs the export');
    assert.ok(maxDifference(ort.output, expected) <= 1e-4, `max |difference| ${maxDifference(ort.output, expected)}`);
  });
});
