// Issue 11: a full disk mid-run, on resume and at creation gives a clear message, leaves no
// temp files and a readable journal, and the run resumes once there is space again. A real
// full disk: a small tmpfs (mounting needs root, which CI has).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticNb201Table, writeTabularSpec } from '../syntheticNb201';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const STACK = /\n\s+at .+:\d+:\d+|TypeError|RangeError|ENOSPC:/;
const root = process.getuid?.() === 0;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** Fills the disk at `dir` to its last `leave` bytes. */
function fill(dir: string, leave: number): void {
  const free = Number(spawnSync('df', ['--output=avail', '-B1', dir], { encoding: 'utf8' }).stdout.trim().split('\n')[1]);
  writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, free - leave)));
}

test('a full disk mid-run, on resume and at creation: a clear message, no temp files, a readable journal; the run resumes once space is freed', { skip: root ? undefined : 'mounting a tmpfs needs root', timeout: 240_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'nas-full-'));
  const disk = join(work, 'disk');
  mkdirSync(disk);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
  assert.equal(mounted.status, 0, `mount: ${mounted.stderr}`);
  try {
    const table = writeSyntheticNb201Table(work);
    const spec = writeTabularSpec(work, 'full', 600, table);
    const runs = join(disk, 'runs');

    // Mid-run: room for the run folder and some trials, not for 600.
    fill(disk, 120_000);
    const first = cli(['run', spec, '--out', join(runs, 'full')]);
    assert.equal(first.code, 1, first.out);
    assert.match(first.out, /the disk is full: cannot write .*journal\.jsonl\. Free some space/);
    assert.doesNotMatch(first.out, STACK);
    const listed = cli(['list', '--root', runs, '--json']);
    assert.equal(listed.code, 0, listed.out);
    const [summary] = JSON.parse(listed.out);
    // Failed (when the short `failed` record still fit) or interrupted: either way readable and resumable, not damaged.
    assert.ok(summary.status === 'interrupted' || (summary.status === 'failed' && /the disk is full/.test(summary.error)), JSON.stringify(summary));
    const done = summary.progress.done as number;
    assert.ok(done > 10 && done < 600, `${done} trials journaled`);

    // On resume, still full: the same message; nothing lost.
    const again = cli(['resume', 'full', '--root', runs]);
    assert.equal(again.code, 1, again.out);
    assert.match(again.out, /the disk is full/);
    assert.doesNotMatch(again.out, STACK);
    assert.equal(JSON.parse(cli(['list', '--root', runs, '--json']).out)[0].progress.done, done);

    // Space freed: the run finishes, every trial exactly once.
    rmSync(join(disk, 'filler'));
    const resumed = cli(['resume', 'full', '--root', runs, '--json']);
    assert.equal(resumed.code, 0, resumed.out);
    const trials = readFileSync(join(runs, 'full/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'trial_finished').map((r) => r.trial);
    assert.deepEqual(trials.sort((a, b) => a - b), [...Array(600).keys()]);

    // At creation: nothing created, nothing left behind.
    fill(disk, 0);
    const created = cli(['run', spec, '--root', join(disk, 'more')]);
    assert.equal(created.code, 1, created.out);
    assert.match(created.out, /the disk is full/);
    assert.doesNotMatch(created.out, STACK);
    const leftovers = readdirSync(disk).filter((f) => f !== 'runs' && f !== 'filler' && f !== 'more');
    assert.deepEqual(leftovers, []);
    assert.deepEqual(readdirSync(join(disk, 'more')), [], 'no run folder, staging folder or temp file');
  } finally {
    spawnSync('umount', [disk]);
  }
});
