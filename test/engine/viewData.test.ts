import { ERROR_CODES } from '../../contract/errors';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Requests } from '../../contract/protocol';
import { type TrialItem } from '../../contract/runs';
import { reportDataCheck, reportDataElementId } from '../../contract/reportData';
import { validate } from '../../contract/validate';
import { searchSummary, startEngine } from './engineProcess';

const cli = resolve(__dirname, '../../bin/nas-studio.js');
const dir = mkdtempSync(join(tmpdir(), 'nas-views-'));
const root = join(dir, 'experiments');
let id = '';

/** One real experiment (small MLPs on embedded MNIST) run by the CLI, shared by the tests below. */
before(() => {
  const spec = join(dir, 'mlp.nas.json');
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'mlp',
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
      evaluator: { type: 'train', trainSamples: 512, validationSamples: 256, testSamples: 256, latencyRepeats: 3, workers: 1 },
      strategy: { type: 'regularized-evolution', population: 3, sampleSize: 2 },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      constraints: [{ metric: 'params', max: 40000 }],
      report: ['test_accuracy', 'latency_ms'],
      budget: { trials: 6 },
      seed: 5,
    }),
  );
  const result = JSON.parse(execFileSync(process.execPath, [cli, 'run', spec, '--root', root, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1) ?? '{}');
  assert.equal(result.status, 'finished');
  id = result.experiment;
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('summaries carry the spec constraints, report metrics and strategy the views need', async () => {
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const summary = searchSummary(await engine.connection.sendRequest(Requests.getRun, { id }));
    assert.deepEqual(summary.constraints, [{ metric: 'params', max: 40000 }]);
    assert.deepEqual(summary.report, ['test_accuracy', 'latency_ms']);
    assert.equal(summary.strategy, 'regularized-evolution');
  } finally {
    await engine.stop();
  }
});

test('getTrial finds a trial by number; findArchitecture finds who evaluated an architecture', async () => {
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const page = await engine.connection.sendRequest(Requests.getTrials, { id, offset: 0, limit: 100 });
    const original: TrialItem = page.items.find((t) => !t.cached) ?? page.items[0];
    const one = await engine.connection.sendRequest(Requests.getTrial, { id, trial: original.trial });
    assert.deepEqual(one, original);
    await assert.rejects(engine.connection.sendRequest(Requests.getTrial, { id, trial: 999 }), (e: { code: number; message: string }) => {
      assert.equal(e.code, ERROR_CODES['not-found']);
      assert.match(e.message, /no finished trial 999/);
      return true;
    });

    // Keys are canonical: the same layers written in another key order, with export extras, match.
    const reordered = { layers: original.arch.layers, input: original.arch.input, space: 'layers', description: 'x', metrics: { val_accuracy: 0 } };
    const matches = await engine.connection.sendRequest(Requests.findArchitecture, { arch: reordered });
    assert.deepEqual(matches, [{ run: id, name: 'mlp', trial: original.trial, description: original.description, metrics: original.metrics, feasible: original.feasible }]);
    assert.deepEqual(await engine.connection.sendRequest(Requests.findArchitecture, { arch: reordered, ids: ['no-such-experiment'] }), []);
    const unseen = { space: 'layers', input: [28, 28, 1], layers: [{ type: 'flatten' }, { type: 'dense', units: 17, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] };
    assert.deepEqual(await engine.connection.sendRequest(Requests.findArchitecture, { arch: unseen }), [], 'a width this space does not have matches nothing');
    assert.deepEqual(await engine.connection.sendRequest(Requests.findArchitecture, { arch: { space: 'nb201', arch: '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|' } }), []);
  } finally {
    await engine.stop();
  }
});

test('nas-studio report writes one self-contained HTML file with every trial, the constraints and the axes', () => {
  const output = execFileSync(process.execPath, [cli, 'report', id, '--root', root], { encoding: 'utf8' });
  const file = join(root, id, 'exports', 'report.html');
  assert.match(output, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: report of mlp \\(finished, 6/6 trials\\)`));
  const html = readFileSync(file, 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /^default-src &#39;none&#39;;/);
  assert.doesNotMatch(csp, /https?:|\*/, 'the CSP allows nothing from the network');
  const markup = html.replace(/<(script|style)>[\s\S]*?<\/\1>/g, '');
  assert.doesNotMatch(markup, /<script[^>]+src=|<link[^>]+href=/, 'every script and stylesheet is inline');
  const json = new RegExp(`<script type="application/json" id="${reportDataElementId}">(.*?)</script>`, 's').exec(html)?.[1] ?? '';
  const data = validate(reportDataCheck, JSON.parse(json));
  assert.ok(data.ok, data.ok ? '' : data.error);
  const journal = readFileSync(join(root, id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'trial_finished');
  assert.deepEqual(data.value.trials.map((t) => t.trial).sort(), journal.map((r) => r.trial).sort());
  assert.deepEqual(data.value.constraints, [{ metric: 'params', max: 40000 }]);
  assert.deepEqual(data.value.axes, { x: 'params', y: 'val_accuracy' }, 'x is the constrained cost metric');
  assert.equal(data.value.label, 'mlp · regularized-evolution');

  const custom = join(dir, 'out', 'mine.html');
  execFileSync(process.execPath, [cli, 'report', join(root, id), '--out', custom], { encoding: 'utf8' });
  assert.deepEqual(readdirSync(join(dir, 'out')), ['mine.html']);
  assert.throws(() => execFileSync(process.execPath, [cli, 'report'], { stdio: 'pipe' }), (e: { status: number; stderr: Buffer }) => e.status === 2 && /usage: nas-studio report/.test(e.stderr.toString()));
});

const ofaData = resolve(process.env.NAS_SHARED_DATA ?? join(__dirname, '../../../shared/data'), 'ofa');
const noOfaData = existsSync(join(ofaData, 'note10')) ? undefined : `OFA reference data not found under ${ofaData}`;

test("getArchDetails: an OFA search's graph gets each layer's lookup-table latency, summing to the trial's latency_ms; other searches get none", { skip: noOfaData }, async () => {
  const spec = join(dir, 'ofa.nas.json');
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'ofa',
      space: { type: 'ofa-mbv3' },
      evaluator: { type: 'ofa-predictor', predictor: join(ofaData, 'acc_predictor.json'), lut: join(ofaData, 'note10') },
      strategy: { type: 'random' },
      objectives: [{ metric: 'predicted_accuracy', goal: 'maximize' }],
      report: ['latency_ms'],
      budget: { trials: 3 },
      seed: 2,
    }),
  );
  const result = JSON.parse(execFileSync(process.execPath, [cli, 'run', spec, '--root', root, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1) ?? '{}');
  const engine = await startEngine({ experimentsRoot: root });
  try {
    const trials = await engine.connection.sendRequest(Requests.getTrials, { id: result.experiment, offset: 0, limit: 10 });
    for (const trial of trials.items) {
      const details = await engine.connection.sendRequest(Requests.getArchDetails, { id: result.experiment, arch: trial.arch });
      const depths = trial.arch.d as number[];
      const blocks = depths.reduce((n, d) => n + d, 0);
      // stem, first block, the active elastic blocks, final expand, pool, feature mix, classifier.
      assert.equal(Object.keys(details).length, blocks + 6);
      assert.ok(['stem', 'first', 'b0', 'final_expand', 'pool', 'feature_mix', 'classifier'].every((k) => details[k]?.latencyMs !== undefined));
      const sum = Object.values(details).reduce((s, m) => s + (m.latencyMs ?? 0), 0);
      assert.ok(Math.abs(sum - trial.metrics.latency_ms) < 1e-9, `${sum} vs ${trial.metrics.latency_ms}`);
    }
    const layers = await engine.connection.sendRequest(Requests.getTrial, { id, trial: 0 });
    assert.deepEqual(await engine.connection.sendRequest(Requests.getArchDetails, { id, arch: layers.arch }), {});
  } finally {
    await engine.stop();
  }
});
