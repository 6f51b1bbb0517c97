import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildReportHtml } from '../../../server/report/htmlReport';
import type { TrialRecord } from '../../../contract/runs';
import { quantizationSummary, searchSummary } from '../extension/summaries';

const summary = searchSummary({
  id: 'e1',
  name: 'nb201 </script> run',
  dir: '/x',
  source: '/x/spec.nas.json',
  trials: 1,
  budget: 1,
  objectives: [{ metric: 'cifar10_valid_12ep', goal: 'maximize' }],
  strategy: 'random',
  createdAt: 'a',
  updatedAt: 'b',
});
const trials: TrialRecord[] = [
  {
    trial: 0,
    key: 'k',
    genome: [0],
    arch: { space: 'nb201', arch: '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|' },
    metrics: { cifar10_valid_12ep: 80, lat_ms_pixel3: 12, params_mb: 0.5 },
    feasible: true,
    cached: false,
    durationMs: 1,
  },
];
const bundles = [
  { name: 'plotView', js: 'var s = "</script><!-- x";' },
  { name: 'reportView', js: 'window.host = 1;' },
];

test('inline scripts are escaped, ordered host-first and allowed by hash only', () => {
  const html = buildReportHtml({ summary, trials, bundles, css: ['body { color: red; }'] });
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, ['window.host = 1;', 'var s = "<\\/script><\\!-- x";']);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1].replace(/&#39;/g, "'") ?? '';
  for (const js of scripts) assert.ok(csp.includes(`'sha256-${createHash('sha256').update(js).digest('base64')}'`));
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update('body { color: red; }').digest('base64')}'`));
  assert.match(csp, /^default-src 'none'; img-src data: blob:;/);
  assert.ok(!/unsafe-/.test(csp));
  // Only views whose bundle was given get a section; the plot axes default to a cost metric.
  assert.deepEqual([...html.matchAll(/data-nas-view="(\w+)"/g)].map((m) => m[1]), ['plot']);
  const data = JSON.parse(/<script type="application\/json" id="nas-report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}');
  assert.deepEqual(data.axes, { x: 'lat_ms_pixel3', y: 'cifar10_valid_12ep' });
  assert.equal(data.summary.name, 'nb201 </script> run');
  assert.ok(html.includes('<h1>nb201 &#60;/script&#62; run</h1>'));
});

test('a report without the host bundle is refused with the reason', () => {
  assert.throws(() => buildReportHtml({ summary, trials, bundles: bundles.slice(0, 1), css: [] }), /needs the "reportView" bundle/);
});

test("a quantization's report lists the best policy's bits per layer and the uniform baselines, names escaped", () => {
  const s = quantizationSummary({ layers: ['<c1>', 'c2', 'd1', 'd2'].map((name) => ({ name, kind: 'conv' as const, weights: 10, macs: 100 })) });
  const html = buildReportHtml({ summary: s, trials: [], bundles, css: [] });
  const rows = [...html.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>(?:<td>([^<]*)<\/td>)?<\/tr>/g)].map((m) => m.slice(1).filter((c) => c !== undefined));
  assert.deepEqual(rows, [
    ['&#60;c1&#62;', 'conv', '10', 'W8A8'],
    ['c2', 'conv', '10', 'W3A6'],
    ['d1', 'conv', '10', 'W5A4'],
    ['d2', 'conv', '10', 'W8A8'],
    ['HAQ (episode 5)', '87.00%', '2.5 kB'],
    ['uniform W4A8', '86.00%', '2.644 kB'],
  ]);
  assert.match(html, /6 of 6 episodes/);
});
