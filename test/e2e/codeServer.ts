import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where scripts/setup-test-env.sh installed Node 24 and code-server (read only: it may be shared). */
export const E2E_DIR = resolve(process.env.NAS_E2E_DIR ?? join(__dirname, '../../.vscode-e2e'));
const NODE24 = join(E2E_DIR, 'node24/package/bin/node');
const CODE_SERVER = join(E2E_DIR, 'cs/node_modules/code-server/out/node/entry.js');
export const REPO = resolve(__dirname, '../..');
/** Run folders (user data, workspaces, logs) of this checkout's e2e tests. */
export const RUNS_DIR = resolve(process.env.NAS_E2E_RUNS ?? join(REPO, '.e2e-runs'));

export function codeServerInstalled(): string | undefined {
  if (!existsSync(NODE24) || !existsSync(CODE_SERVER)) return 'code-server is not installed: run `npm run setup:test` (scripts/setup-test-env.sh)';
  if (!existsSync('/usr/bin/chromium')) return 'Chromium is not installed: run `npm run setup:test`';
  return undefined;
}

export interface CodeServer {
  readonly port: number;
  readonly run: string;
  readonly workspace: string;
  readonly url: string;
  stop(): void;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function healthy(port: number): Promise<boolean> {
  return new Promise((res) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.on('timeout', () => {
      req.destroy();
      res(false);
    });
  });
}

/**
 * A real VS Code (code-server) on localhost, fully offline and isolated under `run`: its own
 * user data, extensions, XDG folders and temp folder. `vsix` files are installed first. With
 * `untrusted`, Workspace Trust is on and the folder opens in Restricted Mode without asking.
 */
export async function startCodeServer(options: { port: number; run: string; workspace: string; vsix?: string[]; smokeTestDriver?: boolean; untrusted?: boolean }): Promise<CodeServer> {
  const { port, run, workspace } = options;
  // Another checkout's test may be using the port: fail rather than talk to its server.
  if (await healthy(port)) throw new Error(`port ${port} is already serving something; is another e2e run using it?`);
  rmSync(run, { recursive: true, force: true });
  for (const d of ['ud/User', 'exts', 'xdg/config', 'xdg/data', 'xdg/cache', 'tmp']) mkdirSync(join(run, d), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const env = { ...process.env, XDG_CONFIG_HOME: join(run, 'xdg/config'), XDG_DATA_HOME: join(run, 'xdg/data'), XDG_CACHE_HOME: join(run, 'xdg/cache'), TMPDIR: join(run, 'tmp') };
  const common = ['--user-data-dir', join(run, 'ud'), '--extensions-dir', join(run, 'exts'), '--disable-telemetry', '--config', join(run, 'config.yaml')];
  for (const vsix of options.vsix ?? []) {
    const install = spawn(NODE24, [CODE_SERVER, ...common, '--install-extension', vsix], { env, stdio: 'pipe' });
    let output = '';
    install.stdout?.on('data', (d) => (output += d));
    install.stderr?.on('data', (d) => (output += d));
    const code = await new Promise((r) => install.once('exit', r));
    if (code !== 0) throw new Error(`installing ${vsix} failed:\n${output}`);
  }
  writeFileSync(
    join(run, 'ud/User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': !!options.untrusted,
      'security.workspace.trust.startupPrompt': 'never',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'update.mode': 'none',
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'git.openRepositoryInParentFolders': 'never',
      // A tree row's tooltip stays open while the mouse rests on the row and covers the rows
      // below it, so a click on one of those never lands. Editor hovers have their own delay.
      'workbench.hover.delay': 3_600_000,
    }),
  );
  const log = openSync(join(run, 'code-server.log'), 'w');
  const args = [
    CODE_SERVER,
    ...common,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-update-check',
    ...(options.untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child: ChildProcess = spawn(NODE24, args, { env, stdio: ['ignore', log, log], detached: true });
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  for (let i = 0; !(await healthy(port)); i++) {
    if (i > 600 || child.exitCode !== null) {
      stop();
      throw new Error(`code-server did not come up; see ${join(run, 'code-server.log')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, run, workspace, url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, stop };
}

export async function launchBrowser(run: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: join(run, 'xdg/browser-config'), XDG_CACHE_HOME: join(run, 'xdg/browser-cache') },
    args: CHROMIUM_ARGS,
  });
}

/** Runs a command from the palette by its full title ("NAS Studio: Run Experiment"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export const RESULTS_DIR = join(REPO, 'test-results');

/** Sources the packaged extension is built from. */
const PACKAGED_SOURCES = ['extension', 'server', 'webviews', 'cli', 'contract', 'media', 'package.json', 'esbuild.mjs'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * nas-studio.vsix, packaged (`npm run package`) unless it is newer than every source, or when
 * NAS_E2E_REPACKAGE=1; NAS_E2E_REPACKAGE=0 reuses any existing one. Test files running in
 * parallel take turns through a lock folder, so only one of them builds.
 */
export async function packagedVsix(): Promise<string> {
  const vsix = join(REPO, 'nas-studio.vsix');
  const lock = join(RUNS_DIR, 'package.lock');
  mkdirSync(RUNS_DIR, { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : NaN);
      if (Number.isInteger(holder) && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (waited > 600_000) throw new Error(`${lock} has been held for 10 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const mode = process.env.NAS_E2E_REPACKAGE;
    const fresh = existsSync(vsix) && (mode === '0' || (mode !== '1' && Math.max(...PACKAGED_SOURCES.map((p) => newestMtime(join(REPO, p)))) < statSync(vsix).mtimeMs));
    if (!fresh) execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO, stdio: 'inherit' });
    return vsix;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** What a test running in a fresh code-server workbench gets. */
export interface WorkbenchSession {
  readonly page: Page;
  readonly workspace: string;
  /** Saves `test-results/e2e-<name>-<label>.png`. */
  shot(label: string): Promise<void>;
}

/**
 * Installs the packaged extension into a fresh code-server on `port`, writes the workspace files
 * (`prepare`), opens the workbench in headless Chromium and runs `body`; a failure saves a
 * screenshot (`e2e-<name>-failure.png`), and everything is shut down afterwards.
 */
export async function withWorkbench(
  options: { name: string; port: number; viewport?: { width: number; height: number }; prepare?: (workspace: string) => void },
  body: (session: WorkbenchSession) => Promise<void>,
): Promise<void> {
  const vsix = await packagedVsix();
  const run = join(RUNS_DIR, `run-${options.name}`);
  const workspace = join(run, 'ws');
  const server = await startCodeServer({ port: options.port, run, workspace, vsix: [vsix] });
  const browser = await launchBrowser(run).catch((e) => {
    server.stop();
    throw e;
  });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const shot = async (label: string) => {
    await page.screenshot({ path: join(RESULTS_DIR, `e2e-${options.name}-${label}.png`) });
  };
  try {
    options.prepare?.(workspace);
    // A loaded machine (code-server shares the cores with other tests) can take over 30 s to load the workbench.
    await page.goto(server.url, { timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await body({ page, workspace, shot });
  } catch (e) {
    await shot('failure').catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
    server.stop();
  }
}
