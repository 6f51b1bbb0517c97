import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receiveWebviewMessage } from '../../../extension/webview/receive';

test('valid messages reach their handler; malformed ones are reported, not dispatched', async () => {
  const opened: number[] = [];
  const invalid: string[] = [];
  const handlers = { openTrial: (m: { trial: number }) => void opened.push(m.trial) };
  await receiveWebviewMessage({ type: 'openTrial', experiment: 'e', trial: 7 }, handlers, (r) => invalid.push(r));
  await receiveWebviewMessage({ type: 'openTrial', experiment: 'e', trial: '7' }, handlers, (r) => invalid.push(r));
  await receiveWebviewMessage({ type: 'ready', view: 'plot' }, handlers, (r) => invalid.push(r));
  assert.deepEqual(opened, [7]);
  assert.deepEqual(invalid, ['rejected a webview message: trial: expected a non-negative integer, got "7"']);
});
