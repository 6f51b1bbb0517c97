import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { CategoricalSpace, oneHot, type Decision, type Genome, type SearchSpace } from '../../server/core/searchSpace';
import { type ArchJson } from '../../contract/architecture';
import type { Observation, StrategyDefinition } from '../../server/core/strategy';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { strategies } from '../../server/strategies/index';

/** A deterministic two-objective landscape over any categorical genome. */
function synthetic(genome: Genome): Observation {
  const a = genome.reduce((s, g, i) => s + g * (i + 1), 0);
  const b = -genome.reduce((s, g) => s + (g === 3 ? 2 : g), 0);
  return { objectives: [a, b], feasible: genome[0] !== 0 };
}

function run(definition: StrategyDefinition, space: SearchSpace, seed: number, budget: number): string[] {
  const strategy = definition.create({}, { space, rng: new Rng(seed), budget, objectiveCount: 2 });
  const keys: string[] = [];
  for (let i = 0; i < budget; i++) {
    const genome = strategy.ask();
    keys.push(space.key(genome));
    strategy.tell(genome, synthetic(genome));
  }
  return keys;
}

/** 2 decisions x 2 options: four architectures in all. */
class TinySpace extends CategoricalSpace {
  readonly id = 'tiny';
  readonly decisions: readonly Decision[] = [
    { name: 'a', choices: [0, 1] },
    { name: 'b', choices: [0, 1] },
  ];
  encode(genome: Genome): Float32Array {
    return oneHot(this, genome);
  }
  toArch(genome: Genome): ArchJson {
    return { space: this.id, genome };
  }
  fromArch(): Genome {
    return [0, 0];
  }
  describe(genome: Genome): string {
    return genome.join('');
  }
}

for (const definition of strategies) {
  test(`${definition.type}: same seed, same proposals; another seed, other proposals`, () => {
    const space = new Nb201Space();
    assert.deepEqual(run(definition, space, 5, 60), run(definition, space, 5, 60));
    assert.notDeepEqual(run(definition, space, 5, 60), run(definition, space, 6, 60));
  });

  test(`${definition.type}: keeps answering when the space is exhausted`, () => {
    const keys = run(definition, new TinySpace(), 1, 12);
    assert.equal(keys.length, 12);
    // Every strategy but regularized evolution (which may re-propose by design) tries all four first.
    if (definition.type !== 'regularized-evolution') assert.equal(new Set(keys.slice(0, 4)).size, 4);
  });

  // Random search ignores feedback and regularized evolution may revisit by design.
  if (!['random', 'regularized-evolution'].includes(definition.type)) test(`${definition.type}: does not propose an architecture it was told about`, () => {
    const space = new TinySpace();
    const strategy = definition.create({}, { space, rng: new Rng(2), budget: 4, objectiveCount: 2 });
    strategy.tell([0, 0], synthetic([0, 0]));
    const asked = [strategy.ask(), strategy.ask(), strategy.ask()].map((g) => space.key(g));
    assert.deepEqual(asked.slice().sort(), ['01', '10', '11']);
  });

  if (definition.type !== 'regularized-evolution') test(`${definition.type}: does not repeat an architecture in a 100-evaluation NAS-Bench-201 run`, () => {
    const keys = run(definition, new Nb201Space(), 9, 100);
    assert.equal(new Set(keys).size, 100);
  });
}

test('every strategy has a documented, closed options schema and a unique type', () => {
  assert.equal(new Set(strategies.map((s) => s.type)).size, strategies.length);
  for (const s of strategies) {
    assert.ok(s.title && s.description, s.type);
    assert.equal(s.optionsSchema.type, 'object');
    for (const [name, schema] of Object.entries(s.optionsSchema.properties ?? {})) assert.ok(schema.description, `${s.type}.${name}`);
  }
  assert.deepEqual(strategies.filter((s) => s.multiObjective).map((s) => s.type), ['nsga2']);
});
