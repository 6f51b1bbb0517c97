import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../server/core/rng';
import { argmax } from '../../../server/proxyless/archParameters';
import { predictedLatency, type LatencyModel } from '../../../server/proxyless/latencyModel';
import { mostLikelyNearTarget } from '../../../server/proxyless/nearTargetChoice';
import { selectNetwork } from '../../../server/proxyless/deriveNetwork';
import { archOfChoices, describeProxylessArch } from '../../../server/proxyless/proxylessArch';
import { mixedBlocks, type ProxylessConfig } from '../../../server/proxyless/proxylessSpace';
import type { ProxylessSpec } from '../../../server/proxyless/proxylessSpec';
import type { RunEvents } from '../../../server/runs/runKind';

function randomCase(rng: Rng, blocks: number, candidates: number) {
  const blockMs = Array.from({ length: blocks }, (_, b) =>
    // Zero (0 ms) in every other block, as where a block can be skipped; a corrected entry can be negative.
    Array.from({ length: candidates }, (_, c) => (c === candidates - 1 && b % 2 === 1 ? 0 : 0.3 * rng.next() - 0.02)),
  );
  const probabilities = Array.from({ length: blocks }, () => {
    const logits = Array.from({ length: candidates }, () => 3 * rng.normal());
    const total = logits.reduce((s, l) => s + Math.exp(l), 0);
    return logits.map((l) => Math.exp(l) / total);
  });
  const model: LatencyModel = { fixedMs: 0.2, blockMs };
  return { model, probabilities };
}

/** Every network of the space, most likely first, by enumeration. */
function enumerate(model: LatencyModel, probabilities: number[][]) {
  let networks: number[][] = [[]];
  for (const ms of model.blockMs) networks = networks.flatMap((n) => ms.map((_, c) => [...n, c]));
  const logP = (n: number[]) => n.reduce((s, c, b) => s + Math.log(probabilities[b][c]), 0);
  return networks.map((choices) => ({ choices, logP: logP(choices), ms: predictedLatency(model, choices) })).sort((a, b) => b.logP - a.logP);
}

test('near-target: the most likely network within the band, as enumerating the whole space finds it', () => {
  const rng = new Rng('near-target');
  let differed = 0;
  for (let trial = 0; trial < 60; trial++) {
    const { model, probabilities } = randomCase(rng, 5, 4);
    const all = enumerate(model, probabilities);
    const target = all[rng.int(all.length)].ms;
    const tolerance = [0.02, 0.05, 0.1][trial % 3];
    const expected = all.find((n) => Math.abs(n.ms - target) <= tolerance * target)!;
    const found = mostLikelyNearTarget(model, probabilities, target, tolerance)!;
    assert.ok(Math.abs(predictedLatency(model, found) - target) <= tolerance * target, `trial ${trial}: in the band`);
    const logP = found.reduce((s, c, b) => s + Math.log(probabilities[b][c]), 0);
    assert.ok(Math.abs(logP - expected.logP) < 1e-9, `trial ${trial}: log p ${logP} vs the best in the band ${expected.logP}`);
    if (found.some((c, b) => c !== argmax(probabilities[b]))) differed++;
  }
  assert.ok(differed > 10, `the band changed the choice in ${differed} of 60 cases`);
});

test('near-target: the argmax network when it is in the band; undefined when no network is', () => {
  const { model, probabilities } = randomCase(new Rng('argmax'), 6, 7);
  const argmaxChoices = probabilities.map(argmax);
  const ms = predictedLatency(model, argmaxChoices);
  assert.deepEqual(mostLikelyNearTarget(model, probabilities, ms * 1.05, 0.1), argmaxChoices);
  const fastest = model.blockMs.reduce((s, b) => s + Math.min(...b), model.fixedMs);
  assert.equal(mostLikelyNearTarget(model, probabilities, fastest / 2, 0.1), undefined);
});

test('derived.selection: argmax hands over every block\'s most likely candidate; near-target the most likely network in the band, keeping the argmax one and saying so', () => {
  const supernet: ProxylessConfig = { input: [8, 8, 1], classes: 3, stem: 4, stemStride: 1, stages: [{ width: 4, stride: 1, blocks: 2 }, { width: 6, stride: 2, blocks: 1 }], kernels: [3, 5], expandRatios: [2], zero: true };
  const blocks = mixedBlocks(supernet);
  // Blocks 1 and 2: k3, k5, Zero; block 3 (stride 2): k3, k5.
  const latency: LatencyModel = { fixedMs: 0.14, blockMs: [[0.2, 0.35, 0], [0.2, 0.35, 0], [0.07, 0.13]] };
  const probabilities = [[0.5, 0.1, 0.4], [0.5, 0.15, 0.35], [0.3, 0.7]];
  const logs: string[] = [];
  const events = { log: (m: string) => logs.push(m) } as unknown as RunEvents;
  const spec = (target: number, selection: 'argmax' | 'near-target') =>
    ({ supernet, latency: { target }, derived: { selection, targetTolerance: 0.1 } }) as unknown as ProxylessSpec;

  assert.deepEqual(selectNetwork({ probabilities }, { spec: spec(0.5, 'argmax'), blocks, latency, events }), { choices: [0, 0, 1] });
  assert.deepEqual(logs, []);
  // The argmax network takes 0.67 ms; within 0.45-0.55 ms are [0, Zero, k5] and [Zero, 0, k5] (0.47 ms), the second more likely (0.14 against 0.1225).
  const near = selectNetwork({ probabilities }, { spec: spec(0.5, 'near-target'), blocks, latency, events });
  assert.deepEqual(near.choices, [2, 0, 1]);
  assert.ok(Math.abs(near.mostLikely!.predictedLatencyMs - 0.67) < 1e-12);
  assert.equal(near.mostLikely!.description, describeProxylessArch(archOfChoices(supernet, blocks, [0, 0, 1])));
  assert.match(logs[0], /^the most likely network, .*, is predicted at 0\.670 ms, outside ±10 % of the 0\.5 ms target; deriving the most likely network within it \(1\.\d× less likely\)$/);
  // Already in the band: the same network, nothing to say.
  assert.deepEqual(selectNetwork({ probabilities }, { spec: spec(0.65, 'near-target'), blocks, latency, events }), { choices: [0, 0, 1] });
  assert.equal(logs.length, 1);
  // Nothing in the band (the fastest network takes 0.21 ms): the argmax network, and the log says why.
  assert.deepEqual(selectNetwork({ probabilities }, { spec: spec(0.1, 'near-target'), blocks, latency, events }), { choices: [0, 0, 1] });
  assert.match(logs[1], /^no network of the space is within ±10 % of the 0\.1 ms target by the latency table: deriving the most likely one, .* \(0\.670 ms\)$/);
});
