import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveLockHolder, RunLock } from '../../../server/store/runLock';

const tmp = () => mkdtempSync(join(tmpdir(), 'nas-lock-'));
const RACER = join(__dirname, 'lockRacer.ts');

/** A PID that no process has (a short-lived child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('one owner at a time; release frees the lock', () => {
  const file = join(tmp(), 'lock');
  const first = RunLock.acquire(file);
  assert.ok(first instanceof RunLock);
  const second = RunLock.acquire(file);
  assert.ok(!(second instanceof RunLock) && second.heldBy.pid === process.pid);
  assert.equal(liveLockHolder(file)?.token, first.owner.token);
  first.release();
  assert.equal(liveLockHolder(file), undefined);
  const third = RunLock.acquire(file);
  assert.ok(third instanceof RunLock);
  third.release();
});

test("a dead holder's lock is taken over, whether it names the process (this version) or only its PID (older versions)", () => {
  const dir = tmp();
  const modern = join(dir, 'modern');
  writeFileSync(modern, JSON.stringify({ host: require('node:os').hostname(), pid: deadPid(), process: 'boot:1', since: '2026-01-01T00:00:00Z', token: 'old' }));
  const legacy = join(dir, 'legacy');
  writeFileSync(legacy, String(deadPid()));
  for (const file of [modern, legacy]) {
    assert.equal(liveLockHolder(file), undefined);
    const lock = RunLock.acquire(file);
    assert.ok(lock instanceof RunLock, file);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).token, lock.owner.token);
    lock.release();
  }
});

test('a live but unrelated process with the recorded PID (PID reuse after a restart) does not hold the lock', () => {
  const dir = tmp();
  // This very process, as if the lock had been written by an earlier process with the same PID:
  // the recorded start time differs ...
  const recorded = join(dir, 'recorded');
  writeFileSync(recorded, JSON.stringify({ host: require('node:os').hostname(), pid: process.pid, process: 'another-boot:12345', since: '2026-01-01T00:00:00Z', token: 'old' }));
  assert.equal(liveLockHolder(recorded), undefined);
  // ... or, for a bare-PID lock of an older version, the lock is older than the process.
  const bare = join(dir, 'bare');
  writeFileSync(bare, String(process.pid));
  const longAgo = new Date(Date.now() - 365 * 24 * 3600 * 1000);
  utimesSync(bare, longAgo, longAgo);
  assert.equal(liveLockHolder(bare), undefined);
  for (const file of [recorded, bare]) {
    const lock = RunLock.acquire(file);
    assert.ok(lock instanceof RunLock, `${file} is taken over`);
    lock.release();
  }
});

test('another host holds the lock: it cannot be checked, so it is respected', () => {
  const file = join(tmp(), 'lock');
  writeFileSync(file, JSON.stringify({ host: 'elsewhere.example', pid: 1, since: '2026-01-01T00:00:00Z', token: 't' }));
  const attempt = RunLock.acquire(file);
  assert.ok(!(attempt instanceof RunLock) && attempt.heldBy.host === 'elsewhere.example');
});

test('three processes racing to take over a dead holder\'s lock: never two owners at once (30 rounds)', { timeout: 240_000 }, async () => {
  const dir = tmp();
  const rounds = 30;
  const stale = JSON.stringify({ host: require('node:os').hostname(), pid: deadPid(), since: '2026-01-01T00:00:00Z', token: 'stale' });
  for (let round = 0; round < rounds; round++) writeFileSync(join(dir, `lock-${round}`), stale);
  // Rounds start every 700 ms, the first once the racers have surely started.
  const firstStart = Date.now() + 5000;
  const reports = [0, 1, 2].map((i) => join(dir, `report-${i}`));
  await Promise.all(
    reports.map(
      (report) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', RACER, dir, String(rounds), String(firstStart), '700', '300', report], { stdio: 'inherit' });
          child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`racer exited ${code}`))));
        }),
    ),
  );
  type Attempt = { got: boolean; kept: boolean; tried: number; from: number; to: number };
  const byRacer = reports.map((r) => JSON.parse(readFileSync(r, 'utf8')) as Attempt[]);
  for (let round = 0; round < rounds; round++) {
    const results = byRacer.map((attempts) => attempts[round]);
    const owners = results.filter((r) => r.got).sort((a, b) => a.from - b.from);
    assert.ok(owners.length >= 1, `round ${round}: nobody took over the dead holder's lock`);
    // A racer that started late (a slow process start) may take the lock after the first released it; never while it holds it.
    for (let i = 1; i < owners.length; i++) assert.ok(owners[i].from >= owners[i - 1].to, `round ${round}: two owners at once: ${JSON.stringify(results)}`);
    assert.ok(results.every((r) => r.got === r.kept), `round ${round}: an owner lost the lock while holding it`);
    // A refusal (the time acquire returned) happens while someone holds the lock.
    for (const r of results.filter((x) => !x.got)) assert.ok(owners.some((o) => o.from - 50 <= r.from && r.from <= o.to + 50), `round ${round}: a racer was refused while nobody held the lock: ${JSON.stringify(results)}`);
  }
  // The race really happened: in many rounds another racer was refused while one held the lock.
  const contested = byRacer[0].filter((_, round) => byRacer.some((attempts) => !attempts[round].got)).length;
  assert.ok(contested >= rounds / 3, `only ${contested} of ${rounds} rounds were contested`);
});
