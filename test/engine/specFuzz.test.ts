// A seeded subset of the spec fuzzer (npm run bench:fuzz runs 1,000 cases): hostile spec files
// through validation, then the valid ones and a share of the invalid ones through the real CLI.
// Needs a build (node esbuild.mjs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFuzz } from '../../bench/fuzz/fuzzRunner';

const root = join(__dirname, '../..');

test('60 hostile specs: no stack trace and no hang; the CLI exits 2 naming the file (and line:col) for every invalid one it ran', async () => {
  const { summary, results } = await runFuzz({
    cases: 60,
    seed: 2024,
    cliShareOfValid: 1,
    cliShareOfInvalid: 0.1,
    validationTimeoutMs: 20_000,
    cliTimeoutMs: 180_000,
    concurrency: 2,
    examplesDir: join(root, 'examples'),
    cli: join(root, 'bin/nas-studio.js'),
    // Named pipes as spec files and as file options (tables, datasets, predictors) are refused, never read.
    fifo: true,
    log: () => undefined,
  });
  const failures = results.filter((r) => r.stackTrace || r.hang).map((r) => `case ${r.id} ${r.mutation} of ${r.base}:\n${r.validationOutput}\n${r.cliOutput ?? ''}`);
  assert.deepEqual(failures, []);
  assert.equal(summary.cases, 60);
  assert.equal(summary.stack_traces, 0);
  assert.equal(summary.hangs, 0);
  assert.ok(summary.valid >= 3, `only ${summary.valid} valid cases`);
  const invalidThroughCli = results.filter((r) => r.via === 'cli' && !r.valid);
  assert.ok(invalidThroughCli.length >= 2, `only ${invalidThroughCli.length} invalid cases through the CLI`);
  for (const r of invalidThroughCli) {
    assert.equal(r.exitCode, 2, r.cliOutput);
    // file:line:col for a problem in the text; the file alone for one with the file (too large).
    assert.match(r.cliOutput ?? '', /spec\.(nas|supernet)\.json:\d+:\d+: error: |^error: \S+spec\.(nas|supernet)\.json: /m);
  }
  for (const r of results.filter((x) => !x.valid && x.via === 'validation')) assert.equal(r.exitCode, 2, r.validationOutput);
});
