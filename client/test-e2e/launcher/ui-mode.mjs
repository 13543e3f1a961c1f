// @ts-check
// The UI scenario: a plain workbench (no smoke-test driver, so notifications behave as for a user),
// with the extension loaded from the repository through the server's --extensionDevelopmentPath.
// It opens long.minima, runs it from the command palette, reads live values from inside the
// results webview (two nested iframes), saves a screenshot, and stops the run from the palette.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { ARTIFACTS, ROOT } from './env.mjs';
import { startServer } from './server.mjs';

const NUMBER = /-?\d+(\.\d+)?(e[-+]?\d+)?/i;

/** @param {{ timeoutMs: number }} options */
export async function runUi(options) {
  const server = await startServer({ smokeTestDriver: false, args: ['--extensionDevelopmentPath', ROOT] });
  const { browser, page } = await launchBrowser();
  const steps = /** @type {string[]} */ ([]);
  const t0 = Date.now();
  const step = (s) => { steps.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`); console.log(`[ui] ${steps.at(-1)}`); };
  const shot = path.join(ARTIFACTS, 'ui-results-panel.png');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  page.setDefaultTimeout(options.timeoutMs);
  try {
    await page.goto(workbenchUrl(server.port, server.ws));
    await page.locator('.monaco-workbench').waitFor();
    step('workbench');
    await palette(page, 'long.minima');
    await page.locator('.tab', { hasText: 'long.minima' }).waitFor();
    await page.locator('.statusbar-item', { hasText: 'Minima' }).first().waitFor();
    step('long.minima open, language Minima');
    await palette(page, '>Minima: Run Recipe');
    const wv = page.frameLocator('iframe.webview').frameLocator('#active-frame');
    await wv.locator('#runs td', { hasText: 'running' }).first().waitFor();
    step('results panel shows the run as running');
    await wv.locator('.uplot .u-title', { hasText: 'loss' }).first().waitFor();
    // uPlot's legend shows the values under the cursor: hover the loss chart to read live numbers.
    const chart = wv.locator('.uplot', { has: wv.locator('.u-title', { hasText: /^loss$/ }) }).first();
    await page.waitForTimeout(1500);
    await chart.locator('.u-over').hover({ position: { x: 300, y: 100 } });
    const legend = (await chart.locator('.u-legend').innerText()).replace(/\s+/g, ' ');
    step(`loss legend: ${legend}`);
    const value = (await chart.locator('.u-legend .u-series:not(:first-child) .u-value').first().innerText()).trim();
    if (!NUMBER.test(value) || !Number.isFinite(Number(value.replace(/,/g, '')))) throw new Error(`the loss legend shows '${value}', not a number`);
    const table = (await wv.locator('#runs').innerText()).replace(/\s+/g, ' ');
    step(`runs table: ${table}`);
    await page.screenshot({ path: shot });
    step(`screenshot ${path.relative(ROOT, shot)}`);
    await palette(page, '>Minima: Stop Run');
    await wv.locator('#runs td', { hasText: 'cancelled' }).first().waitFor({ timeout: 10_000 });
    step('stopped: the table says cancelled');
    return { code: 0, steps, root: server.root, log: server.log };
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-failure.png') }).catch(() => undefined);
    console.error(`[ui] FAIL ${e instanceof Error ? e.stack ?? e.message : e}`);
    return { code: 1, steps, root: server.root, log: server.log };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** F1 palette; text without '>' is Quick Open. */
async function palette(page, text) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text.replace(/^>/, '') }).first().waitFor();
  await page.keyboard.press('Enter');
}
