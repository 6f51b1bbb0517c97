// Issue 16 point 1 with issue 13's export: `nas-studio export <quantization run> --format onnx`
// writes Q/DQ ONNX that onnxruntime runs within 1e-4 of the run's simulated quantization.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { saveTinyMnistModel } from './tinyMnistModel';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const dir = mkdtempSync(join(tmpdir(), 'nas-quantized-export-'));
const modelDir = join(dir, 'tiny-model');
const SHORT = ['--dataset', 'mnist', '--episodes', '2', '--warmup', '1', '--held-out', '100', '--calibration', '32', '--test-samples', '0', '--seed', '4', '--json'];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A finished quantization run of the tiny model: its id and exports/ folder. */
function quantize(root: string, args: string[]): { run: string; exports: string } {
  const r = cli(['quantize', modelDir, ...args, ...SHORT, '--root', root]);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!).run as string;
  return { run, exports: join(root, run, 'exports') };
}

before(async () => {
  await saveTinyMnistModel(modelDir);
});

test('export <linear quantization run> --format onnx: Q/DQ ONNX within 1e-4 of the simulation, policy in metadata_props, packed size reported', () => {
  const root = join(dir, 'linear');
  const { run, exports } = quantize(root, ['--budget', 'size:w3']);
  const r = cli(['export', run, '--format', 'onnx', '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(result.file, join(exports, 'quantized-onnx', 'model.onnx'));
  assert.ok(result.check.maxDifference <= 1e-4, JSON.stringify(result.check));
  assert.match(r.stderr, new RegExp(`^quantized model of ${run} \\(linear quantization\\)$`, 'm'));
  assert.match(r.stderr, /checked in onnxruntime .* on 4 random inputs: max \|difference\| from TF\.js/);
  const report = JSON.parse(readFileSync(join(exports, 'quantization.json'), 'utf8'));
  assert.equal(result.quantization.packedBytes, report.packed.bytes);
  assert.equal(result.quantization.fileBytes, statSync(result.file).size);
  assert.match(r.stderr, new RegExp(`^quantized \\(linear\\): .*model\\.onnx ${result.quantization.fileBytes} bytes; kernels packed at their bit widths ${report.packed.bytes} bytes \\(\\d+\\.\\d\\dx smaller than float32\\)$`, 'm'));

  const policy = JSON.parse(readFileSync(join(exports, 'policy.json'), 'utf8'));
  const onnx = fromBinary(ModelProtoSchema, readFileSync(result.file));
  const recorded = JSON.parse(onnx.metadataProps.find((p) => p.key === 'nas_studio.policy')!.value);
  assert.deepEqual(recorded, policy.layers.map((l: { name: string; weightBits: number; activationBits: number }) => ({ layer: l.name, weightBits: l.weightBits, activationBits: l.activationBits })));
  const ops = onnx.graph!.node.map((n) => n.opType);
  assert.equal(ops.filter((o) => o === 'QuantizeLinear').length, 3, 'the inputs of the three layers after the first');

  // The exported model folder exports the same way; other formats are refused.
  const folder = cli(['export', join(exports, 'model'), '--format', 'onnx', '--out', join(dir, 'from-folder')]);
  assert.equal(folder.code, 0, folder.stderr);
  assert.match(folder.stdout, /wrote .*from-folder\/model\.onnx \(input \[batch, 1, 28, 28\], output \[batch, 10\]\)/);
  const torch = cli(['export', run, '--format', 'pytorch', '--root', root]);
  assert.equal(torch.code, 2, torch.stderr);
  assert.match(torch.stderr, /a quantized model exports to ONNX only/);

  // A run exported before activation grids were recorded cannot say how its inputs were quantized.
  writeFileSync(join(exports, 'policy.json'), JSON.stringify({ ...policy, layers: policy.layers.map(({ inputGrid: _g, ...l }: { inputGrid?: unknown }) => l) }));
  const old = cli(['export', run, '--format', 'onnx', '--root', root]);
  assert.equal(old.code, 2, old.stderr);
  assert.match(old.stderr, new RegExp(`cannot export layer "${policy.layers[1].name}" to ONNX: policy\\.json does not record the grid of its \\d-bit input activations`));
});

test('export <k-means quantization run> --format onnx: index + codebook + Gather, within 1e-4', () => {
  const root = join(dir, 'kmeans');
  const { run } = quantize(root, ['--quantizer', 'kmeans', '--budget', 'size:w3']);
  const r = cli(['export', run, '--format', 'onnx', '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.ok(result.check.maxDifference <= 1e-4, JSON.stringify(result.check));
  assert.equal(result.quantization.quantizer, 'kmeans');
  const ops = fromBinary(ModelProtoSchema, readFileSync(result.file)).graph!.node.map((n) => n.opType);
  assert.equal(ops.filter((o) => o === 'Gather').length, 4);
});
