// Issue 16 point 1 with issue 13: "Export Model…" on a finished quantization run in the explorer
// writes its quantized model as ONNX with Q/DQ nodes, checked in onnxruntime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { saveTinyMnistModel } from '../engine/tinyMnistModel';
import { codeServerInstalled, REPO, withWorkbench } from './codeServer';
import { contextMenuAction, explorerRow } from './workbench';

const missing = codeServerInstalled();

test('real VS Code: "Export Model…" on a finished quantization run writes Q/DQ ONNX and reports the check and the packed size', { skip: missing, timeout: 480_000 }, async () => {
  // A finished two-episode linear quantization of a tiny MNIST model, run by the CLI before VS Code opens.
  const model = join(mkdtempSync(join(tmpdir(), 'nas-e2e-quantized-')), 'tiny-model');
  await saveTinyMnistModel(model);
  const prepare = (workspace: string) => {
    cpSync(model, join(workspace, 'tiny-model'), { recursive: true });
    const args = ['quantize', 'tiny-model', '--budget', 'size:w3', '--dataset', 'mnist', '--episodes', '2', '--warmup', '1', '--held-out', '100', '--calibration', '32', '--test-samples', '0'];
    const run = spawnSync(process.execPath, [join(REPO, 'bin/nas-studio.js'), ...args], { cwd: workspace, encoding: 'utf8', timeout: 300_000 });
    assert.equal(run.status, 0, run.stderr);
  };
  await withWorkbench({ name: 'export-quantized', port: 8563, prepare }, async ({ page, workspace, shot }) => {
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    const runRow = explorerRow(page, /^tiny-model.*finished/).first();
    await runRow.waitFor({ timeout: 90_000 });
    await contextMenuAction(page, runRow, 'Export Model…');

    const root = join(workspace, '.nas-studio/experiments');
    const [id] = readdirSync(root);
    const onnx = join(root, id, 'exports', 'quantized-onnx', 'model.onnx');
    const toast = page.locator('.notification-toast', { hasText: `Exported the quantized model of ${id} to ${onnx}.` });
    await toast.waitFor({ timeout: 120_000 });
    await shot('exported');
    assert.match((await toast.innerText()).replace(/\s+/g, ' '), /Checked in onnxruntime [\d.]+: max \|difference\| from TF\.js \d\.\de[-+]\d+\. Kernels packed at their bit widths: \d+ bytes\./);
    assert.ok(existsSync(onnx));
    const ops = fromBinary(ModelProtoSchema, readFileSync(onnx)).graph!.node.map((n) => n.opType);
    assert.equal(ops.filter((o) => o === 'QuantizeLinear').length, 3);
  });
});
