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
//   5. quick-runs the digits example (2:4 pruning, int8): the compression view lists its layers
//      and says pruning did not start; then, at the default split and maximised, in the dark and
//      the light theme, it asserts the dashboard's geometry (every chart canvas fills its card, no
//      horizontal scrollbar, the legend and the readout fit, a run has one colour in every chart
//      and the table) and saves grid-, compare-, scatter- and compression-<size>.png;
//   6. sets minima.runs.backend to webgpu in the Settings editor and runs a tiny recipe: the status
//      bar and the run table name the adapter (lavapipe here: `webgpu · llvmpipe (software)`);
//   7. reads VS Code's own activation time of the extension from Developer: Show Running Extensions.
// The VSIX is this platform's (onnxruntime-node and dawn.node inside), so `auto` runs native (or
// webgpu on a hardware adapter), and step 2 checks that the table and the status bar say which.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { ARTIFACTS, ROOT } from './env.mjs';
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
  // A double click on an editor tab maximises its group (the screenshots at both panel sizes).
  writeWorkspaceSetting(server.ws, 'workbench.editor.doubleClickTabToToggleEditorGroupSizes', 'maximize');
  // A 2×2 sweep run by the CLI meanwhile, as a user runs one in a terminal; the panel lists it (step 5).
  const sweep = runSweep(server.ws);
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
    const firstRow = wv.locator('#runs tbody tr').first();
    await firstRow.locator('td[data-column="status"]', { hasText: 'running' }).waitFor();
    step('▶ Run: the results panel shows the run as running');
    await firstRow.locator('td[data-column="backend"]', { hasText: new RegExp(`^${autoBackend}\\b`) }).waitFor({ timeout: 10_000 }).catch(async (e) => {
      throw new Error(`the backend cell says '${await firstRow.locator('td[data-column="backend"]').innerText()}', not ${autoBackend} (${e.message.split('\n')[0]})`);
    });
    const longStatus = page.locator('.statusbar-item', { hasText: new RegExp(`long .*· ${autoBackend}\\b`) }).first();
    await longStatus.waitFor({ timeout: 10_000 });
    step(`backend: the table says '${await firstRow.locator('td[data-column="backend"]').innerText()}', the status bar '${(await longStatus.innerText()).trim()}'`);
    const readout = await readReadout(page, wv, 'loss');
    step(`loss readout: ${readout.x}; ${readout.rows.map((r) => `${r.label}=${r.value}`).join(' ')}`);
    const value = readout.rows[0]?.value ?? '';
    if (!NUMBER.test(value) || !Number.isFinite(Number(value))) throw new Error(`the loss readout shows '${value}', not a number`);
    if (!(Number(/step (\S+)/.exec(readout.x)?.[1]?.replace(/,/g, '')) > 0)) throw new Error(`the readout's step is '${readout.x}', not a live step`);
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
    await waitUntil(async () => (await wv.locator('#runs tbody tr').count()) === 2 && (await firstRow.locator('td[data-column="status"]').innerText()).trim() === 'finished', 60_000, 'the quick rerun to finish');
    // A new run is shown with the runs the user ticked (none yet), not with every earlier run.
    const shownAfterRerun = await wv.locator('#legend .mm-legend-item').count();
    if (shownAfterRerun !== 1) throw new Error(`after the rerun the legend shows ${shownAfterRerun} runs, not only the new one`);
    step(`rerun finished: ${(await firstRow.innerText()).replace(/\s+/g, ' ')}`);

    // 4. Compare Runs: pick both; the loss chart overlays one line per run.
    await palette(page, '>Minima: Compare Runs');
    await page.locator('.quick-input-list .monaco-list-row').nth(1).waitFor();
    // A click on a row of a multi-select pick toggles it.
    for (const i of [0, 1]) await page.locator('.quick-input-list .monaco-list-row').nth(i).click();
    await page.locator('.quick-input-count', { hasText: '2' }).waitFor();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await wv.locator('#legend .mm-legend-item').count()) === 2 && new Set((await readReadout(page, wv, 'loss', 0.5)).rows.map((r) => r.label.split(' · ')[0])).size === 2, 10_000, 'the loss chart to overlay the two runs');
    step(`compare: loss readout ${JSON.stringify((await readReadout(page, wv, 'loss', 0.5)).rows)}`);
    await sizes(page, { frame: wv, ws: server.ws }, async (size) => {
      await readReadout(page, wv, 'loss', 0.6);
      await page.screenshot({ path: path.join(ARTIFACTS, `compare-${size}.png`) });
      step(`compare-${size}.png: ${JSON.stringify(await assertGeometry(wv, 'charts'))}`);
    });

    // 5. The compression view of a run that prunes and quantizes; its 1-epoch quick run stops
    // before pruning starts (epoch 10), and the view says so.
    await open(page, 'digits-sam.minima');
    await lens(page, '⚡ Quick run (1 epoch)').click();
    await waitUntil(async () => (await firstRow.getAttribute('data-run').catch(() => ''))?.endsWith('digits-sam') === true && (await firstRow.locator('td[data-column="status"]').innerText()).trim() === 'finished', 60_000, 'the digits quick run to finish');
    await wv.locator('#tab-compression').click();
    await wv.locator('#compression .mm-layer-row[data-layer="dense_1"]').first().waitFor({ timeout: 20_000 });
    const compression = (await wv.locator('#compression').innerText()).replace(/\s+/g, ' ');
    if (!/not pruned: the run stopped at epoch 1, pruning starts at epoch 10/.test(compression) || !/smaller/.test(compression) || /2:4 0\.0%/.test(compression)) throw new Error(`the compression view shows '${compression}'`);
    step(`compression view: ${compression.slice(0, 400)}`);
    await sizes(page, { frame: wv, ws: server.ws }, async (size) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `compression-${size}.png`) });
      step(`compression-${size}.png: ${JSON.stringify(await assertGeometry(wv, 'compression'))}`);
    });
    // The compare view of the three ticked runs: the scatter and parallel coordinates.
    await wv.locator('#tab-compare').click();
    await wv.locator('#scatter').waitFor();
    await sizes(page, { frame: wv, ws: server.ws }, async (size) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `scatter-${size}.png`) });
      step(`scatter-${size}.png: ${JSON.stringify(await assertGeometry(wv, 'compare'))}`);
    });
    // The grid of every chart of the three runs, in the dark theme and then the light one.
    await wv.locator('#tab-charts').click();
    await wv.locator('.mm-card[data-card="loss"] canvas').first().waitFor();
    // code-server's default theme is light: the dark pass sets VS Code's dark theme explicitly.
    for (const theme of ['dark', 'light']) {
      await setTheme(page, server.ws, theme === 'dark' ? 'Default Dark Modern' : 'Default Light Modern');
      await sizes(page, { frame: wv, ws: server.ws }, async (size) => {
        await readReadout(page, wv, 'loss', 0.4);
        await page.screenshot({ path: path.join(ARTIFACTS, `grid-${size}${theme === 'light' ? '-light' : ''}.png`) });
        step(`grid-${size} (${theme}): ${JSON.stringify(await assertGeometry(wv, 'charts'))}`);
        if (theme === 'dark' && size === 'maximised') step(await enlargeAndFilter(wv));
      });
    }
    // The sweep the CLI ran: listed in the Sweeps tab; Show ticks its four trials and compares
    // them on the swept values, the best trial ringed.
    const sweepResult = await sweep.done;
    if (sweepResult.code !== 0) throw new Error(`minima sweep exited ${sweepResult.code}: ${sweepResult.output.slice(-800)}`);
    await wv.locator('#tab-sweeps').click({ timeout: 15_000 });
    const sweepRow = wv.locator('#sweeps tr[data-sweep="digits-grid"]');
    await waitUntil(async () => /4 \/ 4 finished/.test(await sweepRow.innerText().catch(() => '')), 15_000, 'the sweep to be listed with its 4 trials finished');
    step(`sweeps tab: ${(await sweepRow.innerText()).replace(/\s+/g, ' ')}`);
    await wv.locator('#show-digits-grid').click();
    await wv.locator('#scatter').waitFor();
    await waitUntil(async () => (await wv.locator('#legend .mm-legend-item').count()) === 4, 10_000, 'the four trials to be ticked together');
    const caption = (await wv.locator('#compare').innerText()).replace(/\s+/g, ' ');
    if (!/Sweep digits-grid \(grid\): val_accuracy, higher is better/.test(caption) || !/Best val_accuracy: digits-grid #\d/.test(caption)) throw new Error(`the sweep's compare view says '${caption.slice(0, 400)}'`);
    await sizes(page, { frame: wv, ws: server.ws }, async (size) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `sweep-${size}.png`) });
      step(`sweep-${size}.png: ${JSON.stringify(await assertGeometry(wv, 'compare'))}`);
    });
    await setTheme(page, server.ws, undefined);

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
      const ended = async () => (await firstRow.locator('td[data-column="run"]').getAttribute('data-recipe')) === 'tiny-webgpu' && ['finished', 'failed', 'cancelled'].includes((await firstRow.locator('td[data-column="status"]').innerText()).trim());
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
    sweep.stop();
    await sweep.done;
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

/**
 * The hover readout of the chart card `card` under a synthetic mousemove at `at` (a fraction of
 * the plot's width): its x and one row per run (label, colour, value).
 */
async function readReadout(page, wv, card, at = 0.95) {
  const chart = wv.locator(`.mm-card[data-card="${card}"]`).first();
  await chart.locator('.u-over').waitFor();
  if (at === 0.95) await page.waitForTimeout(1500);
  // The workbench's overlay takes real pointer events over webviews, so synthesize the mousemove
  // that uPlot listens to (near the right end of the x axis: the latest steps).
  await chart.locator('.u-over').evaluate((el, f) => {
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * f, clientY: r.top + r.height / 2, bubbles: true }));
  }, at);
  return chart.locator('.mm-readout').evaluate((el) => ({
    x: el.querySelector('.mm-readout-x')?.textContent ?? '',
    rows: [...el.querySelectorAll('.mm-readout-row')].map((r) => ({ label: r.querySelector('.mm-readout-label')?.textContent ?? '', color: /** @type {HTMLElement} */ (r.querySelector('.mm-swatch')).style.background, value: r.querySelector('.mm-readout-value')?.textContent ?? '' })),
  }));
}

/**
 * Runs `fn` at the default split and with the results panel's editor group maximised, each after
 * the dashboard has laid itself out for that size (its ResizeObserver).
 * @param {{ frame: any, ws: string }} panel the webview's frame locator and the workspace folder
 */
async function sizes(page, panel, fn) {
  await clearToasts(page);
  await fn('default-split');
  await toggleMaximised(page, panel, true);
  await clearToasts(page);
  await fn('maximised');
  await toggleMaximised(page, panel, false);
}

/**
 * Maximises the results panel's editor group, or restores it: a double click on its tab (the
 * workspace settings say `maximize`, see runUi), else View: Toggle Maximize Editor Group with that
 * group active. Waits until the webview has the width, then for the dashboard's relayout.
 */
async function toggleMaximised(page, panel, maximise) {
  const done = async () => ((await panel.frame.locator('body').evaluate((b) => b.clientWidth)) > 1000) === maximise;
  await page.locator('.tab', { hasText: 'Minima Results' }).first().dblclick();
  // The pointer leaves the tab, whose hover would show in the screenshots.
  await page.mouse.move(24, 450);
  const ok = await waitUntil(done, 2_500, '').then(() => true, () => false);
  if (!ok) {
    // The webview takes the focus after the click; once it has, the palette's F1 reaches the workbench.
    await page.waitForTimeout(600);
    await palette(page, '>View: Toggle Maximize Editor Group');
    await page.mouse.move(24, 450);
    await waitUntil(done, 5_000, `the panel to be ${maximise ? 'maximised' : 'back at the split'}`);
  }
  await page.waitForTimeout(400);
}

/** Closes notification toasts (a run finished), which would cover the panel in the screenshots. */
async function clearToasts(page) {
  for (const b of await page.locator('.notifications-toasts .codicon-notifications-clear').all()) await b.click().catch(() => undefined);
}

function writeWorkspaceSetting(ws, key, value) {
  const file = path.join(ws, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  if (settings[key] === value) return;
  if (value === undefined) delete settings[key];
  else settings[key] = value;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/**
 * `minima sweep` on the digits grid fixture (four one-epoch trials, two at a time) in the test
 * workspace, with the repository's CLI: `done` resolves with its exit code and output.
 */
function runSweep(ws) {
  const dir = path.join(ws, 'sweeps');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test-fixtures', 'sweep', 'digits-grid.minima'), path.join(dir, 'digits-grid.minima'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'minima.js'), 'sweep', 'digits-grid.minima', '--parallel', '2'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  /** @type {Promise<{ code: number | null, output: string }>} */
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
  // A scenario that fails before it waits for the sweep stops it (SIGINT: the sweep stops its trials).
  return { done, stop: () => { if (child.exitCode === null) child.kill('SIGINT'); } };
}

/** Sets (or, with undefined, resets) the colour theme in the workspace settings; VS Code applies it live. */
async function setTheme(page, ws, theme) {
  writeWorkspaceSetting(ws, 'workbench.colorTheme', theme);
  // Reset: back to the default (light) theme.
  const dark = theme?.includes('Dark') ?? false;
  await waitUntil(async () => ((await page.locator('.monaco-workbench').getAttribute('class'))?.includes('vs-dark') ?? false) === dark, 10_000, `the ${theme ?? 'default'} theme`);
  await page.waitForTimeout(500);
}

/**
 * An enlarged card spans the grid's row and its chart fills it; the filter box keeps only the
 * cards whose names match (W&B's habit); both undone afterwards.
 */
async function enlargeAndFilter(wv) {
  const loss = wv.locator('.mm-card[data-card="loss"]');
  await loss.locator('.mm-icon').click();
  await wv.locator('.mm-card.mm-enlarged[data-card="loss"] canvas').waitFor();
  await waitUntil(async () => {
    const [card, grid, canvas] = await wv.locator('.mm-card[data-card="loss"]').evaluate((c) => [c.getBoundingClientRect().width, c.parentElement.clientWidth, c.querySelector('canvas').getBoundingClientRect().width]);
    return Math.abs(card - grid) <= 2 && Math.abs(canvas - (card - 22)) <= 2;
  }, 5_000, 'the enlarged loss card to span its row, its chart filling it');
  const enlarged = await wv.locator('.mm-card[data-card="loss"]').evaluate((c) => Math.round(c.getBoundingClientRect().width));
  await wv.locator('.mm-card[data-card="loss"] .mm-icon').click();
  await wv.locator('#filter').fill('grad');
  await waitUntil(async () => (await wv.locator('#charts .mm-card').count()) === 1, 5_000, 'the filter to keep only grad_norm');
  const kept = await wv.locator('#charts .mm-card').evaluateAll((cs) => cs.map((c) => c.dataset.card));
  await wv.locator('#filter').fill('');
  await waitUntil(async () => (await wv.locator('#charts .mm-card').count()) > 1, 5_000, 'the cards back after the filter is cleared');
  return `enlarged loss: ${enlarged} px wide; filter 'grad' keeps ${JSON.stringify(kept)}`;
}

/**
 * The dashboard's geometry, asserted: no horizontal scrollbar; in the charts view every chart
 * canvas fills its card (within 2 px of the card's content box) and the shared legend fits the
 * panel; a run has one colour in the table, the legend and every chart's readout; the compare
 * canvases and the compression chart fit the panel. Returns what it measured.
 */
async function assertGeometry(wv, view) {
  const g = await wv.locator('body').evaluate((body, view) => {
    const doc = document.documentElement;
    const rect = (el) => el.getBoundingClientRect();
    const out = { view, width: doc.clientWidth, scrollWidth: doc.scrollWidth, cards: [], colors: {}, problems: [] };
    if (doc.scrollWidth > doc.clientWidth + 1) out.problems.push(`horizontal scroll: ${doc.scrollWidth} > ${doc.clientWidth}`);
    const table = document.querySelector('#runs');
    if (table && rect(table).right > doc.clientWidth + 1) out.problems.push(`the run table is ${rect(table).width} px wide in ${doc.clientWidth}`);
    for (const td of document.querySelectorAll('#runs td, #runs th')) {
      // A cut cell must say what it cuts: its tooltip holds its text.
      if (td.scrollWidth > td.clientWidth + 1 && !td.getAttribute('title') && !td.querySelector('[title]') && !td.closest('[title]')) out.problems.push(`cut without a tooltip: '${td.textContent}'`);
    }
    const colorOf = (label, color, where) => {
      const seen = out.colors[label];
      if (seen && seen !== color) out.problems.push(`${label} is ${seen} in one place and ${color} in ${where}`);
      out.colors[label] = seen ?? color;
    };
    for (const row of document.querySelectorAll('#runs tbody tr')) {
      const label = row.querySelector('td[data-column="run"]')?.textContent ?? '';
      colorOf(label, row.querySelector('.mm-swatch')?.style.background ?? '', 'the table');
    }
    if (view === 'charts') {
      for (const item of document.querySelectorAll('#legend .mm-legend-item')) {
        colorOf(item.querySelector('.mm-legend-label')?.textContent ?? '', item.querySelector('.mm-swatch')?.style.background ?? '', 'the legend');
        if (rect(item).right > doc.clientWidth + 1) out.problems.push(`a legend entry ends at ${rect(item).right} px, beyond ${doc.clientWidth}`);
      }
      for (const card of document.querySelectorAll('#charts .mm-section[open] .mm-card')) {
        const canvas = card.querySelector('canvas');
        const style = getComputedStyle(card);
        const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const w = canvas ? rect(canvas).width : 0;
        out.cards.push([card.dataset.card, Math.round(rect(card).width), Math.round(w)]);
        if (Math.abs(w - inner) > 2) out.problems.push(`${card.dataset.card}: its canvas is ${w} px in a card of ${inner} px`);
        if (rect(card).right > doc.clientWidth + 1) out.problems.push(`${card.dataset.card}: the card ends at ${rect(card).right}`);
      }
    }
    if (view === 'compare') {
      for (const c of document.querySelectorAll('#compare canvas')) {
        out.cards.push([c.id, Math.round(rect(c.parentElement).width), Math.round(rect(c).width)]);
        if (rect(c).right > rect(c.parentElement).right + 1 || rect(c).width < rect(c.parentElement).width - 40) out.problems.push(`${c.id}: ${rect(c).width} px in a card of ${rect(c.parentElement).width}`);
      }
    }
    if (view === 'compression') {
      for (const r of document.querySelectorAll('#compression .mm-layer-row, #compression table')) if (rect(r).right > doc.clientWidth + 1) out.problems.push(`the compression view ends at ${rect(r).right}`);
    }
    return out;
  }, view);
  if (view === 'charts') {
    // Every chart's readout: one colour per run, the table's.
    for (const card of await wv.locator('#charts .mm-section[open] .mm-card').evaluateAll((cs) => cs.map((c) => c.dataset.card))) {
      const over = wv.locator(`.mm-card[data-card="${card}"] .u-over`);
      await over.evaluate((el) => {
        const r = el.getBoundingClientRect();
        el.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * 0.5, clientY: r.top + r.height / 2, bubbles: true }));
      });
      const fit = await wv.locator(`.mm-card[data-card="${card}"]`).evaluate((c) => {
        const ro = c.querySelector('.mm-readout');
        const a = c.getBoundingClientRect();
        const b = ro.getBoundingClientRect();
        return { rows: [...ro.querySelectorAll('.mm-readout-row')].map((r) => [r.querySelector('.mm-readout-label').textContent.split(' · ')[0], r.querySelector('.mm-swatch').style.background]), inside: b.left >= a.left - 1 && b.right <= a.right + 1 };
      });
      if (!fit.inside) g.problems.push(`${card}: the readout leaves its card`);
      // The pointer leaves again (uPlot hides the cursor; the readout goes): the next screenshot shows the charts.
      await over.evaluate((el) => el.dispatchEvent(new MouseEvent('mouseleave', { bubbles: false })));
      for (const [label, color] of fit.rows) {
        if (g.colors[label] && g.colors[label] !== color) g.problems.push(`${label} is ${g.colors[label]} in the table and ${color} in ${card}`);
      }
    }
  }
  if (g.problems.length > 0) throw new Error(`geometry (${view}, ${g.width} px): ${g.problems.join('; ')}`);
  return { width: g.width, cards: g.cards, runs: Object.keys(g.colors).length };
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
