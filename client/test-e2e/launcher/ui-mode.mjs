// @ts-check
// The UI scenario, as a new user goes through it: a plain workbench (no smoke-test driver, so
// notifications behave as for a user) with the extension installed from the VSIX that
// `npm run package` makes (vsix.mjs). It
//   1. opens a broken recipe and sees its errors underlined;
//   2. opens long.minima and clicks the `▶ Run` code lens: the results panel opens and shows the
//      run as running; it reads live loss values from inside the webview (two nested iframes) and
//      saves a screenshot;
//   3. stops the run with the panel's Stop button, then reruns it with `⚡ Quick run (1 epoch)`;
//   4. compares the two runs (Minima: Compare Runs, both picked): the loss chart overlays them;
//   5. quick-runs the digits example (2:4 pruning, int8): the compression view lists its layers;
//   6. sets minima.runs.backend to webgpu in the Settings editor and runs a tiny recipe: the status
//      bar and the run table name the adapter (lavapipe here: `webgpu · llvmpipe (software)`);
//   7. reads VS Code's own activation time of the extension from Developer: Show Running Extensions.
// The VSIX is this platform's (onnxruntime-node and dawn.node inside), so `auto` runs native (or
// webgpu on a hardware adapter), and step 2 checks that the table and the status bar say which.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { ARTIFACTS } from './env.mjs';
import { startServer } from './server.mjs';
import { hostTarget } from './vsix.mjs';
import { probeWebgpu } from './webgpu.mjs';
import { lens, open, palette, waitUntil } from './workbench.mjs';

const NUMBER = /-?\d+(\.\d+)?(e[-+]?\d+)?/i;

/** @param {{ timeoutMs: number, vsix: string }} options (vsix: this platform's, from vsix.mjs) */
export async function runUi(options) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const vsix = options.vsix;
  // What `auto` picks in a platform VSIX: webgpu on a hardware adapter, else native (wasm in the generic VSIX).
  const gpu = probeWebgpu();
  const autoBackend = hostTarget() === 'universal' ? 'wasm' : gpu.kind === 'hardware' ? 'webgpu' : 'native';
  console.log(`[ui] WebGPU here: ${gpu.kind === 'none' ? `none (${gpu.reason})` : `${gpu.kind}, ${gpu.description}`}; auto should run ${autoBackend}`);
  const server = await startServer({ smokeTestDriver: false, vsix });
  const { browser, page } = await launchBrowser();
  const steps = /** @type {string[]} */ ([]);
  const measured = /** @type {Record<string, unknown>} */ ({});
  const t0 = Date.now();
  const step = (s) => { steps.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`); console.log(`[ui] ${steps.at(-1)}`); };
  page.setDefaultTimeout(Math.min(options.timeoutMs, 30_000));
  try {
    await page.goto(workbenchUrl(server.port, server.ws));
    await page.locator('.monaco-workbench').waitFor();
    step('workbench');

    // 1. Diagnostics, as the user sees them.
    await open(page, 'attributes-unknown.minima');
    await page.locator('.editor-group-container.active .squiggly-error').first().waitFor();
    step(`attributes-unknown.minima: ${await page.locator('.editor-group-container.active .squiggly-error').count()} error squiggles`);

    // 2. ▶ Run from the code lens; live values in the results panel.
    await open(page, 'long.minima');
    await page.locator('.statusbar-item', { hasText: 'Minima' }).first().waitFor();
    await lens(page, '▶ Run').click();
    const wv = page.frameLocator('iframe.webview').frameLocator('#active-frame');
    const firstRow = wv.locator('#runs tr').nth(1);
    await firstRow.locator('td[data-column="status"]', { hasText: 'running' }).waitFor();
    step('▶ Run: the results panel shows the run as running');
    await firstRow.locator('td[data-column="backend"]', { hasText: new RegExp(`^${autoBackend}\\b`) }).waitFor({ timeout: 10_000 }).catch(async (e) => {
      throw new Error(`the backend cell says '${await firstRow.locator('td[data-column="backend"]').innerText()}', not ${autoBackend} (${e.message.split('\n')[0]})`);
    });
    const longStatus = page.locator('.statusbar-item', { hasText: new RegExp(`long .*· ${autoBackend}\\b`) }).first();
    await longStatus.waitFor({ timeout: 10_000 });
    step(`backend: the table says '${await firstRow.locator('td[data-column="backend"]').innerText()}', the status bar '${(await longStatus.innerText()).trim()}'`);
    const legend = await readLegend(page, wv, 'loss');
    step(`loss legend: ${legend.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    const value = legend.find(([k]) => k === 'loss')?.[1]?.trim() ?? '';
    if (!NUMBER.test(value) || !Number.isFinite(Number(value.replace(/,/g, '')))) throw new Error(`the loss series of the legend shows '${value}', not a number`);
    if (!(Number((legend[0]?.[1] ?? '').replace(/,/g, '')) > 0)) throw new Error(`the legend's step is '${legend[0]?.[1]}', not a live step`);
    step(`runs table: ${(await wv.locator('#runs').innerText()).replace(/\s+/g, ' ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-results-panel.png') });

    // 3. Stop from the panel, then rerun.
    await firstRow.locator('button', { hasText: 'Stop' }).click();
    const tStop = Date.now();
    await waitUntil(async () => (await firstRow.locator('td[data-column="status"]').innerText()).trim() === 'cancelled', 10_000, 'the stopped run to say cancelled').catch((e) => {
      throw new Error(`${e.message}; worker processes: ${workerStates(server.ws)}`);
    });
    measured['stopMs'] = Date.now() - tStop;
    // When the run folder said so (summary.json's mtime), apart from when the table did.
    const summaryMs = Math.round(newestSummary(server.ws).mtimeMs - tStop);
    step(`stopped from the panel: the table said cancelled ${measured['stopMs']} ms after the click (summary.json after ${summaryMs} ms)`);
    await page.locator('.statusbar-item', { hasText: /long \d+%/ }).waitFor({ state: 'detached', timeout: 5_000 });
    await open(page, 'long.minima');
    await lens(page, '⚡ Quick run (1 epoch)').click();
    await waitUntil(async () => (await wv.locator('#runs tr').count()) === 3 && (await firstRow.locator('td[data-column="status"]').innerText()).trim() === 'finished', 60_000, 'the quick rerun to finish');
    step(`rerun finished: ${(await firstRow.innerText()).replace(/\s+/g, ' ')}`);

    // 4. Compare Runs: pick both; the loss chart overlays one line per run.
    await palette(page, '>Minima: Compare Runs');
    await page.locator('.quick-input-list .monaco-list-row').nth(1).waitFor();
    // A click on a row of a multi-select pick toggles it.
    for (const i of [0, 1]) await page.locator('.quick-input-list .monaco-list-row').nth(i).click();
    await page.locator('.quick-input-count', { hasText: '2' }).waitFor();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await lossLabels(wv)).filter((l) => l.startsWith('loss · ')).length === 2, 10_000, 'the loss chart to overlay the two runs');
    step(`compare: loss chart series ${JSON.stringify(await lossLabels(wv))}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-compare.png') });

    // 5. The compression view of a run that prunes and quantizes.
    await open(page, 'digits-sam.minima');
    await lens(page, '⚡ Quick run (1 epoch)').click();
    await wv.locator('#compression:not([hidden]) td', { hasText: 'dense_1' }).first().waitFor({ timeout: 60_000 });
    const compression = (await wv.locator('#compression').innerText()).replace(/\s+/g, ' ');
    if (!/dense_1 .*2:4/.test(compression) || !/smaller/.test(compression)) throw new Error(`the compression view shows '${compression}'`);
    step(`compression view: ${compression}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-compression.png') });

    // 6. minima.runs.backend = webgpu, set in the Settings editor; a tiny run names its adapter.
    if (gpu.kind === 'none' && !process.env['CI']) {
      step(`SKIPPED the webgpu run: ${gpu.reason} (install a Vulkan driver, e.g. .ci/install-lavapipe.sh; on CI this fails instead)`);
    } else {
      await setBackend(page, server.ws, 'webgpu');
      step('Settings editor: minima.runs.backend = webgpu (written to the workspace settings)');
      await open(page, 'tiny-webgpu.minima');
      // Room for the results panel in the screenshots (open() needs the side bar: nothing opens after this).
      await palette(page, '>View: Toggle Primary Side Bar Visibility');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 5_000 });
      await lens(page, '▶ Run').click();
      const gpuStatus = page.locator('.statusbar-item', { hasText: /tiny-webgpu .*· webgpu · / }).first();
      await gpuStatus.waitFor({ timeout: 90_000 });
      let statusText = (await gpuStatus.innerText()).trim();
      // For the screenshot, the first steps too when they come in time (shaders compile first).
      const stepping = page.locator('.statusbar-item', { hasText: /tiny-webgpu \d+% .*· webgpu · / }).first();
      if (await stepping.waitFor({ timeout: 20_000 }).then(() => true, () => false)) statusText = (await stepping.innerText().catch(() => statusText)).trim();
      await page.screenshot({ path: path.join(ARTIFACTS, 'ui-webgpu-running.png') });
      step(`webgpu run: the status bar says '${statusText}'`);
      const ended = async () => (await firstRow.locator('td[data-column="recipe"]').innerText()).trim() === 'tiny-webgpu' && ['finished', 'failed', 'cancelled'].includes((await firstRow.locator('td[data-column="status"]').innerText()).trim());
      await waitUntil(ended, 120_000, 'the webgpu run to end');
      const summary = newestSummary(server.ws);
      if (summary?.status !== 'finished') throw new Error(`the webgpu run ended ${summary?.status}: ${summary?.message}`);
      const cell = (await firstRow.locator('td[data-column="backend"]').innerText()).trim();
      // The adapter's name as the engine recorded it (summary.json), e.g. 'llvmpipe' of 'llvmpipe: Mesa 25.0.7 …'.
      const name = String(summary?.adapter?.description || summary?.adapter?.device || '').split(':')[0].trim();
      if (summary?.backend !== 'webgpu' || !name) throw new Error(`the run's summary.json says backend ${summary?.backend}, adapter ${JSON.stringify(summary?.adapter)}`);
      const expected = `webgpu · ${name}${summary.adapter.software ? ' (software)' : ''}`;
      if (cell !== expected) throw new Error(`the backend cell says '${cell}', not '${expected}'`);
      if (!statusText.includes(expected)) throw new Error(`the status bar said '${statusText}', without '${expected}'`);
      measured['webgpuRunSeconds'] = summary.seconds;
      step(`webgpu run finished in ${summary.seconds} s: the table says '${cell}' (tooltip '${await firstRow.locator('td[data-column="backend"]').getAttribute('title')}')`);
      // NOTE: the table is rebuilt when the run list refreshes after the run's end (the row is then
      // a new element); scrolling is only for the screenshot, so it is retried on the new row.
      for (let k = 0; k < 5; k++) {
        if (await firstRow.locator('td[data-column="backend"]').scrollIntoViewIfNeeded({ timeout: 2_000 }).then(() => true, () => false)) break;
        await page.waitForTimeout(200);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, 'ui-webgpu.png') });
      await palette(page, '>View: Toggle Primary Side Bar Visibility');
    }

    // 7. VS Code's own activation figure (the extension-host suite asserts the budget on its own measurement).
    measured['activation'] = await runningExtensionsActivation(page).catch((e) => `unavailable (${e instanceof Error ? e.message.split('\n')[0] : e})`);
    step(`Show Running Extensions: Minima ${measured['activation']}`);
    console.log(`UI-MEASURED ${JSON.stringify(measured)}`);
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
 * Sets minima.runs.backend as a user does: Preferences: Open Workspace Settings, search, pick the
 * value in the setting's dropdown; then waits for .vscode/settings.json to hold it and closes the editor.
 */
async function setBackend(page, ws, value) {
  await page.locator('.part.sidebar .title').first().click();
  await palette(page, '>Preferences: Open Workspace Settings');
  await page.locator('.settings-editor').waitFor();
  await page.keyboard.type('minima.runs.backend');
  const item = page.locator('.setting-item-contents[data-key="minima.runs.backend"]').first();
  await item.locator('select').click();
  await page.locator('.monaco-select-box-dropdown-container .monaco-list-row', { hasText: new RegExp(`^${value}`) }).first().click();
  const file = path.join(ws, '.vscode', 'settings.json');
  const written = () => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'))['minima.runs.backend'] === value;
    } catch {
      return false; // not there yet, or caught half-written
    }
  };
  await waitUntil(async () => written(), 10_000, `.vscode/settings.json to set minima.runs.backend to ${value}`);
  if (process.env.MINIMA_E2E_DEBUG) await page.screenshot({ path: path.join(ARTIFACTS, `debug-settings-${value}.png`) });
  await page.keyboard.press('Escape');
  await page.locator('.settings-editor').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => page.keyboard.press('Control+W'));
}

/** The summary.json of the newest run folder of the workspace, with its mtime. */
function newestSummary(ws) {
  const dir = path.join(ws, '.minima', 'runs');
  const newest = fs.readdirSync(dir).filter((id) => fs.existsSync(path.join(dir, id, 'summary.json'))).sort().at(-1);
  if (!newest) return undefined;
  const file = path.join(dir, newest, 'summary.json');
  return { ...JSON.parse(fs.readFileSync(file, 'utf8')), mtimeMs: fs.statSync(file).mtimeMs };
}

/** The legend of the chart titled `title` under a synthetic hover near the latest steps. */
async function readLegend(page, wv, title) {
  const chart = wv.locator('.uplot', { has: wv.locator('.u-title', { hasText: new RegExp(`^${title}$`) }) }).first();
  await chart.waitFor();
  await page.waitForTimeout(1500);
  // The workbench's overlay takes real pointer events over webviews, so synthesize the mousemove
  // that uPlot listens to, near the right end of the x axis (the latest steps).
  await chart.locator('.u-over').evaluate((el) => {
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * 0.95, clientY: r.top + r.height / 2, bubbles: true }));
  });
  return chart.locator('.u-legend .u-series').evaluateAll((rows) => rows.map((r) => [r.querySelector('.u-label')?.textContent ?? '', r.querySelector('.u-value')?.textContent ?? '']));
}

/** The series labels of the loss chart. */
async function lossLabels(wv) {
  const chart = wv.locator('.uplot', { has: wv.locator('.u-title', { hasText: /^loss$/ }) }).first();
  return chart.locator('.u-legend .u-series .u-label').allInnerTexts();
}

/** Opens Developer: Show Running Extensions and reads the Minima row's activation time. */
async function runningExtensionsActivation(page) {
  await palette(page, '>Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Minima' }).first();
  await row.waitFor({ timeout: 15_000 }).catch(async (e) => {
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-running-extensions.png') });
    throw e;
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'ui-running-extensions.png') });
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  const ms = /(\d+)\s*ms/.exec(text);
  return ms ? `${ms[1]} ms (${text})` : `row '${text}'`;
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
