// A process racing for run locks (test/unit/store/runLock.test.ts). Round r: wait for the agreed
// start time of the round, try to take lock-r, hold it for a while if it got it, release. One
// process runs every round, so the race costs three process starts, not three per round.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunLock } from '../../../server/store/runLock';

const [lockDir, rounds, firstStart, periodMs, holdMs, report] = process.argv.slice(2);
const pause = new Int32Array(new SharedArrayBuffer(4));

function waitUntil(time: number): void {
  // Sleep most of the wait (the machine is shared), then spin: all racers start within a millisecond.
  if (time - Date.now() > 20) Atomics.wait(pause, 0, 0, time - Date.now() - 20);
  while (Date.now() < time) {
    // spin
  }
}

const results = [];
for (let round = 0; round < Number(rounds); round++) {
  waitUntil(Number(firstStart) + round * Number(periodMs));
  const tried = Date.now();
  const lock = RunLock.acquire(join(lockDir, `lock-${round}`));
  const got = lock instanceof RunLock;
  const from = Date.now();
  // While holding, check that nobody else took it over.
  let kept = got;
  const until = from + Number(holdMs);
  while (got && Date.now() < until) kept = kept && (lock as RunLock).holds();
  const to = Date.now();
  if (got) (lock as RunLock).release();
  results.push({ pid: process.pid, got, kept, tried, from, to });
}
writeFileSync(report, JSON.stringify(results));
