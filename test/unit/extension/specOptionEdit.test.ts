import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { formatOptionPath, rewriteSpecOption, specPathValue } from '../../../extension/errors/specOptionEdit';

const spec = `{
  // MNIST from the shared data folder
  "name": "digits",
  "evaluator": {
    "type": "train",
    "dataset": { "type": "idx", "path": "data/old-mnist" }, // moved since
    "epochs": 1
  },
  "files": ["a.csv", "b.csv"]
}
`;

test('"Locate…" rewrites only the option, keeping comments and layout, relative to the spec folder when inside it', () => {
  const text = rewriteSpecOption(spec, ['evaluator', 'dataset', 'path'], '/ws/datasets/mnist', '/ws');
  assert.equal(text, spec.replace('"data/old-mnist"', '"datasets/mnist"'));
  assert.equal((parse(text) as { evaluator: { dataset: { path: string } } }).evaluator.dataset.path, 'datasets/mnist');
});

test('a file outside the spec folder is written absolute; array options by index', () => {
  assert.equal(rewriteSpecOption(spec, ['evaluator', 'dataset', 'path'], '/data/mnist', '/ws/specs'), spec.replace('"data/old-mnist"', '"/data/mnist"'));
  assert.equal(rewriteSpecOption(spec, ['files', 1], '/ws/tables/b2.csv', '/ws'), spec.replace('"b.csv"', '"tables/b2.csv"'));
});

test('Windows line endings stay as they were', () => {
  const crlf = spec.replace(/\n/g, '\r\n');
  const text = rewriteSpecOption(crlf, ['evaluator', 'dataset', 'path'], '/ws/mnist', '/ws');
  assert.equal(text, crlf.replace('"data/old-mnist"', '"mnist"'));
});

test('paths are relative only inside the folder, and option paths read as in diagnostics', () => {
  assert.equal(specPathValue('/ws/a/b.csv', '/ws'), 'a/b.csv');
  assert.equal(specPathValue('/ws-other/b.csv', '/ws'), '/ws-other/b.csv');
  assert.equal(specPathValue('/ws', '/ws'), '/ws');
  assert.equal(formatOptionPath(['evaluator', 'dataset', 'path']), 'evaluator.dataset.path');
  assert.equal(formatOptionPath(['files', 1]), 'files[1]');
});
