import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etaMs, liveProgressText, observeDone, percentDone, startClock } from '../../contract/liveProgress';
import { formatClock } from '../../contract/format';

test('ETA from the rate of units finished while watching: "—" until two finished, then mean time per unit × units left, counting down', () => {
  // A resumed run: 3 of 10 trials replayed, watching from t = 1000 ms.
  let clock = startClock(3, 1000);
  assert.equal(etaMs(clock, 10, 5000), undefined);
  assert.equal(liveProgressText(clock, 10, 'trials', 5000), '30% · 3/10 trials · 4s elapsed · ETA —');
  clock = observeDone(clock, 4, 21_000); // one unit in 20 s: not enough
  assert.equal(etaMs(clock, 10, 21_000), undefined);
  assert.equal(liveProgressText(clock, 10, 'trials', 21_000), '40% · 4/10 trials · 20s elapsed · ETA —');
  clock = observeDone(clock, 5, 61_000); // two units in 60 s: 30 s each, 5 left
  assert.equal(etaMs(clock, 10, 61_000), 150_000);
  assert.equal(liveProgressText(clock, 10, 'trials', 61_000), '50% · 5/10 trials · 1m00s elapsed · ETA 2m30s');
  assert.equal(etaMs(clock, 10, 71_000), 140_000, '10 s after the last unit, 10 s less');
  assert.equal(observeDone(clock, 5, 90_000), clock, 'the same count keeps when it was first seen');
  assert.equal(etaMs(clock, 10, 1_000_000), 0, 'never negative');
  assert.equal(etaMs(observeDone(clock, 10, 100_000), 10, 100_000), 0, 'done');
});

test('one progress figure: the percentage is floor(100 · done / total), so it agrees with "done/total" and reaches 100 only at the end', () => {
  assert.equal(percentDone(2, 8), 25);
  assert.equal(percentDone(1, 3), 33);
  assert.equal(percentDone(2, 3), 66);
  assert.equal(percentDone(199, 200), 99);
  assert.equal(percentDone(8, 8), 100);
  assert.equal(percentDone(0, 0), 0);
  const text = liveProgressText(observeDone(startClock(0, 0), 2, 60_000), 8, 'epochs', 60_000);
  assert.equal(text, `25% · 2/8 epochs · ${formatClock(60_000)} elapsed · ETA 3m00s`);
});
