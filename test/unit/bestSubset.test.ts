import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { BestSubset } from '../../server/strategies/bestSubset';

interface Entry {
  readonly value: number;
  readonly order: number;
}

const better = (a: Entry, b: Entry) => a.value > b.value || (a.value === b.value && a.order < b.order);

test('the kept entries are always the best fraction by a full sort, each add moving at most two entries', () => {
  const rng = new Rng(9);
  for (const fraction of [0.5, 0.3, 1, 0.01]) {
    const size = (total: number) => Math.min(total, Math.max(5, Math.floor(total * fraction)));
    const kept = new Set<Entry>();
    let moves = 0;
    const subset = new BestSubset<Entry>(better, size, {
      entered: (e) => {
        assert.ok(!kept.has(e));
        kept.add(e);
        moves++;
      },
      left: (e) => {
        assert.ok(kept.delete(e));
        moves++;
      },
    });
    const all: Entry[] = [];
    for (let i = 0; i < 1500; i++) {
      // Few distinct values: many ties, which must go to the earlier entry.
      const entry = { value: rng.int(40), order: i };
      all.push(entry);
      moves = 0;
      subset.add(entry);
      assert.ok(moves <= 2, `add ${i} moved ${moves} entries`);
      const expected = all
        .slice()
        .sort((a, b) => b.value - a.value || a.order - b.order)
        .slice(0, size(all.length));
      assert.deepEqual([...kept].sort((a, b) => a.order - b.order), expected.sort((a, b) => a.order - b.order), `fraction ${fraction}, add ${i}`);
    }
    assert.equal(subset.size, all.length);
  }
});
