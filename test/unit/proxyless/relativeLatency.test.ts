import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../../server/core/rng';
import { fitAndValidate, PROXYLESS_CORRECTION_FILE, readProxylessCorrection, writeProxylessCorrection } from '../../../server/proxyless/latencyCorrection';
import { predictedLatency, type LatencyModel } from '../../../server/proxyless/latencyModel';
import { randomChoices } from '../../../server/proxyless/latencyValidation';
import { mixedBlocks, type ProxylessConfig } from '../../../server/proxyless/proxylessSpace';
import { REFERENCE_NETWORKS, referenceChoices, relativeLatency } from '../../../server/proxyless/relativeLatency';

const CONFIG: ProxylessConfig = {
  input: [16, 16, 1],
  classes: 10,
  stem: 8,
  stemStride: 1,
  stages: [
    { width: 8, stride: 1, blocks: 3 },
    { width: 16, stride: 2, blocks: 3 },
  ],
  kernels: [3, 5, 7],
  expandRatios: [3, 6],
  zero: true,
};

const blocks = mixedBlocks(CONFIG);
const rng = new Rng(7);
// A table of the space: candidates cost more with kernel and expansion, Zero nothing.
const latency: LatencyModel = {
  fixedMs: 0.1,
  blockMs: blocks.map((block) => block.candidates.map((op) => (op.kind === 'zero' ? 0 : 0.05 + 0.1 * rng.next()))),
};
const distance = (choices: readonly number[], from: readonly number[]) => Math.abs(Math.log(predictedLatency(latency, choices) / predictedLatency(latency, from)));

test('references: networks of the space other than the derived one, nearer its table latency than random networks are; the same for a seed', () => {
  const derived = blocks.map((block) => block.candidates.length - 2);
  const references = referenceChoices(latency, blocks, derived, 3);
  assert.equal(references.length, REFERENCE_NETWORKS);
  assert.ok(references.every((r) => r.some((c, b) => c !== derived[b])), 'the derived network is not its own reference');
  assert.ok(references.every((r) => r.every((c, b) => Number.isInteger(c) && c >= 0 && c < blocks[b].candidates.length)));
  assert.deepEqual(referenceChoices(latency, blocks, derived, 3), references);
  assert.notDeepEqual(referenceChoices(latency, blocks, derived, 4), references);
  // The farthest reference is nearer than most random networks of the space.
  const farthest = Math.max(...references.map((r) => distance(r, derived)));
  const random = randomChoices(blocks, 200, 11).map((r) => distance(r, derived));
  assert.ok(random.filter((d) => d < farthest).length < random.length / 4, `farthest reference at ${farthest}`);
});

test('relative latency: a machine slowed uniformly leaves the latency at the table speed unchanged; one reference the table gets wrong does not move it', () => {
  const derived = [0, 1, 2, 0, 1, 3];
  const references = referenceChoices(latency, blocks, derived, 1);
  const predicted = references.map((r) => predictedLatency(latency, r));
  const derivedMs = predictedLatency(latency, derived);
  for (const slowdown of [0.8, 1, 1.37, 2]) {
    // Every network measured `slowdown` times its table latency, one reference 3 times more.
    const measured = predicted.map((ms, i) => ms * slowdown * (i === 2 ? 3 : 1));
    const r = relativeLatency(derivedMs * slowdown, measured, predicted);
    assert.equal(r.references, REFERENCE_NETWORKS);
    assert.ok(Math.abs(r.slowdown - slowdown) < 1e-12, `slowdown ${r.slowdown} for ${slowdown}`);
    assert.equal(r.measuredMs, derivedMs * slowdown);
    assert.ok(Math.abs(r.atTableSpeedMs - derivedMs) < 1e-12);
  }
  // The median of the ratios: with an even count, halfway between the middle two.
  assert.equal(relativeLatency(1, [1, 2, 3, 4], [1, 1, 1, 1]).slowdown, 2.5);
  assert.throws(() => relativeLatency(1, [], []), RangeError);
  assert.throws(() => relativeLatency(1, [1, 2], [1]), RangeError);
});

test('a correction records the host it was measured on (a derived network is timed against references only on that host); a file from before hosts were recorded has none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-correction-'));
  try {
    const networks = randomChoices(blocks, 12, 5).map((choices, i) => ({ terms: { fixed: 0.1, blocks: predictedLatency(latency, choices) - 0.1, count: 6 }, keys: [], measured: predictedLatency(latency, choices) * (1.2 + 0.01 * i) }));
    writeProxylessCorrection(dir, fitAndValidate(networks), 'test backend');
    assert.equal((await readProxylessCorrection(dir))?.host, hostname());
    const file = join(dir, PROXYLESS_CORRECTION_FILE);
    const { host: _host, ...older } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(older));
    assert.equal((await readProxylessCorrection(dir))?.host, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
