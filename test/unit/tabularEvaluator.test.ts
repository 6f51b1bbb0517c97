import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataError, SpecError } from '../../server/core/errors';
import type { Evaluator } from '../../server/core/evaluator';
import { tabularEvaluator } from '../../server/evaluators/tabular/tabularEvaluator';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';

const sharedData = process.env.NAS_SHARED_DATA ?? resolve(__dirname, '../../../shared/data');
const referenceTable = join(sharedData, 'nas-bench-201/nb201.csv');
const skipReference = existsSync(referenceTable) ? false : `reference table not found at ${referenceTable} (set NAS_SHARED_DATA)`;

const space = new Nb201Space();
const context = { signal: new AbortController().signal, seed: 0, trial: 0, progress: () => undefined, log: () => undefined };
const ALL_SKIP = '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|';
const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';

function open(table: string, metrics: string[], baseDir = '/'): Promise<Evaluator> {
  return tabularEvaluator.create({ table }, { space, baseDir, workDir: tmpdir(), seed: 0, metrics, backend: 'auto', log: () => undefined });
}

function tempTable(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nb201-table-'));
  const file = join(dir, 'table.csv');
  writeFileSync(file, text);
  return { dir, file };
}

test('looks up rows of the reference table exactly as the CSV states them', { skip: skipReference }, async () => {
  const metrics = ['cifar10_valid_12ep', 'cifar10_test', 'cifar100_test', 'imagenet16_test', 'lat_ms_pixel3', 'flops_m_cifar10'];
  const evaluator = await open(referenceTable, metrics);
  // Independent reading of the same rows: plain line and comma splitting.
  const lines = readFileSync(referenceTable, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  for (const lineIndex of [1, 2, 777, 9000, 15625]) {
    const cells = lines[lineIndex].split(',');
    const result = await evaluator.evaluate(space.fromArch(cells[header.indexOf('arch')]), context);
    assert.deepEqual(Object.keys(result), metrics);
    for (const m of metrics) assert.equal(result[m], Number(cells[header.indexOf(m)]), `line ${lineIndex + 1}, ${m}`);
  }
  // Facts from the data README.
  const skip = await evaluator.evaluate(space.fromArch(ALL_SKIP), context);
  assert.deepEqual([skip.cifar10_test, skip.cifar100_test, skip.imagenet16_test].map((v) => v.toFixed(2)), ['54.30', '15.61', '16.32']);
  assert.equal((await evaluator.evaluate(space.fromArch(BEST), context)).cifar10_test.toFixed(2), '94.37');
});

test('metricNames lists the numeric columns, resolving the path against the spec folder', { skip: skipReference }, () => {
  const names = tabularEvaluator.metricNames({ table: 'nas-bench-201/nb201.csv' }, sharedData);
  assert.ok(names.includes('cifar10_valid_12ep') && names.includes('cifar10_test') && names.includes('lat_ms_pixel3'));
  assert.ok(!names.includes('arch') && !names.includes('unique_str'));
  assert.equal(names.length, 43); // 45 columns minus arch and unique_str
});

test('a column the table lacks is named, with the available ones', async () => {
  const { file } = tempTable(`arch,acc,lat\n${BEST},90.5,12\n`);
  await assert.rejects(open(file, ['acc', 'accuracy']), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /no column "accuracy"; the table's metric columns are: acc, lat/);
    assert.ok(e.message.includes(file));
    return true;
  });
});

test('a missing file is a DataError naming the file; an empty path is a SpecError on "table"', async () => {
  const missing = join(tmpdir(), 'no-such-dir', 'nb201.csv');
  await assert.rejects(open(missing, ['acc']), (e: unknown) => e instanceof DataError && e.message.includes(missing) && /file not found/.test(e.message));
  assert.throws(() => tabularEvaluator.metricNames({ table: missing }, '/'), (e: unknown) => e instanceof DataError && e.message.includes(missing));
  await assert.rejects(open('', ['acc']), (e: unknown) => e instanceof SpecError && e.path[0] === 'table');
});

test('relative table paths resolve against baseDir; CRLF, BOM and quoted fields are read', async () => {
  const { dir } = tempTable(`\uFEFFarch,"note, quoted",acc\r\n${ALL_SKIP},"a, b",54.3\r\n${BEST},x,94.37\r\n`);
  const evaluator = await open('table.csv', ['acc'], dir);
  assert.deepEqual(await evaluator.evaluate(space.fromArch(BEST), context), { acc: 94.37 });
  assert.deepEqual(tabularEvaluator.metricNames({ table: 'table.csv' }, dir), ['acc']);
});

test('bad rows are reported with their line number', async () => {
  const bad = BEST.replace('nor_conv_1x1', 'conv_7x7');
  await assert.rejects(open(tempTable(`arch,acc\n${ALL_SKIP},1\n${bad},2\n`).file, ['acc']), /line 3: unknown operation "conv_7x7" on edge 3<-1/);
  await assert.rejects(open(tempTable(`arch,acc\n${ALL_SKIP},1\n${ALL_SKIP},2\n`).file, ['acc']), /line 3: architecture .* appears twice/);
  await assert.rejects(open(tempTable(`arch,acc\n${ALL_SKIP},high\n`).file, ['acc']), /line 2: column "acc" holds "high", not a number/);
  await assert.rejects(open(tempTable(`arch,acc\n${ALL_SKIP},1,2\n`).file, ['acc']), /line 2 has 3 fields, the header has 2/);
  await assert.rejects(open(tempTable(`name,acc\n${ALL_SKIP},1\n`).file, ['acc']), /no "arch" column/);
});

test('an empty cell is a missing metric (NaN); an architecture not in the table is a DataError', async () => {
  const evaluator = await open(tempTable(`arch,acc\n${ALL_SKIP},\n`).file, ['acc']);
  assert.ok(Number.isNaN((await evaluator.evaluate(space.fromArch(ALL_SKIP), context)).acc));
  await assert.rejects(evaluator.evaluate(space.fromArch(BEST), context), /is not in the table/);
});

test('evaluation honours cancellation', async () => {
  const evaluator = await open(tempTable(`arch,acc\n${ALL_SKIP},1\n`).file, ['acc']);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(evaluator.evaluate(space.fromArch(ALL_SKIP), { ...context, signal: controller.signal }), /cancelled/);
});
