// AdaNet candidates from a search space via a strategy: the spec names a trainable space and a
// strategy; every iteration the strategy (replayed from the journal's iterations) proposes the
// candidates, told the held-out objective each candidate's ensemble reached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateEnsembleSpecText } from '../../../server/ensemble/validateEnsemble';
import { searchCandidates } from '../../../server/ensemble/searchGenerator';
import type { SearchGenerator } from '../../../server/ensemble/ensembleSpec';
import { candidatesPerIteration } from '../../../server/ensemble/subnetworkGenerator';
import type { LayerStackArch } from '../../../server/spaces/layers/layerSpec';

const SPACE = { type: 'layers', convBlocks: { max: 2, filters: [4, 8], kernels: [3] }, denseLayers: { max: 1, units: [16, 32] }, dropout: [0] };

function validate(generator: unknown, extra: Record<string, unknown> = {}) {
  return validateEnsembleSpecText(JSON.stringify({ network: { input: [28, 28, 1], classes: 10 }, dataset: { type: 'mnist' }, generator, maxIterations: 4, seed: 5, ...extra }), { baseDir: '.' });
}

test('a search generator proposes the candidates of a trainable space, with AdaNet\'s complexity √(hidden layers)', () => {
  const { spec, diagnostics } = validate({ type: 'search', space: SPACE, strategy: { type: 'random' }, candidates: 3 });
  assert.deepEqual(diagnostics, []);
  assert.equal(candidatesPerIteration(spec!), 3);
  const proposed = searchCandidates({ ...spec!, generator: spec!.generator as SearchGenerator }, []);
  assert.equal(proposed.length, 3);
  for (const c of proposed) {
    assert.equal(c.arch.space, 'layers');
    assert.deepEqual(c.arch.input, [28, 28, 1]);
    assert.deepEqual(c.arch.layers.at(-1), { type: 'dense', units: 10, activation: 'softmax' });
    const hidden = c.arch.layers.filter((l) => l.type === 'conv2d' || (l.type === 'dense' && l.activation === 'relu')).length;
    assert.equal(c.depth, hidden);
    assert.equal(c.complexity, Math.sqrt(hidden));
  }
});

test('proposals replay: the same seed and the same finished iterations give the same candidates, and regularized evolution learns from the held-out objectives told', () => {
  const { spec } = validate({ type: 'search', space: SPACE, strategy: { type: 'regularized-evolution', population: 4, sampleSize: 2 }, candidates: 2 });
  const searching = { ...spec!, generator: spec!.generator as SearchGenerator };
  const past = [{ candidates: [{ heldOutObjective: 0.9 }, { heldOutObjective: 0.4 }] }, { candidates: [{ heldOutObjective: 0.7 }, { heldOutObjective: 0.3 }] }];
  const once = searchCandidates(searching, past);
  assert.deepEqual(searchCandidates(searching, past), once);
  // The first iteration's proposals do not depend on what later iterations told.
  assert.deepEqual(searchCandidates(searching, []).map((c) => c.arch), searchCandidates(searching, []).map((c) => c.arch));
  // Once the population of 4 is full, each proposal is a one-decision mutation of the best of a tournament: a network one edit away from an earlier proposal.
  const earlier = [...searchCandidates(searching, []), ...searchCandidates(searching, past.slice(0, 1))].map((c) => c.arch);
  for (const c of once) assert.ok(earlier.some((e) => oneEdit(e, c.arch)), `${JSON.stringify(c.arch.layers)} is one edit from an earlier proposal`);
});

/** Whether two layer stacks are one decision of the layers space apart: one layer's setting, or the number of conv blocks or of dense layers. */
function oneEdit(a: LayerStackArch, b: LayerStackArch): boolean {
  const parts = (arch: LayerStackArch) => [arch.layers.filter((l) => l.type === 'conv2d'), arch.layers.filter((l) => l.type === 'dense')].map((p) => p.map((l) => JSON.stringify(l)));
  const [x, y] = [parts(a), parts(b)];
  const changed = [0, 1].filter((i) => JSON.stringify(x[i]) !== JSON.stringify(y[i]));
  if (changed.length === 0) return true;
  if (changed.length > 1) return false;
  const [p, q] = [x[changed[0]], y[changed[0]]];
  return p.length !== q.length || p.filter((l, i) => l !== q[i]).length === 1;
}

test('a search generator names what is wrong in it', () => {
  const messages = (generator: unknown, extra?: Record<string, unknown>) => validate(generator, extra).diagnostics.map((d) => `${d.path.join('.')}: ${d.message}`);
  assert.deepEqual(messages({ type: 'search', space: SPACE }), ['generator: a search generator needs a "space" and a "strategy"']);
  assert.deepEqual(messages({ type: 'search', space: SPACE, strategy: { type: 'random' }, maxDepth: 3 }), ['generator.maxDepth: "maxDepth" belongs to the blocks generator; a search generator\'s candidates come from its "space"']);
  assert.deepEqual(messages({ block: { type: 'dense' }, candidates: 3 }), ['generator.candidates: "candidates" belongs to a search generator ("type": "search")']);
  const mismatch = messages({ type: 'search', space: { ...SPACE, classes: 5 }, strategy: { type: 'random' } });
  assert.equal(mismatch.length, 1);
  assert.match(mismatch[0], /^generator\.space: the space's networks take \[28, 28, 1\] and predict 5 classes, but "network" is \[28, 28, 1\] with 10 classes$/);
  // Spaces whose networks the training stack cannot build are not offered (the schema lists the trainable ones).
  assert.ok(validate({ type: 'search', space: { type: 'nb201' }, strategy: { type: 'random' } }).diagnostics.length > 0);
});
