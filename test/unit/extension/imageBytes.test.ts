import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageBytes } from '../../../extension/panels/imageBytes';

test('SVG exports are written as UTF-8 text; anything else claiming to be SVG is refused', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>µs</text></svg>';
  assert.equal(Buffer.from(imageBytes({ format: 'svg', data: svg })).toString('utf8'), svg);
  assert.ok(imageBytes({ format: 'svg', data: '<?xml version="1.0"?>\n<svg/>' }).length > 0);
  assert.throws(() => imageBytes({ format: 'svg', data: '<html><script>x</script></html>' }), /does not start with an <svg> element/);
});

test('PNG exports are decoded from base64 and must carry the PNG signature', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  assert.deepEqual(Buffer.from(imageBytes({ format: 'png', data: png.toString('base64') })), png);
  assert.throws(() => imageBytes({ format: 'png', data: Buffer.from('GIF89a....').toString('base64') }), /not PNG data/);
  assert.throws(() => imageBytes({ format: 'png', data: '' }), /not PNG data/);
});
