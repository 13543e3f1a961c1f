// @ts-check
// How the UI scenarios act on the workbench as a user does: Quick Open, the command palette, code
// lenses, and polling for a condition. Shared by ui-mode.mjs and stress-mode.mjs.

import * as path from 'node:path';
import { ARTIFACTS } from './env.mjs';

/** Quick Open a workspace file by name in the first editor group (the results panel opens beside it). */
export async function open(page, name) {
  // Keys pressed while a webview has focus go to its iframe: click the workbench first.
  await page.locator('.part.sidebar .title').first().click();
  await page.keyboard.press('Control+1');
  await palette(page, name);
  await page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
}

/** A code lens of the active editor. */
export function lens(page, title) {
  return page.locator('.editor-group-container.active .codelens-decoration a', { hasText: title }).first();
}

/**
 * F1 palette; text without '>' is Quick Open. The matching row is clicked rather than Enter pressed:
 * the palette's fuzzy match ranks recently used commands first ("Minima: Run Recipe" for "Stop Run").
 */
export async function palette(page, text) {
  const input = page.locator('.quick-input-widget input');
  // NOTE: F1 is retried: a keypress that lands while the focus moves between frames can be lost.
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  await input.fill(text);
  const label = text.replace(/^>/, '');
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label.replace(/^.*: /, '') }) }).first();
  await row.waitFor();
  if (process.env.MINIMA_E2E_DEBUG) await page.screenshot({ path: path.join(ARTIFACTS, `debug-palette-${label.replace(/\W+/g, '_')}.png`) });
  await row.click();
}

export async function waitUntil(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
