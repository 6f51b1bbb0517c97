// Bad latency-table and FLOPs-table input: clear DataErrors naming the file, key or resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../../server/core/errors';
import { LatencyTable, lutFileName } from '../../../server/ofa/latencyTable';
import { FlopsTable } from '../../../server/ofa/flopsTable';
import { loadEfficiencyModel } from '../../../server/ofa/efficiencyModel';
import { OfaMbv3Space } from '../../../server/spaces/ofa/ofaMbv3Space';
import { SKIP_MESSAGE, ofaFile } from './sharedData';

const note10 = ofaFile('note10');
const flopsTable = ofaFile('flops_table.json');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ofa-lut-'));
}

function isDataError(pattern: RegExp) {
  return (error: unknown) => error instanceof DataError && pattern.test(error.message);
}

test('malformed YAML names the file', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, lutFileName(160)), 'Conv-input:160x160x3-output:80x80x24:\n  mean: [1, 2\n  count: 3\n');
  await assert.rejects(LatencyTable.load(dir), isDataError(/160_lookup_table\.yaml: malformed YAML/));
});

test('an entry without a numeric mean names the key', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, lutFileName(160)), 'Logits-input:1x1x1536-output:1000:\n  count: 3\n  std: 0.1\n');
  await assert.rejects(LatencyTable.load(dir), isDataError(/entry 'Logits-input:1x1x1536-output:1000' needs a non-negative number 'mean'/));
});

test('a missing resolution file and an empty folder are reported', async () => {
  const dir = tempDir();
  await assert.rejects(LatencyTable.load(dir), isDataError(/no <resolution>_lookup_table\.yaml files/));
  await assert.rejects(LatencyTable.load(join(dir, 'nope')), isDataError(/cannot read the latency table folder/));
  writeFileSync(join(dir, lutFileName(160)), 'Logits-input:1x1x1536-output:1000:\n  mean: 0.5\n');
  await assert.rejects(LatencyTable.load(dir, [160, 176]), isDataError(/no latency table for resolution 176 \(176_lookup_table\.yaml\); the folder has 160/));
});

test('a LUT missing one block entry fails when compiled, naming the key and file', { skip: note10 ? false : SKIP_MESSAGE }, async () => {
  const dir = tempDir();
  const source = readFileSync(join(note10!, lutFileName(160)), 'utf8');
  const key = 'expanded_conv-input:20x20x48-output:20x20x48-expand:288-kernel:7-stride:1-idskip:1-se:1-hs:0';
  const lines = source.split('\n');
  const at = lines.indexOf(`${key}:`);
  assert.ok(at >= 0, 'the note10 table has the entry this test removes');
  lines.splice(at, 4);
  writeFileSync(join(dir, lutFileName(160)), lines.join('\n'));
  const space = new OfaMbv3Space({ resolutions: [160] });
  await assert.rejects(loadEfficiencyModel({ kind: 'lut', dir }, space), isDataError(new RegExp(`160_lookup_table\\.yaml: missing latency table entry '${key}'`)));
});

test('FLOPs table: wrong structure and missing resolutions are clear errors', { skip: flopsTable ? false : SKIP_MESSAGE }, async () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ table: { 160: { mobile_inverted_blocks: [{}], other_blocks: {} } } }));
  await assert.rejects(FlopsTable.load(bad), isDataError(/mobile_inverted_blocks must list 21 blocks/));
  writeFileSync(bad, '{"table": ');
  await assert.rejects(FlopsTable.load(bad), isDataError(/bad\.json: cannot read the FLOPs table/));
  const table = await FlopsTable.load(flopsTable!);
  assert.throws(() => table.toAdditive(new OfaMbv3Space({ resolutions: [164] })), isDataError(/no resolution 164 \(it has 160, 176, 192, 208, 224\)/));
});

test('the LUT reader takes a copied folder of OFA files unchanged', { skip: note10 ? false : SKIP_MESSAGE }, async () => {
  const dir = join(tempDir(), 'note10');
  mkdirSync(dir);
  for (const r of [160, 192]) copyFileSync(join(note10!, lutFileName(r)), join(dir, lutFileName(r)));
  const table = await LatencyTable.load(dir);
  assert.deepEqual(table.resolutions, [160, 192]);
});
