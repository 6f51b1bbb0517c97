import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, stop as stopEsbuild } from 'esbuild';
import { codeServerInstalled, launchBrowser, REPO, RUNS_DIR, startCodeServer } from './codeServer';

const missing = codeServerInstalled();

test('extensionTestsPath suite inside the real extension host (commands, diagnostics, run, CodeLens, panels, hovers, crash recovery)', { skip: missing, timeout: 400_000 }, async () => {
  const suite = join(RUNS_DIR, 'suite/index.js');
  await build({ entryPoints: [join(__dirname, 'suite/index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: suite, external: ['vscode'], mainFields: ['module', 'main'], logLevel: 'warning' });
  stopEsbuild(); // its service process would keep this test process alive
  const run = join(RUNS_DIR, 'run-exthost');
  const server = await startCodeServer({ port: 8462, run, workspace: join(run, 'ws'), smokeTestDriver: true });
  const browser = await launchBrowser(run);
  const console: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.push(m.text()));
    let exited: (code: number) => void = () => {};
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
    ];
    await page.goto(`${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exitCode, new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error('suite timed out')), 380_000)))]).finally(() => clearTimeout(timer));
    const report = console.filter((l) => l.includes('[nas-e2e]')).map((l) => l.slice(l.indexOf('[nas-e2e]'))).join('\n');
    process.stdout.write(`# suite exited with code ${code} after ${Date.now() - started} ms\n`);
    process.stdout.write(report.replace(/^/gm, '# '));
    assert.equal(code, 0, `extension suite failed:\n${report}`);
    assert.doesNotMatch(report, /FAIL/);
    // Every test the suite declares ran and passed.
    const declared = (readFileSync(join(__dirname, 'suite/index.ts'), 'utf8').match(/await test\('/g) ?? []).length;
    assert.equal((report.match(/PASS /g) ?? []).length, declared, report);
  } finally {
    await browser.close();
    server.stop();
  }
});
