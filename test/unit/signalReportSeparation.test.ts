import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../server/core/rng';
import type { Genome } from '../../server/core/searchSpace';
import type { Observation, StrategyContext, StrategyDefinition } from '../../server/core/strategy';
import { tabularEvaluator } from '../../server/evaluators/tabular/tabularEvaluator';
import { formatArchString } from '../../server/spaces/nb201/archString';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { runSearch } from '../../bench/nb201Loop';

// A small table whose report and constraint columns hold values the signal never takes.
const rng = new Rng(17);
const space = new Nb201Space();
const rows = Array.from({ length: 40 }, () => space.sample(rng)).filter(
  (g, i, all) => all.findIndex((h) => space.key(h) === space.key(g)) === i,
);
const signalOf = (i: number) => 50 + i;
const reportOf = (i: number) => 1000 + i;
const latencyOf = (i: number) => 3 + (i % 7);
const dir = mkdtempSync(join(tmpdir(), 'nb201-separation-'));
writeFileSync(
  join(dir, 'table.csv'),
  ['arch,valid,test,lat', ...rows.map((g, i) => `${formatArchString(g)},${signalOf(i)},${reportOf(i)},${latencyOf(i)}`)].join('\n'),
);

/** A strategy that records everything it is ever handed. */
function spy(record: { contexts: StrategyContext[]; told: [Genome, Observation][] }): StrategyDefinition {
  return {
    type: 'spy',
    title: 'spy',
    description: 'records what a strategy can see',
    optionsSchema: { type: 'object' },
    multiObjective: false,
    create: (_options, context) => {
      record.contexts.push(context);
      let next = 0;
      return {
        ask: () => rows[next++ % rows.length],
        tell: (genome, observation) => void record.told.push([genome, observation]),
      };
    },
  };
}

test('a strategy sees the signal (oriented) and feasibility, never the report column', async () => {
  const evaluator = await tabularEvaluator.create(
    { table: 'table.csv' },
    { space, baseDir: dir, workDir: dir, seed: 0, metrics: ['valid', 'test', 'lat'], backend: 'auto', log: () => undefined },
  );
  const record = { contexts: [] as StrategyContext[], told: [] as [Genome, Observation][] };
  const run = await runSearch(
    { space, evaluator, objectives: [{ metric: 'valid', goal: 'maximize' }, { metric: 'lat', goal: 'minimize' }], constraints: [{ metric: 'lat', max: 6 }] },
    spy(record),
    {},
    rows.length,
    0,
  );
  // The bench (like the runner) holds the report values...
  assert.deepEqual(run.trials.map((t) => t.metrics.test), rows.map((_, i) => reportOf(i)));
  // ...the strategy got exactly the declared objectives, oriented larger-is-better, and feasibility.
  record.told.forEach(([genome, observation], i) => {
    assert.equal(genome, rows[i]);
    assert.deepEqual(Object.keys(observation).sort(), ['feasible', 'objectives']);
    assert.deepEqual(observation.objectives, [signalOf(i), -latencyOf(i)]);
    assert.equal(observation.feasible, latencyOf(i) <= 6);
    assert.ok(!JSON.stringify(observation).includes(String(reportOf(i))));
  });
  // Its context carries no evaluator, table or metrics: only the space, its Rng, the budget and a count.
  assert.deepEqual(Object.keys(record.contexts[0]).sort(), ['budget', 'objectiveCount', 'rng', 'space']);
});
