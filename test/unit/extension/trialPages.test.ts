import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrialItem } from '../../../contract/runs';
import type { TrialPage } from '../../../contract/protocol';
import { enginePageSize, fetchAllTrials, trialRecordOf } from '../../../extension/panels/trialPages';
import { trialRecordCheck } from '../../../contract/webviewMessages';

function item(trial: number): TrialItem {
  return { trial, key: `k${trial}`, genome: [trial], arch: { space: 'layers' }, metrics: { a: trial }, feasible: true, cached: false, durationMs: 1, description: `d${trial}` };
}

test('all trials arrive in pages of at most 5000, including ones that finish meanwhile', async () => {
  let total = 12_000;
  const requests: [number, number][] = [];
  const getPage = async (offset: number, limit: number): Promise<TrialPage> => {
    requests.push([offset, limit]);
    const page = { total, offset, items: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => item(offset + i)) };
    total += 3; // trials keep finishing while the pages are fetched
    return page;
  };
  const trials = await fetchAllTrials(getPage);
  assert.ok(requests.every(([, limit]) => limit === enginePageSize && limit <= 5000));
  assert.deepEqual(requests.map(([offset]) => offset), [0, 5000, 10000]);
  assert.equal(trials.length, 12_006);
  assert.deepEqual(trials.map((t) => t.trial), Array.from({ length: 12_006 }, (_, i) => i));
});

test('an empty experiment is one request', async () => {
  let calls = 0;
  assert.deepEqual(await fetchAllTrials(async () => (calls++, { total: 0, offset: 0, items: [] })), []);
  assert.equal(calls, 1);
});

test('views get trial records with what the table shows: description and error', () => {
  const record = trialRecordOf({ ...item(3), error: 'out of memory' });
  assert.deepEqual(Object.keys(record).sort(), ['arch', 'cached', 'description', 'durationMs', 'error', 'feasible', 'genome', 'key', 'metrics', 'trial']);
  // …and pass the check the webviews apply to what the host posts.
  assert.doesNotThrow(() => trialRecordCheck(record, ''));
});
