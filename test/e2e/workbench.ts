import { readFileSync } from 'node:fs';
import type { Frame, Locator, Page } from 'playwright-core';
import type { ViewKind } from '../../contract/webviewMessages';

/**
 * Opens the quick input and types `text` into it. A webview that takes the focus as it loads
 * closes the quick input again, so this tries again when that happens.
 */
async function typeInQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(text, { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Opens a workspace file by name through Quick Open. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  // On a loaded machine Enter can land before Quick Open has taken the result: try again until the file's tab is active.
  for (let attempt = 1; ; attempt++) {
    await typeInQuickInput(page, fileName);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
    await page.keyboard.press('Enter');
    try {
      await page.locator('.tabs-container .tab.active', { hasText: fileName }).first().waitFor({ timeout: 15_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens a file by its absolute path through File: Open File... (VS Code's own simple dialog). */
export async function openFile(page: Page, path: string): Promise<void> {
  await typeInQuickInput(page, '>File: Open File...');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'File: Open File...' }).first().waitFor();
  await page.keyboard.press('Enter');
  // The dialog fills in the workspace folder and lists it as it loads: type the path once it has.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor();
  for (let i = 0; i < 20 && (await input.inputValue()) !== path; i++) {
    await input.fill(path);
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Enter');
}

/**
 * The page (inside VS Code's webview iframes) of a NAS Studio view of this kind whose heading
 * matches, once it is there. Only visible webviews have a page: hidden ones are discarded.
 */
export async function viewFrame(page: Page, kind: ViewKind, heading?: RegExp, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(`main[data-nas-view="${kind}"]`).count()) === 0) continue;
        if (!heading) return frame;
        const texts = await frame.locator('.nas-heading').allInnerTexts();
        if (texts.some((t) => heading.test(t))) return frame;
      } catch {
        // the frame went away while we looked at it
      }
    }
    if (Date.now() > deadline) throw new Error(`no ${kind} view${heading ? ` with a heading matching ${heading}` : ''} appeared`);
    await page.waitForTimeout(250);
  }
}

/** A data attribute of the first element matching `selector` in a view, once it equals `expected` (or the last value seen). */
export async function waitForData(frame: Frame, selector: string, name: string, expected: string, timeoutMs = 60_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let value: string | undefined;
  while (Date.now() < deadline) {
    value = (await frame.locator(selector).first().getAttribute(`data-${name}`).catch(() => null)) ?? undefined;
    if (value === expected) return value;
    await frame.waitForTimeout(200);
  }
  return value;
}

/**
 * Rows of the side bar's trees (the NAS Studio explorer). Notifications are list rows too, and a
 * toast that repeats a row's text ("≤ 20 ms: 80.78 %") must not stand in for it.
 */
export function explorerRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: text });
}

/**
 * Runs `action` from the context menu of `target`. A click that lands while the menu is still
 * being laid out only highlights the item (the menu stays open, nothing runs), so the click is
 * repeated until the menu closes: it closes exactly when an action runs.
 */
export async function contextMenuAction(page: Page, target: Locator, action: string): Promise<void> {
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  const item = page.locator('.context-view .action-label', { hasText: action }).first();
  for (let attempt = 1; ; attempt++) {
    await item.click();
    try {
      await menu.waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * The JSON document the editor or the engine writes to `file`, once it is whole: a file can
 * appear (empty, or partly written) before its content is, so it is read until it parses.
 */
export async function readJsonWhenWritten(page: Page, file: string, timeoutMs = 10_000): Promise<any> {
  for (const started = Date.now(); ; await page.waitForTimeout(100)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw new Error(`${file} was not written as JSON within ${timeoutMs} ms: ${String(error)}`);
    }
  }
}
