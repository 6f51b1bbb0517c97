import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archAt } from '../../../extension/archLocator';

const known = (space: string) => ['layers', 'nb201', 'ofa-mbv3'].includes(space);

test('the innermost object naming a known space is found from anywhere inside it', () => {
  const text = JSON.stringify(
    {
      name: 'x',
      space: { type: 'layers' },
      seeds: [
        { space: 'layers', layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] },
        { space: 'nb201', arch: '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|' },
      ],
    },
    null,
    2,
  );
  const inDense = text.indexOf('"units"');
  const found = archAt(text, inDense, known);
  assert.ok(found);
  assert.equal(found.arch.space, 'layers');
  assert.equal(text.slice(found.offset, found.offset + found.length), JSON.stringify(found.arch, null, 2).replace(/\n/g, '\n    '));
  assert.equal(archAt(text, text.indexOf('none~1'), known)?.arch.space, 'nb201');
  // The spec's own "space" is an object, not an architecture; "name" is outside any architecture.
  assert.equal(archAt(text, text.indexOf('"type": "layers"'), known), undefined);
  assert.equal(archAt(text, text.indexOf('"name"'), known), undefined);
});

test('an exported architecture carries its metrics, trial and description', () => {
  const text = '{"space":"layers","layers":[],"description":"fc64","trial":7,"metrics":{"val_accuracy":0.98,"note":"x","params":52650}}';
  const found = archAt(text, 3, known);
  assert.deepEqual(found && { metrics: found.metrics, trial: found.trial, description: found.description, offset: found.offset, length: found.length }, {
    metrics: { val_accuracy: 0.98, params: 52650 },
    trial: 7,
    description: 'fc64',
    offset: 0,
    length: text.length,
  });
});

test('unknown spaces are not architectures; broken JSON still finds what parses', () => {
  assert.equal(archAt('{"space": "resnet", "depth": 50}', 5, known), undefined);
  const broken = '{"space": "layers", "layers": [ {"type": "flatten"}, ';
  assert.equal(archAt(broken, broken.indexOf('flatten'), known)?.arch.space, 'layers');
  assert.equal(archAt('', 0, known), undefined);
});
