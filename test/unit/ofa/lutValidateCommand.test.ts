import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lutCommand } from '../../../cli/lut';
import { validationFileCheck } from '../../../contract/latencyValidation';
import { validate } from '../../../contract/validate';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

test('lut --validate prints the figures (table sums, same-moment layer sums, correction) and where the view finds validation.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-lut-validate-'));
  const measure = capture();
  assert.equal(await lutCommand(['--out', dir, '--resolutions', '64', '--repeats', '1', '--warmup', '0', '--backend', 'wasm'], measure.io), 0, measure.err.join('\n'));
  assert.match(readFileSync(join(dir, '64_lookup_table.yaml'), 'utf8'), /^# measured by NAS Studio .* mean = 10th percentile of the process CPU times \(ms\)/);
  const run = capture();
  assert.equal(await lutCommand(['--validate', '3', '--lut', dir, '--repeats', '2', '--warmup', '0', '--backend', 'wasm'], run.io), 0, run.err.join('\n'));
  assert.match(run.out[0], /^3 networks on TensorFlow\.js .*'wasm'/);
  assert.match(run.out[1], /^table sums: +\d+\.\d % within ±10 %, mean absolute error \d+\.\d %$/);
  assert.match(run.out[2], /^layer sums now: .* within ±10 %, mean absolute error .* \(each network's layers timed alone in the same rounds\)$/);
  assert.match(run.out[3], /^with correction: .* \(5-fold cross-validated\)$/);
  assert.equal(run.out[5], `scatter plot: "NAS Studio: Show Latency Validation" on ${dir}`);
  const checked = validate(validationFileCheck, JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8')));
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  assert.equal(checked.value.networks.length, 3);
  assert.ok(checked.value.networks.every((n) => n.measured > 0 && n.layerSum! > 0 && n.predicted > 0));
});
