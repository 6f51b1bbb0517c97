/**
 * Real headless Chromium around the built view bundles, the way VS Code hosts them: the page
 * comes from buildWebviewHtml (strict CSP with a nonce), bundles and CSS are served from dist/
 * and media/ under a fake webview origin, `acquireVsCodeApi` is a stand-in that records what the
 * view posts, and theme variables/classes are set on <html>/<body> as VS Code does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebviewHtml, createNonce } from '../../extension/webview/html';
import type { HostToWebview, ViewKind, WebviewToHost } from '../../contract/webviewMessages';
import { themes, type ThemeName } from './themes';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const resultsDir = path.join(repoRoot, 'test-results');
const origin = 'https://nas-webview.test';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (set CHROMIUM_PATH or run scripts/setup-test-env.sh)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function bundlePath(view: string): string {
  const file = path.join(repoRoot, 'dist', 'webviews', `${view}View.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run "node esbuild.mjs" first (npm run test:webview does)`);
  return file;
}

export interface ViewPage {
  readonly page: Page;
  /** Posts a host message (or anything else, to test rejection) to the view. */
  send(message: HostToWebview | unknown): Promise<void>;
  posted(): Promise<WebviewToHost[]>;
  state(): Promise<unknown>;
  violations(): Promise<string[]>;
  setTheme(theme: ThemeName): Promise<void>;
  screenshot(name: string): Promise<void>;
}

/**
 * `<name>-dark.png` and `<name>-light.png` of the view as it is (the pictures of docs/views.md
 * are copied from these); leaves it in the dark theme.
 */
export async function screenshotThemes(view: ViewPage, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await view.setTheme(theme);
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await view.screenshot(`${name}-${theme}`);
  }
}

export async function openView(
  browser: Browser,
  view: ViewKind,
  options: { theme?: ThemeName; savedState?: unknown; width?: number; height?: number } = {},
): Promise<ViewPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1100, height: options.height ?? 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const theme = themes[options.theme ?? 'dark'];
  const html = buildWebviewHtml({
    cspSource: origin,
    nonce: createNonce(),
    view,
    scriptUri: `${origin}/dist/webviews/${view}View.js`,
    styleUris: [`${origin}/media/views.css`],
    title: `NAS Studio ${view}`,
    bodyClass: theme.bodyClass,
  });
  const styleAttribute = Object.entries(theme.vars).map(([k, v]) => `${k}: ${v}`).join('; ');
  await page.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      await route.fulfill({ contentType: 'text/html', body: html.replace('<html lang="en">', `<html lang="en" style="${styleAttribute}">`) });
      return;
    }
    const file = path.join(repoRoot, path.normalize(url.pathname));
    if (!file.startsWith(path.join(repoRoot, 'dist')) && !file.startsWith(path.join(repoRoot, 'media'))) {
      await route.fulfill({ status: 404 });
      return;
    }
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    await route.fulfill({ contentType: type, body: readFileSync(file) });
  });
  await page.addInitScript({ content: `window.__nasInitialState = ${JSON.stringify(options.savedState ?? null)} ?? undefined;` });
  await page.addInitScript({ path: path.join(import.meta.dirname, 'standInVsCodeApi.js') });
  bundlePath(view);
  await page.goto(`${origin}/index.html`);
  try {
    await page.waitForFunction(() => (window as unknown as { __nas: { posted: { type: string }[] } }).__nas.posted.some((m) => m.type === 'ready'), undefined, { timeout: 15_000 });
  } catch (error) {
    throw new Error(`the ${view} view never posted "ready"${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`, { cause: error });
  }
  return {
    page,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message as object),
    posted: () => page.evaluate(() => (window as unknown as { __nas: { posted: WebviewToHost[] } }).__nas.posted),
    state: () => page.evaluate(() => (window as unknown as { __nas: { state: unknown } }).__nas.state),
    violations: () => page.evaluate(() => (window as unknown as { __nas: { violations: string[] } }).__nas.violations),
    setTheme: (name) =>
      page.evaluate((t) => {
        for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
        document.body.className = t.bodyClass;
      }, themes[name]),
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(resultsDir, `${name}.png`) });
    },
  };
}
