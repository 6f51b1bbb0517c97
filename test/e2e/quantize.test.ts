import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPercent } from '../../contract/format';
import { formatBits } from '../../contract/quantizationText';
import { saveTinyMnistModel } from '../engine/tinyMnistModel';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { choose, type } from './quickInput';
import { explorerRow, viewFrame } from './workbench';

const missing = codeServerInstalled();

test('real VS Code: Quantize Model from the palette on a tiny trained model folder; the view shows every episode and the uniform baselines, the explorer the run', { skip: missing, timeout: 600_000 }, async () => {
  // A tiny CNN trained on 1000 MNIST images (the fixture the engine's quantization tests use).
  const made = mkdtempSync(join(tmpdir(), 'nas-e2e-quantize-'));
  await saveTinyMnistModel(made);
  try {
    await withWorkbench({ name: 'quantize', port: 8531, viewport: { width: 1400, height: 1000 }, prepare: (ws) => cpSync(made, join(ws, 'models', 'tiny'), { recursive: true }) }, async ({ page, workspace, shot }) => {
      await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
      await runCommand(page, 'NAS Studio: Quantize Model');
      // The workspace's model folders are offered (beside the best trials of searches and a folder dialog).
      await choose(page, 'Quantize which model?', 'models/tiny');
      await choose(page, 'the data the model was trained on', 'MNIST');
      await choose(page, 'Quantize Model (1/3)', 'Size as uniform 4-bit weights');
      await choose(page, 'Quantize Model (2/3)', 'Linear');
      await type(page, 'Quantize Model (3/3)', '5');

      // The spec is written beside the experiments folder, built as the CLI builds it.
      const specs = join(workspace, '.nas-studio', 'quantize');
      for (let i = 0; i < 300 && !existsSync(specs); i++) await page.waitForTimeout(100);
      const [specFile] = readdirSync(specs);
      assert.equal(specFile, 'tiny-linear-size.quantize.json');
      assert.deepEqual(JSON.parse(readFileSync(join(specs, specFile), 'utf8')), {
        model: { type: 'folder', dir: join(workspace, 'models', 'tiny') },
        dataset: { type: 'mnist' },
        quantizer: 'linear',
        budget: 'size:w4',
        episodes: 5,
      });

      // The view opens with the run and fills as episodes are journaled.
      const view = await viewFrame(page, 'quantization', /^Quantization · tiny-linear-size/, 120_000);
      await view.locator('.nas-quantization-status', { hasText: /^finished · episode 5\/5/ }).waitFor({ timeout: 420_000 });
      await shot('view');

      // What it shows, against the journal on disk.
      const root = join(workspace, '.nas-studio', 'experiments');
      const [id] = readdirSync(root);
      const records = readFileSync(join(root, id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const episodes = records.filter((r) => r.type === 'episode');
      const baselines = records.filter((r) => r.type === 'baseline');
      assert.equal(episodes.length, 5);
      assert.ok(baselines.length > 0, 'uniform baselines are journaled');
      const dots = await view.locator('.nas-episodes-chart .nas-dot').evaluateAll((cs) => cs.map((c) => [c.parentElement!.getAttribute('data-series'), Number(c.getAttribute('data-x')), Number(c.getAttribute('data-y'))]));
      const episodeDots = dots.filter(([series]) => series === 'agent episodes' || series === 'random (warm-up) episodes').map(([, x, y]) => [x, y]);
      assert.deepEqual(
        episodeDots.sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1])),
        episodes.map((e) => [e.cost, e.accuracy]).sort((a, b) => a[0] - b[0] || a[1] - b[1]),
      );
      assert.deepEqual(
        dots.filter(([series]) => series === 'uniform baselines').map(([, x, y]) => [x, y]),
        [...baselines].sort((a, b) => a.weight - b.weight).map((b) => [b.cost, b.accuracy]),
      );
      assert.deepEqual((await view.locator('.nas-episodes-chart .nas-dot-label').evaluateAll((ts) => ts.map((t) => t.textContent ?? ''))).filter((l) => !l.startsWith('best')), [...baselines].sort((a, b) => a.weight - b.weight).map(formatBits));
      const legend = await view.locator('.nas-quantization-legend').innerText();
      for (const b of baselines) assert.ok(legend.includes(`${formatBits(b)} ${formatPercent(b.accuracy)}`), legend);
      // The best policy's bits on the graph's layer nodes.
      await view.locator('.nas-policy-graph [data-weight-bits]').first().waitFor({ timeout: 60_000 });
      const final = records.find((r) => r.type === 'final');
      const bits = await view.locator('.nas-policy-graph [data-weight-bits]').evaluateAll((gs) => gs.map((g) => ({ weight: Number(g.getAttribute('data-weight-bits')), activation: Number(g.getAttribute('data-activation-bits')) })));
      assert.deepEqual(bits, final.policy);

      // The explorer lists the run with its best policy.
      const row = explorerRow(page, /^tiny-linear-size/).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match(await row.innerText(), /finished/);
      await row.click();
      await explorerRow(page, /^Uniform W\d+A\d+/).first().waitFor({ timeout: 30_000 });
      await explorerRow(page, /^Best policy \(episode \d+\)/).first().waitFor({ timeout: 30_000 });
      await shot('explorer');
    });
  } finally {
    rmSync(made, { recursive: true, force: true });
  }
});
