import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArchJson } from '../../contract/architecture';
import { Rng } from '../../server/core/rng';
import { CategoricalSpace, oneHot, type Decision, type Genome } from '../../server/core/searchSpace';
import { validateSpecText } from '../../server/experiment/validate';
import { LayersSpace } from '../../server/spaces/layers/layersSpace';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { OfaMbv3Space } from '../../server/spaces/ofa/ofaMbv3Space';
import { componentProblems, defaultComponents, resolveComponents } from '../../server/strategies/componentSplit';
import { CooperativeCoevolution, cooperativeCoevolution, type CooperativeCoevolutionOptions } from '../../server/strategies/cooperativeCoevolution';

/** A hand-made problem: four decisions of three options, split into two components of two. */
class ToySpace extends CategoricalSpace {
  readonly id = 'toy';
  readonly decisions: readonly Decision[] = ['a', 'b', 'c', 'd'].map((name) => ({ name, choices: [0, 1, 2] }));
  encode = (g: Genome) => oneHot(this, g);
  toArch = (g: Genome): ArchJson => ({ space: 'toy', genome: [...g] });
  fromArch = (): Genome => [0, 0, 0, 0];
  describe = (g: Genome) => g.join('');
}

const space = new ToySpace();
const split = [['a', 'b'], ['c', 'd']];
/** Every option counts, the last ones more: the optimum is 2222. */
const fitness = (g: Genome) => g.reduce((s, v, i) => s + v * (i + 1), 0);

function coevolution(seed: number, options: CooperativeCoevolutionOptions = {}): CooperativeCoevolution {
  return new CooperativeCoevolution({ space, rng: new Rng(seed), budget: 100, objectiveCount: 1 }, { components: split, population: 4, sampleSize: 2, randomCollaborators: 0, ...options });
}

const told = (s: CooperativeCoevolution, g: Genome, f = fitness(g)) => s.tell(g, { objectives: [f], feasible: true });
const parts = (g: Genome) => [g.slice(0, 2), g.slice(2)];

test('component split: the space\'s parts by default (NB201 edges, OFA stages and resolution, layer blocks), or the spec\'s decision names', () => {
  assert.deepEqual(defaultComponents(new Nb201Space()).map((c) => c.decisions), [[0], [1], [2], [3], [4], [5]]);
  const ofa = defaultComponents(new OfaMbv3Space());
  assert.deepEqual(ofa.map((c) => c.name), ['stage0', 'stage1', 'stage2', 'stage3', 'stage4', 'resolution']);
  const names = (c: { decisions: readonly number[] }) => c.decisions.map((i) => new OfaMbv3Space().decisions[i].name);
  assert.deepEqual(names(ofa[1]), ['ks4', 'ks5', 'ks6', 'ks7', 'e4', 'e5', 'e6', 'e7', 'd1']);
  assert.deepEqual(names(ofa[5]), ['r']);
  const layers = new LayersSpace({ convBlocks: { max: 2 }, denseLayers: { max: 1 } });
  assert.deepEqual(
    defaultComponents(layers).map((c) => c.decisions.map((i) => layers.decisions[i].name)),
    [['conv_blocks'], ['conv0_filters', 'conv0_kernel'], ['conv1_filters', 'conv1_kernel'], ['dense_layers'], ['dense0_units'], ['dropout']],
  );
  // Every default is a partition: each decision in exactly one component.
  for (const s of [new Nb201Space(), new OfaMbv3Space(), layers]) {
    assert.deepEqual(defaultComponents(s).flatMap((c) => c.decisions).sort((x, y) => x - y), s.decisions.map((_, i) => i));
  }
  assert.deepEqual(resolveComponents(space, split).map((c) => c.decisions), [[0, 1], [2, 3]]);
});

test('component split: unknown, repeated and missing decisions are errors at the option that names them', () => {
  const problems = componentProblems(space, [['a', 'x'], ['b', 'a']]);
  assert.deepEqual(
    problems.map((p) => [p.path, p.message]),
    [
      [['components', 0, 1], '"x" is not a decision of the "toy" space; its decisions are "a", "b", "c", "d"'],
      [['components', 1, 1], '"a" is already in component 0: every decision belongs to one component'],
      [['components'], 'the components leave out "c", "d": every decision belongs to one component'],
    ],
  );
  // In a spec, the problem is anchored at the component's entry.
  const spec = {
    space: { type: 'nb201' },
    evaluator: { type: 'tabular', table: 'missing.csv' },
    strategy: { type: 'cooperative-coevolution', components: [['1<-0', '2<-0'], ['2<-1', '3<-0', '3<-1', '3<-3']] },
    objectives: [{ metric: 'acc', goal: 'maximize' }],
    budget: { trials: 10 },
  };
  const messages = validateSpecText(JSON.stringify(spec), { baseDir: '/nowhere' }).diagnostics.map((d) => `${d.path.join('.')}: ${d.message}`);
  assert.ok(messages.includes('strategy.components.1.3: "3<-3" is not a decision of the "nb201" space; its decisions are "1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"'), messages.join('\n'));
  assert.ok(messages.includes('strategy.components: the components leave out "3<-2": every decision belongs to one component'), messages.join('\n'));
});

test('co-evolution: random architectures first, their parts join every subpopulation with the architecture\'s fitness as credit', () => {
  const s = coevolution(1);
  const samples = [0, 1, 2, 3].map(() => s.ask());
  samples.forEach((g) => told(s, g));
  for (const c of [0, 1]) {
    assert.deepEqual(
      s.members(c).map((m) => [m.values, m.credit]),
      samples.map((g) => [parts(g)[c], fitness(g)]),
    );
  }
});

test('co-evolution: a candidate part is evaluated with the best member of the other subpopulation; credit is the best collaboration it took part in', () => {
  const s = coevolution(2);
  const samples = [[0, 0, 0, 0], [1, 0, 2, 2], [0, 2, 0, 1], [2, 2, 0, 0]];
  // Stand-ins for the first random proposals: asked, then told these architectures instead.
  samples.forEach(() => s.ask());
  samples.forEach((g) => told(s, g));
  // Credits: subpopulation 1 (decisions c, d) holds [0,0]:0, [2,2]:15, [0,1]:8, [0,0]:6.
  assert.deepEqual(s.members(1).map((m) => m.credit), [0, 15, 8, 6]);
  const best1 = s.members(1)[1];

  // Component 0's turn: a child of one of its members (one decision changed), with subpopulation 1's best.
  const first = s.ask();
  assert.deepEqual(parts(first)[1], [2, 2]);
  const distances = s.members(0).map((m) => m.values.reduce((d, v, k) => d + (v !== first[k] ? 1 : 0), 0));
  assert.ok(distances.includes(1), `${first} is not one mutation from a member of subpopulation 0`);
  told(s, first, 40);
  // The candidate joined its subpopulation (the oldest died); the collaborator is credited with the better collaboration.
  assert.deepEqual(s.members(0).map((m) => m.values), [...samples.slice(1).map((g) => parts(g)[0]), parts(first)[0]]);
  assert.equal(s.members(0).at(-1)!.credit, 40);
  assert.equal(best1.credit, 40);

  // Component 1's turn now: with subpopulation 0's best, the candidate that scored 40.
  const second = s.ask();
  assert.deepEqual(parts(second)[0], parts(first)[0]);
  told(s, second, 1);
  // A worse collaboration leaves a credit as it was.
  assert.equal(s.members(0).at(-1)!.credit, 40);
  assert.equal(s.members(1).at(-1)!.credit, 1);
});

test('co-evolution: with randomCollaborators = 1 the collaborators are random members, and they are credited too', () => {
  const s = coevolution(3, { randomCollaborators: 1 });
  const samples = [[0, 0, 0, 0], [1, 0, 2, 2], [0, 2, 0, 1], [2, 2, 0, 0]];
  samples.forEach(() => s.ask());
  samples.forEach((g) => told(s, g));
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const g = s.ask();
    const newest = [0, 1].map((c) => s.members(c).at(-1));
    told(s, g, 100 + i);
    // The candidate's component is the one whose subpopulation gained a member.
    const c = [0, 1].find((k) => s.members(k).at(-1) !== newest[k])!;
    assert.deepEqual(s.members(c).at(-1)!.values, parts(g)[c]);
    const same = (m: { values: readonly number[] }) => m.values.join() === parts(g)[1 - c].join();
    seen.add(parts(g)[1 - c].join());
    // The collaborator (a member with the other part) now has the best credit yet.
    assert.ok(s.members(1 - c).some((m) => same(m) && m.credit === 100 + i), `${g}: no member of subpopulation ${1 - c} collaborated`);
  }
  assert.ok(seen.size > 1, 'random collaborators vary');
});

test('co-evolution: same seed, same search; another seed, another; it climbs to the optimum of the hand-made problem', () => {
  const run = (seed: number) => {
    const s = coevolution(seed, { randomCollaborators: 0.1 });
    return Array.from({ length: 40 }, () => {
      const g = s.ask();
      told(s, g);
      return g.join('');
    });
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
  assert.ok(run(5).includes('2222'));
});

test('co-evolution: an architecture it did not ask for joins every subpopulation and counts towards the random start', () => {
  const s = coevolution(4);
  told(s, [2, 2, 2, 2]);
  assert.deepEqual(s.members(0).map((m) => m.values), [[2, 2]]);
  assert.deepEqual(s.members(1).map((m) => m.values), [[2, 2]]);
  // Three random proposals remain before candidates are bred.
  const random = [0, 1, 2].map(() => s.ask());
  random.forEach((g) => told(s, g));
  const candidate = s.ask();
  assert.ok(s.members(0).some((m) => m.values.reduce((d, v, k) => d + (v !== candidate[k] ? 1 : 0), 0) === 1));
});

test('co-evolution prior: subpopulations start from the best transferred parts; a transferred member is credited with this run\'s fitness once it collaborates', () => {
  const s = coevolution(7, { population: 2 });
  const transferred = [
    { genome: [0, 0, 0, 0], observation: { objectives: [50], feasible: true }, score: -1 },
    { genome: [2, 2, 1, 1], observation: { objectives: [90], feasible: true }, score: 1.5 },
    { genome: [1, 1, 2, 2], observation: { objectives: [80], feasible: true }, score: 0.5 },
  ];
  s.prior(transferred);
  // The two best, worst first; no random start is left.
  assert.deepEqual(s.members(0).map((m) => [m.values, m.credit, m.transferred]), [[[1, 1], 0.5, true], [[2, 2], 1.5, true]]);
  const g = s.ask();
  assert.deepEqual(parts(g)[1], [1, 1], 'collaborates with the best transferred part');
  told(s, g, 3);
  const collaborator = s.members(1).find((m) => m.values.join() === '1,1')!;
  assert.deepEqual([collaborator.credit, collaborator.transferred], [3, false]);
});

test('co-evolution check: a tournament larger than the population is an error', () => {
  assert.deepEqual(cooperativeCoevolution.check!({ population: 3, sampleSize: 4 }, { budget: 10, objectiveCount: 1 }).map((e) => e.path), [['sampleSize']]);
});
