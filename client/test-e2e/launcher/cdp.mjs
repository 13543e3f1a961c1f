// @ts-check
// A tiny Chrome DevTools Protocol client over `--remote-debugging-pipe` (no port, no dependency):
// Chromium reads commands from fd 3 and writes replies and events to fd 4, each message JSON
// ended by a NUL byte. One page target, attached in flat mode; enough for the report mode to
// open a file, evaluate expressions, collect console errors and take screenshots.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHROMIUM } from './env.mjs';

const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check', '--hide-scrollbars', '--remote-debugging-pipe'];

/**
 * Starts Chromium with a fresh profile and one page of `width` × `height` CSS pixels.
 * @param {{ width: number, height: number }} viewport
 */
export async function openBrowser(viewport) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-report-chromium-'));
  const child = spawn(CHROMIUM, [...ARGS, `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const stderr = /** @type {string[]} */ ([]);
  child.stderr?.on('data', (d) => stderr.push(String(d)));
  const toChrome = /** @type {import('node:stream').Writable} */ (child.stdio[3]);
  const fromChrome = /** @type {import('node:stream').Readable} */ (child.stdio[4]);
  let nextId = 1;
  const pending = new Map();
  const listeners = /** @type {Array<(m: any) => void>} */ ([]);
  let buffered = Buffer.alloc(0);
  fromChrome.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const msg = JSON.parse(buffered.subarray(0, end).toString('utf8'));
      buffered = buffered.subarray(end + 1);
      if (msg.id !== undefined && pending.has(msg.id)) {
        const { resolve, reject, method } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result);
      } else for (const l of listeners) l(msg);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // NOTE: a launcher that exits early (its timeout) must not leave Chromium behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  /** @param {string} method @param {object} [params] @param {string} [sessionId] @returns {Promise<any>} */
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, method });
    toChrome.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
  });
  const { targetId } = await withTimeout(send('Target.createTarget', { url: 'about:blank' }), 30_000, () => `Chromium did not answer (${stderr.join('').slice(-400)})`);
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  /** @param {string} method @param {object} [params] */
  const page = (method, params) => send(method, params, sessionId);
  const errors = /** @type {string[]} */ ([]);
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'warning' || m.params.type === 'assert')) errors.push(`console.${m.params.type}: ${m.params.args.map((a) => a.value ?? a.description ?? '').join(' ')}`);
    if (m.method === 'Runtime.exceptionThrown') errors.push(`exception: ${m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text}`);
    if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error') errors.push(`log: ${m.params.entry.text}`);
  });
  await page('Runtime.enable');
  await page('Log.enable');
  await page('Page.enable');
  await page('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false });

  return {
    errors,
    /** Opens `url` and resolves when `document.body.dataset.ready` is set (ms since navigation start), or rejects after `timeoutMs`. @param {string} url */
    async open(url, timeoutMs = 20_000) {
      errors.length = 0;
      await page('Page.navigate', { url });
      const t0 = Date.now();
      for (;;) {
        const ready = await this.evaluate('document.readyState === "complete" ? (document.body && document.body.dataset.ready) : undefined');
        if (ready !== undefined && ready !== null) return Number(ready);
        if (Date.now() - t0 > timeoutMs) throw new Error(`${url} never signalled ready in ${timeoutMs} ms (${errors.join('; ') || 'no console errors'})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** The value of a JavaScript expression in the page (awaited, returned by value). @param {string} expression */
    async evaluate(expression) {
      const r = await page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    },
    /** A PNG of the whole page (beyond the viewport) at `file`. @param {string} file */
    async screenshot(file) {
      const { cssContentSize } = await page('Page.getLayoutMetrics');
      const clip = { x: 0, y: 0, width: viewport.width, height: Math.ceil(cssContentSize.height), scale: 1 };
      const { data } = await page('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip });
      fs.writeFileSync(file, Buffer.from(data, 'base64'));
    },
    /** Lets the page's downloads go to `dir` (a link with `download` saves there). @param {string} dir */
    async downloadsTo(dir) {
      await send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
    },
    /** The page as a reader whose system prefers a dark (or the default light) theme. @param {boolean} dark */
    async colorScheme(dark) {
      await page('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }] });
    },
    async close() {
      try { await withTimeout(send('Browser.close'), 5_000, () => 'Browser.close timed out'); } catch { child.kill('SIGKILL'); }
      await withTimeout(exited, 10_000, () => 'Chromium did not exit').catch(() => child.kill('SIGKILL'));
      process.off('exit', killOnExit);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** @template T @param {Promise<T>} p @param {number} ms @param {() => string} message @returns {Promise<T>} */
function withTimeout(p, ms, message) {
  let timer;
  return Promise.race([p, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); })]).finally(() => clearTimeout(timer));
}
