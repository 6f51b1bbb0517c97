// A `*.quantize.json` opened in the editor gets the engine's diagnostics like every spec file kind
// (the document is sent by the language client because the suffix is in SPEC_FILE_KINDS): each
// problem on the range of the offending value, as the real engine process publishes it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startEngine } from './engineProcess';

interface Position {
  readonly line: number;
  readonly character: number;
}
interface Published {
  readonly uri: string;
  readonly diagnostics: readonly { readonly message: string; readonly severity: number; readonly source: string; readonly range: { readonly start: Position; readonly end: Position } }[];
}

/** The LSP position of an offset into the text. */
function positionAt(text: string, offset: number): Position {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** The range of the first occurrence of `needle` in the text. */
function rangeOf(text: string, needle: string): { start: Position; end: Position } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is not in the text`);
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

test('a *.quantize.json document gets engine diagnostics on the offending value: a schema error, activationBits with k-means, a budget that does not parse, bits out of order, a missing model folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nas-qspec-'));
  // A folder that exists but holds no model.json: the model is checked from disk.
  mkdirSync(join(dir, 'empty-model'));
  const engine = await startEngine({ experimentsRoot: join(dir, 'experiments') });
  const published = new Map<string, Published>();
  const waiting = new Map<string, (p: Published) => void>();
  engine.connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.set(p.uri, p);
    waiting.get(p.uri)?.(p);
  });
  const open = (name: string, text: string): Promise<Published> => {
    const uri = pathToFileURL(join(dir, name)).href;
    const result = new Promise<Published>((resolve) => waiting.set(uri, resolve));
    void engine.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    return result;
  };
  const spec = (fields: string[]) => ['{', ...fields.map((f, i) => `  ${f}${i < fields.length - 1 ? ',' : ''}`), '}'].join('\n');
  const model = '"model": { "type": "folder", "dir": "empty-model" }';
  try {
    const kmeans = spec([model, '"dataset": { "type": "mnist" }', '"quantizer": "kmeans"', '"activationBits": { "min": 8, "max": 8 }', '"budget": "size:w4"']);
    const budget = spec([model, '"dataset": { "type": "mnist" }', '"budget": "size:2"']);
    const bits = spec([model, '"dataset": { "type": "mnist" }', '"bits": { "min": 6, "max": 3 }', '"budget": "size:w4"']);
    const missing = spec(['"model": { "type": "folder", "dir": "no-such-model" }', '"dataset": { "type": "mnist" }', '"budget": "size:w4"']);
    const empty = spec([model, '"dataset": { "type": "mnist" }', '"budget": "bitops:w4a4"']);
    const schema = spec([model, '"quantizer": "kmean"', '"budget": "size:w4"']);
    const [a, b, c, d, e, f] = await Promise.all([
      open('kmeans.quantize.json', kmeans),
      open('budget.quantize.json', budget),
      open('bits.quantize.json', bits),
      open('missing.quantize.json', missing),
      open('empty.quantize.json', empty),
      open('schema.quantize.json', schema),
    ]);
    const only = (p: Published) => {
      assert.equal(p.diagnostics.length, 1, p.diagnostics.map((x) => x.message).join('\n'));
      assert.equal(p.diagnostics[0].source, 'nas-studio');
      assert.equal(p.diagnostics[0].severity, 1, 'an error');
      return p.diagnostics[0];
    };

    const activation = only(a);
    assert.equal(activation.message, 'activationBits needs the linear quantizer (k-means leaves activations in float)');
    // An object's problem is marked on its key, as for every spec kind (Anchor.diagnostic), not across the whole object.
    assert.deepEqual(activation.range, rangeOf(kmeans, '"activationBits"'));

    const size = only(b);
    assert.equal(size.message, "a size budget is a fraction of the float32 model's (at most 1), got 2");
    assert.deepEqual(size.range, rangeOf(budget, '"size:2"'));

    const order = only(c);
    assert.equal(order.message, 'bits.min (6) is above bits.max (3)');
    assert.deepEqual(order.range, rangeOf(bits, '"bits"'));

    const noFolder = only(d);
    assert.equal(noFolder.message, `no such model folder ${join(dir, 'no-such-model')}`);
    assert.deepEqual(noFolder.range, rangeOf(missing, '"no-such-model"'));

    const noModel = only(e);
    assert.equal(noModel.message, `${join(dir, 'empty-model')} holds no model.json (a TF.js Layers model folder)`);
    assert.deepEqual(noModel.range, rangeOf(empty, '"empty-model"'));

    const kind = only(f);
    assert.equal(kind.message, 'quantizer must be one of "linear", "kmeans" (did you mean "kmeans"?)');
    assert.deepEqual(kind.range, rangeOf(schema, '"kmean"'));

    // Edited to the linear quantizer (and a model folder that is not there): the next version's one problem.
    const cleared = new Promise<Published>((resolve) => waiting.set(a.uri, resolve));
    const fixed = kmeans.replace('"quantizer": "kmeans"', '"quantizer": "linear"').replace('"empty-model"', '"no-such-model"');
    await engine.connection.sendNotification('textDocument/didChange', { textDocument: { uri: a.uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const next = only(await cleared);
    assert.match(next.message, /no such model folder/, 'the activationBits problem is gone; the model folder is the next one');
  } finally {
    await engine.stop();
  }
});
