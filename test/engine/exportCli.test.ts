import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const SKIP_TORCH = process.env.NAS_SKIP_TORCH === '1';

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
let run = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nas-export-cli-'));
  writeFileSync(
    join(dir, 'cnn.nas.json'),
    JSON.stringify({
      name: 'cnn',
      space: { type: 'layers', convBlocks: { max: 2, filters: [4, 8], kernels: [3, 5] }, denseLayers: { max: 1, units: [16] }, dropout: [0, 0.25] },
      evaluator: { type: 'train', trainSamples: 256, validationSamples: 128, testSamples: 0, latencyRepeats: 2, workers: 1 },
      strategy: { type: 'random' },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      budget: { trials: 2 },
      seed: 3,
    }),
  );
  const r = cli(['run', 'cnn.nas.json', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  run = JSON.parse(r.stdout.trim().split('\n').at(-1)!).experiment;
});

test('export --trial: every trained trial keeps its model; ONNX, PyTorch and TF.js exports run in their runtimes within 1e-4', () => {
  const models = readdirSync(join(dir, '.nas-studio/experiments', run, 'models')).sort();
  assert.deepEqual(models, ['trial-0', 'trial-1']);
  for (const format of ['onnx', 'pytorch', 'tfjs'] as const) {
    const r = cli(['export', run, '--trial', '1', '--format', format, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(result.format, format);
    assert.equal(result.dir, join(dir, '.nas-studio/experiments', run, 'exports', `trial-1-${format}`));
    assert.ok(existsSync(result.file), result.file);
    assert.match(r.stderr, new RegExp(`^trial 1 of ${run}: `, 'm'));
    if (format === 'pytorch' && SKIP_TORCH && 'skipped' in result.check) continue;
    assert.ok(result.check.maxDifference <= 1e-4, JSON.stringify(result.check));
    assert.match(r.stderr, /checked in (onnxruntime|PyTorch|TensorFlow\.js) .* on 4 random inputs: max \|difference\| from TF\.js/);
  }
  assert.deepEqual(readdirSync(join(dir, '.nas-studio/experiments', run, 'exports', 'trial-1-onnx')), ['model.onnx']);
  // A TF.js export is itself a model folder that exports again.
  const again = cli(['export', join(dir, '.nas-studio/experiments', run, 'exports', 'trial-1-tfjs'), '--format', 'onnx', '--out', join(dir, 'again')], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /wrote .*again\/model\.onnx \(input \[batch, 1, 28, 28\], output \[batch, 10\]\)/);
});

test('export: bad requests exit 2 with one clear line', () => {
  const cases: [string[], RegExp][] = [
    [['export', run, '--trial', '1', '--format', 'keras'], /error: --format must be one of onnx, tfjs, pytorch/],
    [['export', run, '--format', 'onnx'], /error: .* is a search: name the trial to export \(--trial N\)/],
    [['export', run, '--trial', '7', '--format', 'onnx'], /error: run .* has no finished trial 7/],
    [['export', 'nope', '--trial', '1', '--format', 'onnx'], /error: no run "nope" in /],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
