// Bad latency-table and FLOPs-table input: clear DataErrors naming the file, key or resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, MissingFileError } from '../../../server/core/errors';
import { LatencyTable, lutFileName } from '../../../server/ofa/latencyTable';
import { FlopsTable } from '../../../server/ofa/flopsTable';
import { loadEfficiencyModel } from '../../../server/ofa/efficiencyModel';
import { OfaMbv3Space } from '../../../server/spaces/ofa/ofaMbv3Space';
import { flopsTableJson } from './generatedFiles';
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

test('an entry without a mean is not a latency table, naming the key', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, lutFileName(160)), 'Logits-input:1x1x1536-output:1000:\n  count: 3\n  std: 0.1\n');
  await assert.rejects(LatencyTable.load(dir), isDataError(/160_lookup_table\.yaml: not a latency table: entry 'Logits-input:1x1x1536-output:1000' has no 'mean'/));
});

test('NaN, infinite, zero, negative and non-numeric means name the file, the entry and the value', async () => {
  const key = 'Logits-input:1x1x1536-output:1000';
  const cases: [string, string][] = [
    ['.nan', 'NaN'],
    ['.inf', 'Infinity'],
    ['-.inf', '-Infinity'],
    ['0', '0'],
    ['-3', '-3'],
    ['"fast"', '"fast"'],
    ['null', 'null'],
  ];
  for (const [yaml, shown] of cases) {
    const dir = tempDir();
    writeFileSync(join(dir, lutFileName(160)), `Conv-input:160x160x3-output:80x80x24:\n  mean: 0.5\n${key}:\n  count: 3\n  mean: ${yaml}\n`);
    const file = join(dir, lutFileName(160));
    await assert.rejects(
      LatencyTable.load(dir),
      (e: unknown) => e instanceof DataError && e.message === `${file}: entry '${key}' needs a positive, finite 'mean' (milliseconds), got ${shown}`,
      yaml,
    );
  }
});

test('a lut path that is a file, or a folder whose table is another kind of file, is not taken for a latency table', async () => {
  const dir = tempDir();
  const predictorLike = join(dir, 'acc_predictor.json');
  writeFileSync(predictorLike, JSON.stringify({ '0.weight': { shape: [1, 1], data: [[1]] } }));
  await assert.rejects(LatencyTable.load(predictorLike), isDataError(/acc_predictor\.json: is not a folder; expected a latency table folder of <resolution>_lookup_table\.yaml files/));
  // The path of one table file: the message names the folder to use instead.
  const tableFile = join(dir, lutFileName(160));
  writeFileSync(tableFile, 'Logits-input:1x1x1536-output:1000:\n  mean: 0.5\n');
  await assert.rejects(LatencyTable.load(tableFile), isDataError(new RegExp(`is not a folder; .*; name the folder that holds it, ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
  // A folder whose "table" is predictor weights (JSON is YAML): its entries have no mean.
  const wrong = tempDir();
  copyFileSync(predictorLike, join(wrong, lutFileName(160)));
  await assert.rejects(LatencyTable.load(wrong), isDataError(/160_lookup_table\.yaml: not a latency table: entry '0\.weight' has no 'mean'/));
  writeFileSync(join(wrong, lutFileName(160)), '- 1\n- 2\n');
  await assert.rejects(LatencyTable.load(wrong), isDataError(/not a latency table: expected a YAML mapping from layer keys/));
});

test('a missing resolution file and an empty folder are reported', async () => {
  const dir = tempDir();
  await assert.rejects(LatencyTable.load(dir), isDataError(/no <resolution>_lookup_table\.yaml files/));
  await assert.rejects(
    LatencyTable.load(join(dir, 'nope')),
    (e: unknown) => e instanceof MissingFileError && /nope: not found; expected a latency table folder of <resolution>_lookup_table\.yaml files/.test(e.message),
  );
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
  await assert.rejects(FlopsTable.load(bad), isDataError(/bad\.json: the FLOPs table is not valid JSON/));
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

test('FLOPs tables: negative or non-finite entries are refused naming the entry and value; a sound generated table compiles', async () => {
  const dir = tempDir();
  const file = join(dir, 'flops.json');
  const space = new OfaMbv3Space({ resolutions: [160] });
  const sound = flopsTableJson([160], (k, e) => k * e * 0.5);
  writeFileSync(file, JSON.stringify(sound));
  const cost = (await loadEfficiencyModel({ kind: 'flops-table', path: file }, space)).cost;
  // The smallest network: fixed 10 + 20 + 30 + 5 + 1.5, then 2 blocks per stage at k3 e3 (4.5 each).
  assert.equal(cost.minimum().value, 66.5 + 10 * 4.5);

  const negative = structuredClone(sound);
  negative.table[160].mobile_inverted_blocks[4]['5,4'] = -601;
  writeFileSync(file, JSON.stringify(negative));
  await assert.rejects(FlopsTable.load(file), (e: unknown) => e instanceof DataError && e.message === `${file}: resolution 160: mobile_inverted_blocks[4] entry '5,4' must be a non-negative number of MFLOPs, got -601`);

  writeFileSync(file, JSON.stringify(sound).replace('"classifier":1.5', '"classifier":1e999'));
  await assert.rejects(FlopsTable.load(file), isDataError(/resolution 160: other_blocks entry 'classifier' must be a non-negative number of MFLOPs, got Infinity/));

  writeFileSync(file, JSON.stringify(sound).replace('"first_conv":20', '"first_conv":"20"'));
  await assert.rejects(FlopsTable.load(file), isDataError(/other_blocks entry 'first_conv' must be a non-negative number of MFLOPs, got "20"/));
});

test('reference files: an absent path is a MissingFileError saying what belongs there; a folder is not a file', async () => {
  const dir = tempDir();
  await assert.rejects(
    FlopsTable.load(join(dir, 'absent.json')),
    (e: unknown) => e instanceof MissingFileError && /absent\.json: not found; expected a FLOPs table \(JSON/.test(e.message),
  );
  await assert.rejects(FlopsTable.load(dir), isDataError(/: is a folder; expected a FLOPs table/));
  await assert.rejects(FlopsTable.load('/dev/null'), isDataError(/\/dev\/null: is not a regular file; expected a FLOPs table/));
});
