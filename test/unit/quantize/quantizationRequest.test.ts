import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantizationRequest } from '../../../contract/quantizationRequest';
import { validateQuantizationText } from '../../../server/quantize/quantizationSpec';

test('quantizationRequest: only the choices made, the fine-tune as its option; unchosen options left to the engine defaults', () => {
  assert.deepEqual(quantizationRequest({ model: { type: 'folder', dir: '/m' }, budget: 'size:w4', quantizer: undefined, episodes: 5, seed: undefined }), {
    model: { type: 'folder', dir: '/m' },
    budget: 'size:w4',
    episodes: 5,
  });
  assert.deepEqual(quantizationRequest({ model: { type: 'trial', run: '/r', trial: 'best' }, budget: 'bitops:w4a4', dataset: { type: 'mnist' }, quantizer: 'kmeans', bits: { min: 1, max: 6 }, finetuneSamples: 256, warmup: 0 }), {
    model: { type: 'trial', run: '/r', trial: 'best' },
    budget: 'bitops:w4a4',
    dataset: { type: 'mnist' },
    quantizer: 'kmeans',
    bits: { min: 1, max: 6 },
    warmup: 0,
    finetune: { samples: 256 },
  });
});

test('quantizationRequest: what it builds is a valid quantization spec (checked by the engine up to the model folder)', () => {
  const text = JSON.stringify(quantizationRequest({ model: { type: 'folder', dir: '/no/such/model' }, dataset: { type: 'mnist' }, budget: 'size:w4', quantizer: 'linear', episodes: 5 }));
  const { spec, diagnostics } = validateQuantizationText(text, { baseDir: '/', file: '/ws/tiny.quantize.json' });
  assert.equal(spec, undefined);
  assert.deepEqual(diagnostics.map((d) => d.message), ['no such model folder /no/such/model']);
});

test('activationBits: a separate activation range for linear quantization; refused for k-means, whose activations stay float', () => {
  const request = quantizationRequest({ model: { type: 'folder', dir: '/no/such/model' }, dataset: { type: 'mnist' }, budget: 'size:w4', quantizer: 'kmeans', bits: { min: 2, max: 8 }, activationBits: { min: 8, max: 8 } });
  assert.deepEqual(request.activationBits, { min: 8, max: 8 });
  const kmeans = validateQuantizationText(JSON.stringify(request), { baseDir: '/', file: '/ws/tiny.quantize.json' });
  assert.deepEqual(kmeans.diagnostics.map((d) => d.message), ['activationBits needs the linear quantizer (k-means leaves activations in float)']);
  const reversed = validateQuantizationText(JSON.stringify({ ...request, quantizer: 'linear', activationBits: { min: 8, max: 4 } }), { baseDir: '/', file: '/ws/tiny.quantize.json' });
  assert.deepEqual(reversed.diagnostics.map((d) => d.message), ['activationBits.min (8) is above activationBits.max (4)']);
});
