import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, stop as stopEsbuild } from 'esbuild';
import type { Page } from 'playwright-core';
import { launchBrowser, REPO, RESULTS_DIR, RUNS_DIR, startCodeServer } from './codeServer';

export interface SuiteOptions {
  /** The suite module (exports `run()`), e.g. suite/index.ts. */
  readonly suite: string;
  readonly port: number;
  /** Open the workspace in Restricted Mode (Workspace Trust on, not trusted). */
  readonly untrusted?: boolean;
  /** Called for each `[nas-e2e] …` line the suite prints as it runs (e.g. to act in the workbench). */
  readonly onSignal?: (message: string, page: Page) => Promise<void>;
  readonly timeoutMs?: number;
  /** Puts files into the workspace before the workbench opens. */
  readonly prepare?: (workspace: string) => void;
}

/**
 * Runs a suite INSIDE code-server's extension host (extensionDevelopmentPath = this checkout,
 * extensionTestsPath = the bundled suite), as @vscode/test-electron does for desktop VS Code,
 * and checks that it exited with 0 after every test it declares passed. Returns its report.
 */
export async function runExtensionSuite(options: SuiteOptions): Promise<string> {
  const name = basename(options.suite, '.ts');
  const bundle = join(RUNS_DIR, `suite-${name}/index.js`);
  await build({ entryPoints: [options.suite], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, external: ['vscode'], mainFields: ['module', 'main'], logLevel: 'warning' });
  stopEsbuild(); // its service process would keep this test process alive
  const run = join(RUNS_DIR, `run-exthost-${name}`);
  const server = await startCodeServer({ port: options.port, run, workspace: join(run, 'ws'), smokeTestDriver: true, untrusted: options.untrusted });
  options.prepare?.(join(run, 'ws'));
  const browser = await launchBrowser(run);
  const lines: string[] = [];
  try {
    const page = await browser.newPage();
    let acting = Promise.resolve();
    let actionError: unknown;
    page.on('console', (m) => {
      const text = m.text();
      const at = text.indexOf('[nas-e2e]');
      if (at < 0) return;
      const line = text.slice(at);
      lines.push(line);
      // One action at a time, in the order the suite asked for them.
      if (options.onSignal) {
        acting = acting
          .then(() => options.onSignal!(line.slice('[nas-e2e] '.length), page))
          .catch(async (e) => {
            actionError ??= e;
            mkdirSync(RESULTS_DIR, { recursive: true });
            await page.screenshot({ path: join(RESULTS_DIR, `e2e-${name}-failure.png`) }).catch(() => undefined);
          });
      }
    });
    let exited: (code: number) => void = () => {};
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${authority}${bundle}`],
    ];
    await page.goto(`${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 380_000;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exitCode, new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error(`suite timed out:\n${lines.join('\n')}`)), timeoutMs)))]).finally(() => clearTimeout(timer));
    await acting;
    if (actionError) throw actionError;
    const report = lines.filter((l) => /^\[nas-e2e\] (PASS|FAIL) /.test(l)).join('\n');
    process.stdout.write(`# ${name} exited with code ${code} after ${Date.now() - started} ms\n${report.replace(/^/gm, '# ')}\n`);
    assert.equal(code, 0, `extension suite failed:\n${report}`);
    assert.doesNotMatch(report, /FAIL/);
    // Every test the suite declares ran and passed.
    const declared = (readFileSync(options.suite, 'utf8').match(/await test\('/g) ?? []).length;
    assert.equal((report.match(/PASS /g) ?? []).length, declared, report);
    return report;
  } finally {
    await browser.close();
    server.stop();
  }
}
