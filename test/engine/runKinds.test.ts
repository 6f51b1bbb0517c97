// Issue 10: every long job is a run. Specializations resume after kill -9 with the same result as
// an uninterrupted sweep; folders and files written by NAS Studio 0.1 still open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeSyntheticNb201Table, writeTabularSpec } from '../syntheticNb201';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const ofa = join(__dirname, '../../../shared/data/ofa');
const ofaMissing = existsSync(join(ofa, 'acc_predictor.json')) ? undefined : `OFA reference data not found under ${ofa}`;

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

const SWEEP = ['specialize', '--predictor', join(ofa, 'acc_predictor.json'), '--lut', join(ofa, 'note10'), '--limits', '15,30,20,25', '--seed', '4', '--name', 'sweep'];

test('a specialization killed with kill -9 after some limits resumes with the rest and gives the uninterrupted result; list, show and report work on it', { skip: ofaMissing, timeout: 400_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-sweep-'));
  const whole = cli([...SWEEP, '--root', join(dir, 'whole'), '--json'], dir);
  assert.equal(whole.code, 0, whole.stderr);
  const expected = lastJson(whole.stdout);
  assert.deepEqual(expected.subnets.map((s: { limit: number }) => s.limit), [15, 30, 20, 25]);

  const root = join(dir, 'cut');
  const child = spawn(process.execPath, [CLI, ...SWEEP, '--root', root], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      if ((output.match(/^limit \d+: predicted/gm) ?? []).length >= 2) resolve();
    });
    child.once('exit', () => reject(new Error(`the sweep ended before the kill:\n${output}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const id = /specialization (\S+): 4 limits/.exec(output)![1];
  const journal = () => readFileSync(join(root, id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const before = journal().filter((r) => r.type === 'limit_finished').map((r) => r.index);
  assert.ok(before.length >= 2 && before.length < 4, `killed after limits ${before}`);

  const listed = cli(['list', '--root', root], dir);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`${id}\\s+interrupted\\s+${before.length}/4 limits\\s+best \\d+\\.\\d\\d% at`));

  const resumed = cli(['resume', id, '--root', root, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming ${id}: ${before.length} of 4 limits done`));
  const result = lastJson(resumed.stdout);
  const essence = (r: { subnets: { limit: number; arch: unknown; predictedAccuracy: number; efficiency: number; pareto: boolean }[] }) =>
    r.subnets.map(({ limit, arch, predictedAccuracy, efficiency, pareto }) => ({ limit, arch, predictedAccuracy, efficiency, pareto }));
  assert.deepEqual(essence(result), essence(expected), 'the same sub-networks as the uninterrupted sweep');
  const indices = journal().filter((r) => r.type === 'limit_finished').map((r) => r.index).sort();
  assert.deepEqual(indices, [0, 1, 2, 3], 'every limit searched exactly once');

  const show = cli(['show', id, '--root', root], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /specialization finished, 4\/4 limits/);
  assert.equal(show.stdout.split('\n').filter((l) => /^(15|20|25|30)\s+\d\d\.\d\d\s/.test(l)).length, 4, 'a row per limit: the limit, then its predicted accuracy in %');
  const report = cli(['report', id, '--root', root, '--out', join(dir, 'report.html')], dir);
  assert.equal(report.code, 0, report.stderr);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.equal((html.match(/<tr><td>\d+ ms<\/td>/g) ?? []).length, 4);
});

test('runs written by NAS Studio 0.1 still open: an experiment folder reads as before and resumes; a specialization file lists read-only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-legacy-'));
  const table = writeSyntheticNb201Table(dir);
  const spec = writeTabularSpec(dir, 'old', 10, table);
  const fresh = cli(['run', spec, '--root', join(dir, 'fresh'), '--json'], dir);
  assert.equal(fresh.code, 0, fresh.stderr);
  const reference = lastJson(fresh.stdout);

  // The 0.1 layout: experiment.json with the header, the user's spec text in spec.json, the same
  // journal records; cut after 6 trials and left "running" by a process that is gone.
  const root = join(dir, 'runs');
  const legacy = join(root, 'old-20261101-120000');
  cpSync(join(dir, 'fresh', reference.experiment), legacy, { recursive: true });
  writeFileSync(join(legacy, 'experiment.json'), JSON.stringify({ id: 'old-20261101-120000', name: 'old', specPath: spec, createdAt: '2026-11-01T12:00:00.000Z', kind: 'search' }));
  writeFileSync(join(legacy, 'spec.json'), readFileSync(spec, 'utf8'));
  const records = readFileSync(join(legacy, 'journal.jsonl'), 'utf8').trim().split('\n');
  const cut = records.filter((l) => l.includes('"trial_finished"')).slice(0, 6).at(-1)!;
  writeFileSync(join(legacy, 'journal.jsonl'), records.slice(0, records.indexOf(cut) + 1).join('\n') + '\n');
  writeFileSync(join(legacy, 'lock'), '999999');
  rmSync(join(legacy, 'exports'), { recursive: true, force: true });

  // A specialization file of 0.1, next to the experiments folder.
  const specializations = join(dirname(root), 'specializations');
  mkdirSync(specializations, { recursive: true });
  writeFileSync(
    join(specializations, 'ofa-25ms-20261101-1200-abcd.json'),
    JSON.stringify({
      id: 'ofa-25ms-20261101-1200-abcd',
      name: 'ofa-25ms',
      status: 'finished',
      createdAt: '2026-11-01T12:30:00.000Z',
      request: { predictor: '/data/acc_predictor.json', efficiency: { kind: 'lut', dir: '/data/note10' }, limits: [25], seed: 0 },
      efficiency: { label: 'latency table /data/note10', metric: 'latency_ms', unit: 'ms' },
      subnets: [{ limit: 25, arch: { space: 'ofa-mbv3', ks: Array(20).fill(3), e: Array(20).fill(3), d: [2, 2, 2, 2, 2], r: 160 }, description: 'r160 d2,2,2,2,2', predictedAccuracy: 0.781, efficiency: 24.6, mflops: 150, mparams: 3.1, seconds: 1.2, pareto: true }],
    }),
  );

  const list = cli(['list', '--root', root, '--json'], dir);
  assert.equal(list.code, 0, list.stderr);
  const [specialization, old] = JSON.parse(list.stdout);
  assert.equal(old.kind, 'search');
  assert.equal(old.status, 'interrupted');
  assert.deepEqual(old.progress, { done: 6, total: 10, unit: 'trials' });
  assert.equal(old.source, spec);
  assert.equal(specialization.kind, 'specialization');
  assert.equal(specialization.status, 'finished');
  assert.equal(specialization.subnets[0].predictedAccuracy, 0.781);

  const resumed = cli(['resume', 'old-20261101-120000', '--root', root, '--json'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  const result = lastJson(resumed.stdout);
  assert.equal(result.trials, 10);
  assert.deepEqual(result.best, reference.best, 'the resumed 0.1 run ends as the uninterrupted one');
  assert.ok(existsSync(join(legacy, 'experiment.json')), 'read in place');

  const refused = cli(['resume', 'ofa-25ms-20261101-1200-abcd', '--root', root], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /read-only: it was written by NAS Studio 0\.1/);
  const show = cli(['show', 'ofa-25ms-20261101-1200-abcd', '--root', root], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /ofa-25ms \(ofa-25ms-20261101-1200-abcd\): specialization finished, 1\/1 limits/);
});
