import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { didYouMean } from '../../server/core/didYouMean';
import type { SpecFix } from '../../server/experiment/specDiagnostic';
import { validateSpecText } from '../../server/experiment/validate';

const spec = (lines: string[]) => lines.join('\n');

/** Applies every text quick fix (last first, so offsets hold). */
function applyFixes(text: string, fixes: readonly SpecFix[]): string {
  return [...fixes].filter((f): f is Extract<SpecFix, { text: string }> => 'text' in f).sort((a, b) => b.start - a.start).reduce((t, f) => t.slice(0, f.start) + f.text + t.slice(f.end), text);
}

test('did you mean: the nearest name within a few edits, or the one it starts', () => {
  assert.equal(didYouMean('populaton', ['population', 'sampleSize']), 'population');
  assert.equal(didYouMean('val_acc', ['val_accuracy', 'val_loss', 'test_accuracy']), 'val_accuracy');
  assert.equal(didYouMean('regularised-evolution', ['regularized-evolution', 'random']), 'regularized-evolution');
  assert.equal(didYouMean('xyz', ['val_accuracy', 'params']), undefined);
});

test('every problem at once: a schema error (misspelt key, number out of range) and a misspelt metric, each with its quick fix; the fixed spec is clean', () => {
  const text = spec([
    '{',
    '  "space": { "type": "layers" },',
    '  "evaluator": { "type": "train", "epochs": 0 },',
    '  "strategy": { "type": "regularized-evolution", "populaton": 8 },',
    '  "objectives": [{ "metric": "val_acc", "goal": "maximize" }],',
    '  "budget": { "trials": 4 }',
    '}',
  ]);
  const { diagnostics } = validateSpecText(text, { baseDir: mkdtempSync(join(tmpdir(), 'nas-fix-')) });
  const messages = diagnostics.map((d) => d.message);
  assert.equal(diagnostics.length, 3, messages.join('\n'));
  assert.match(messages.find((m) => m.includes('populaton')) ?? '', /unknown key "populaton" in strategy.*\(did you mean "population"\?\)$/);
  assert.match(messages.find((m) => m.includes('epochs')) ?? '', /evaluator\.epochs must be >= 1 \(got 0\)/);
  assert.match(messages.find((m) => m.includes('val_acc"')) ?? '', /unknown metric "val_acc": evaluator "train" produces .* \(did you mean "val_accuracy"\?\)$/);
  assert.equal(new Set(diagnostics.map((d) => `${d.start}:${d.end}`)).size, 3, 'no problem twice');
  const fixes = diagnostics.flatMap((d) => d.fixes ?? []);
  assert.deepEqual(fixes.map((f) => f.title).sort(), ['Change to "population"', 'Change to "val_accuracy"', 'Change to 1 (the minimum)']);
  const fixed = applyFixes(text, fixes);
  assert.match(fixed, /"population": 8/);
  assert.deepEqual(validateSpecText(fixed, { baseDir: '.' }).diagnostics, []);
});

test('a missing benchmark table: "Choose File…" for the option that names it', () => {
  const text = spec(['{', '  "space": { "type": "nb201" },', '  "evaluator": { "type": "tabular", "table": "nowhere/nb201.csv" },', '  "strategy": { "type": "random" },', '  "objectives": [{ "metric": "acc", "goal": "maximize" }],', '  "budget": { "trials": 4 }', '}']);
  const { diagnostics } = validateSpecText(text, { baseDir: mkdtempSync(join(tmpdir(), 'nas-fix-')) });
  const missing = diagnostics.find((d) => d.fixes?.some((f) => 'choose' in f));
  assert.ok(missing, diagnostics.map((d) => d.message).join('\n'));
  assert.deepEqual(missing.fixes, [{ title: 'Choose File…', choose: 'file', optionPath: ['evaluator', 'table'] }]);
  assert.equal(text.slice(missing.start, missing.end), '"nowhere/nb201.csv"');
});
