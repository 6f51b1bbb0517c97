// A process racing for a run lock (test/unit/store/runLock.test.ts): waits for the agreed start
// time, tries to take the lock, holds it for a while if it got it, and reports.
import { writeFileSync } from 'node:fs';
import { RunLock } from '../../../server/store/runLock';

const [lockFile, startAt, holdMs, report] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // Spin: all racers start within a millisecond of each other.
}
const tried = Date.now();
const lock = RunLock.acquire(lockFile);
const got = lock instanceof RunLock;
const from = Date.now();
// While holding, check that nobody else took it over.
let kept = got;
const until = from + Number(holdMs);
while (got && Date.now() < until) kept = kept && (lock as RunLock).holds();
const to = Date.now();
if (got) (lock as RunLock).release();
writeFileSync(report, JSON.stringify({ pid: process.pid, got, kept, tried, from, to }));
