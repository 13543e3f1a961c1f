// @ts-check
// The UI scenario: a plain workbench (no smoke-test driver, so notifications behave as for a user),
// with the extension installed from a VSIX packed from the repository (vsix.mjs).
// It opens long.minima, runs it from the command palette, reads live values from inside the
// results webview (two nested iframes), saves a screenshot, and stops the run from the palette.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { ARTIFACTS, ROOT } from './env.mjs';
import { startServer } from './server.mjs';
import { packVsix } from './vsix.mjs';

const NUMBER = /-?\d+(\.\d+)?(e[-+]?\d+)?/i;

/** @param {{ timeoutMs: number }} options */
export async function runUi(options) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer({ smokeTestDriver: false, vsix: packVsix(path.join(ARTIFACTS, 'minima-e2e.vsix')) });
  const { browser, page } = await launchBrowser();
  const steps = /** @type {string[]} */ ([]);
  const t0 = Date.now();
  const step = (s) => { steps.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`); console.log(`[ui] ${steps.at(-1)}`); };
  const shot = path.join(ARTIFACTS, 'ui-results-panel.png');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  page.setDefaultTimeout(Math.min(options.timeoutMs, 30_000));
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
    // The workbench's overlay takes real pointer events over webviews, so synthesize the mousemove
    // that uPlot listens to, near the right end of the x axis (the latest steps).
    await chart.locator('.u-over').evaluate((el) => {
      const r = el.getBoundingClientRect();
      el.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * 0.95, clientY: r.top + r.height / 2, bubbles: true }));
    });
    const legend = await chart.locator('.u-legend .u-series').evaluateAll((rows) => rows.map((r) => [r.querySelector('.u-label')?.textContent ?? '', r.querySelector('.u-value')?.textContent ?? '']));
    step(`loss legend: ${legend.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    const value = legend.find(([k]) => k === 'loss')?.[1]?.trim() ?? '';
    if (!NUMBER.test(value) || !Number.isFinite(Number(value.replace(/,/g, '')))) throw new Error(`the loss series of the legend shows '${value}', not a number`);
    const stepValue = Number((legend[0]?.[1] ?? '').replace(/,/g, ''));
    if (!(stepValue > 0)) throw new Error(`the legend's step is '${legend[0]?.[1]}', not a live step`);
    const table = (await wv.locator('#runs').innerText()).replace(/\s+/g, ' ');
    step(`runs table: ${table}`);
    await page.screenshot({ path: shot });
    step(`screenshot ${path.relative(ROOT, shot)}`);
    const tStop = Date.now();
    await palette(page, '>Minima: Stop Run');
    if (process.env.MINIMA_E2E_DEBUG) { await page.waitForTimeout(1500); await page.screenshot({ path: path.join(ARTIFACTS, 'debug-after-stop.png') }); }
    // The status cell (4th) leaves 'running' once the worker is gone; the exthost suite checks that it says 'cancelled'.
    const status = wv.locator('#runs tr').nth(1).locator('td').nth(3);
    await waitUntil(async () => (await status.innerText()).trim() !== 'running', 10_000, 'the run to leave running after Minima: Stop Run').catch((e) => {
      throw new Error(`${e.message}; worker processes: ${workerStates(server.ws)}`);
    });
    step(`stopped after ${Date.now() - tStop} ms: the table says ${(await status.innerText()).trim()}`);
    await page.locator('.statusbar-item', { hasText: /long \d+%/ }).waitFor({ state: 'detached', timeout: 5_000 });
    step('the status bar item is gone');
    return { code: 0, steps, root: server.root, log: server.log };
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-failure.png') }).catch(() => undefined);
    const runs = path.join(server.ws, '.minima', 'runs');
    if (fs.existsSync(runs)) fs.cpSync(runs, path.join(ARTIFACTS, 'ui-failure-runs'), { recursive: true });
    console.error(`[ui] FAIL ${e instanceof Error ? e.stack ?? e.message : e}`);
    return { code: 1, steps, root: server.root, log: server.log };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * F1 palette; text without '>' is Quick Open. The matching row is clicked rather than Enter pressed:
 * the palette's fuzzy match ranks recently used commands first ("Minima: Run Recipe" for "Stop Run").
 */
async function palette(page, text) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(text);
  const label = text.replace(/^>/, '');
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label.replace(/^.*: /, '') }) }).first();
  await row.waitFor();
  if (process.env.MINIMA_E2E_DEBUG) await page.screenshot({ path: path.join(ARTIFACTS, `debug-palette-${label.replace(/\W+/g, '_')}.png`) });
  await row.click();
}

async function waitUntil(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 'pid alive|gone' for each run folder of the workspace, to tell a stop that never came from a kill. */
function workerStates(ws) {
  const dir = path.join(ws, '.minima', 'runs');
  if (!fs.existsSync(dir)) return 'no run folder';
  return fs.readdirSync(dir).map((id) => {
    const s = JSON.parse(fs.readFileSync(path.join(dir, id, 'summary.json'), 'utf8'));
    const alive = (() => { try { process.kill(s.pid, 0); return true; } catch { return false; } })();
    return `${id} ${s.status} pid ${s.pid} ${alive ? 'alive' : 'gone'}`;
  }).join('; ');
}
