import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { initBackend } from '../../../server/runtime/backend';
import { measureLayers, lutLayers, measurementNote } from '../../../server/ofa/lutMeasurement';
import { LatencyTable, writeLut } from '../../../server/ofa/latencyTable';
import { type OfaArch, lutKey, networkLayers } from '../../../server/spaces/ofa/mbv3Network';
import { CancelledError } from '../../../server/core/errors';

// A small resolution keeps the measured layers cheap; the table format does not care.
const arch: OfaArch = { ks: [3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5], e: Array(20).fill(3), d: [2, 3, 2, 2, 2], r: 64 };

test('lutLayers lists each distinct layer once: 6 fixed + 9 options x 2 shapes x 5 stages', () => {
  const layers = lutLayers(160);
  assert.equal(layers.length, 96);
  assert.equal(new Set(layers.map(lutKey)).size, 96);
  for (const layer of networkLayers(arch)) assert.ok(lutLayers(arch.r).some((l) => lutKey(l) === lutKey(layer)));
});

test('measured table is written in OFA YAML, reloads, and a network costs the sum of its entries', async () => {
  const backend = await initBackend('wasm');
  const layers = networkLayers(arch);
  const options = { repeats: 3, warmup: 1 };
  const entries = await measureLayers(layers, options);
  assert.equal(entries.size, new Set(layers.map(lutKey)).size);
  for (const entry of entries.values()) {
    assert.ok(entry.mean > 0 && entry.std! >= 0);
    assert.equal(entry.count, 3);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ofa-measured-'));
  const file = await writeLut(dir, arch.r, entries, measurementNote(backend, options));
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^# measured by NAS Studio on TensorFlow\.js .* backend 'wasm'/);
  const yaml = parse(text) as Record<string, { count: number; mean: number; std: number }>;
  assert.deepEqual(Object.keys(yaml), [...entries.keys()].sort());
  assert.deepEqual(Object.keys(Object.values(yaml)[0]), ['count', 'mean', 'std']);

  const table = await LatencyTable.load(dir);
  const expected = layers.reduce((sum, layer) => sum + entries.get(lutKey(layer))!.mean, 0);
  assert.ok(Math.abs(table.latency(arch) - expected) < 1e-12);
  assert.deepEqual(
    table.terms(arch).map(([key]) => key),
    layers.map(lutKey),
  );
});

test('measurement stops with CancelledError when aborted', async () => {
  await initBackend('wasm');
  const controller = new AbortController();
  const run = measureLayers(networkLayers(arch), {
    repeats: 1,
    warmup: 0,
    signal: controller.signal,
    progress: (done) => {
      if (done === 2) controller.abort();
    },
  });
  await assert.rejects(run, CancelledError);
});
