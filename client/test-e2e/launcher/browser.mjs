// @ts-check
// The Debian chromium, driven by playwright-core (no browser download), opening the workbench of
// a server started by server.mjs.

import { CHROMIUM, playwright } from './env.mjs';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** @param {number} port @param {string} ws @param {Array<[string, string]>} [payload] */
export function workbenchUrl(port, ws, payload) {
  const q = `folder=${encodeURIComponent(ws)}`;
  return `http://127.0.0.1:${port}/?${q}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}

/** A path on the server machine as the workbench's remote URI (the folder MUST be absolute). */
export function remote(port, p) {
  return `vscode-remote://127.0.0.1:${port}${p}`;
}

export async function launchBrowser() {
  const browser = await playwright().chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  return { browser, page };
}
