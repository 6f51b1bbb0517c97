import type { Page } from 'playwright-core';

/*
 * Answering VS Code's quick inputs from a test: the wizards' quick picks and input boxes, and
 * VS Code's own (simple) open dialog, which is a quick input too.
 */

export async function quickInput(page: Page, title: RegExp | string): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 20_000 });
}

/** Picks the row with `label` in the quick pick titled `title`. */
export async function choose(page: Page, title: RegExp | string, label: string): Promise<void> {
  await quickInput(page, title);
  await pickItem(page, label);
}

/** Picks the row with `label` in the open quick pick. */
export async function pickItem(page: Page, label: string): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
}

/** Types `text` into the input box titled `title` and accepts it. */
export async function type(page: Page, title: RegExp | string, text: string): Promise<void> {
  await quickInput(page, title);
  await page.locator('.quick-input-widget input').fill(text);
  await page.keyboard.press('Enter');
}

/** Answers VS Code's own (simple) open/save dialog with an absolute path. */
export async function answerDialog(page: Page, path: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 15_000 });
  for (let i = 0; i < 20 && (await input.inputValue()) !== path; i++) {
    await input.fill(path);
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Enter');
}
