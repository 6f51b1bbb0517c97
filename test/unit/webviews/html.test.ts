import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, createNonce } from '../../../extension/webview/html';
import { jsonScriptElement } from '../../../contract/html';

test('nonces are 128-bit, base64 and fresh', () => {
  const nonces = new Set(Array.from({ length: 100 }, createNonce));
  assert.equal(nonces.size, 100);
  for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
});

test('the page allows only the webview source and the nonce', () => {
  const nonce = createNonce();
  const html = buildWebviewHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce,
    view: 'plot',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webviews/plotView.js',
    styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/views.css'],
    title: 'Plot <of> "x"',
    initialState: { experiment: '</script><script>alert(1)</script>' },
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(csp, contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', nonce).replace(/'/g, '&#39;'));
  assert.match(csp ?? '', /default-src &#39;none&#39;; img-src \S+ data:; style-src \S+ &#39;nonce-/);
  assert.ok(!/unsafe-(inline|eval)/.test(html));
  assert.equal((html.match(/<script nonce=/g) ?? []).length, 1, 'one executable script, with the nonce');
  assert.ok(html.includes('<title>Plot &#60;of&#62; &#34;x&#34;</title>'));
  assert.ok(html.includes('<main data-nas-view="plot"></main>'));
  // The initial state is inert JSON and cannot close its element.
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
  assert.ok(html.includes(jsonScriptElement('nas-initial-state', { experiment: '</script><script>alert(1)</script>' })));
  assert.throws(() => buildWebviewHtml({ cspSource: 'x', nonce: 'short', view: 'plot', scriptUri: '', styleUris: [], title: '' }), /nonce/);
});
