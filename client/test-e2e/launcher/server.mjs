// @ts-check
// One VS Code server (code-server's lib/vscode/out/server-main.js under Node 24) with fresh state:
// every directory it may write (user data, extensions, XDG_*, TMPDIR, the workspace) lives in one
// temp folder. It runs in its own process group, so stopping it also ends the extension host,
// the language server, run workers and the agent helpers that would otherwise be orphaned.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyFixtures, NODE24_BIN, SERVER_MAIN } from './env.mjs';

/**
 * @typedef {{ root: string, ws: string, port: number, log: string, stop: () => Promise<void> }} Server
 * @param {{ smokeTestDriver: boolean, env?: Record<string, string>, vsix?: string }} options
 * @returns {Promise<Server>}
 */
export async function startServer(options) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-e2e-'));
  const dir = (name) => (fs.mkdirSync(path.join(root, name), { recursive: true }), path.join(root, name));
  const data = dir('data');
  const ext = dir('ext');
  const ws = dir('ws');
  copyFixtures(ws);
  fs.mkdirSync(path.join(data, 'User'), { recursive: true });
  fs.writeFileSync(path.join(data, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    // The secondary side bar would hold only the (disabled) chat; hidden, the editors get its width.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));
  const port = await freePort();
  const log = path.join(root, 'server.log');
  const args = [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
    '--telemetry-level', 'off', '--disable-workspace-trust', '--server-data-dir', data, '--user-data-dir', data, '--extensions-dir', ext,
    '--reconnection-grace-time', '5', ...(options.smokeTestDriver ? ['--enable-smoke-test-driver'] : [])];
  const env = {
    ...process.env,
    PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: dir('xdg/config'), XDG_DATA_HOME: dir('xdg/data'), XDG_CACHE_HOME: dir('xdg/cache'), XDG_STATE_HOME: dir('xdg/state'),
    TMPDIR: dir('tmp'),
    ...options.env,
  };
  // NOTE: no XDG_RUNTIME_DIR, as in many remote and container extension hosts: the run worker
  // then makes its own (client/worker-env.ts), which Dawn (webgpu) needs.
  delete env['XDG_RUNTIME_DIR'];
  if (options.vsix) {
    const dirs = ['--server-data-dir', data, '--user-data-dir', data, '--extensions-dir', ext];
    const r = spawnSync(path.join(NODE24_BIN, 'node'), [SERVER_MAIN, ...dirs, '--accept-server-license-terms', '--install-extension', options.vsix], { env, encoding: 'utf8', timeout: 60_000 });
    fs.appendFileSync(log, `${r.stdout}${r.stderr}`);
    if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`installing ${options.vsix} failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
  // detached = setsid: the server leads a new process group, killed as a whole in stop().
  const out = fs.openSync(log, 'a');
  const child = spawn(path.join(NODE24_BIN, 'node'), args, { detached: true, stdio: ['ignore', out, out], env });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.pid === undefined) return;
    for (const [signal, wait] of /** @type {const} */ ([['SIGTERM', 3000], ['SIGKILL', 1000]])) {
      try { process.kill(-child.pid, signal); } catch { return; } // ESRCH: the group is gone
      await within(exited.then(() => sleep(200)), wait);
    }
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, exited);
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}\n--- server.log ---\n${fs.readFileSync(log, 'utf8').slice(-4000)}`);
  }
  return { root, ws, port, log, stop };
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

/** Waits for `p` at most `ms`; the timer is cleared either way, so nothing pending keeps the launcher alive. */
async function within(p, ms) {
  const timer = { id: /** @type {NodeJS.Timeout | undefined} */ (undefined) };
  try {
    await Promise.race([p, new Promise((r) => (timer.id = setTimeout(r, ms)))]);
  } finally {
    clearTimeout(timer.id);
  }
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

function waitForHttp(url, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  const state = { dead: false };
  void exited.then(() => (state.dead = true));
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (state.dead) return reject(new Error('the VS Code server exited during startup'));
      if (Date.now() > deadline) return reject(new Error(`the VS Code server did not answer ${url} within ${timeoutMs} ms`));
      http.get(url, (res) => { res.resume(); res.statusCode && res.statusCode < 500 ? resolve(undefined) : setTimeout(attempt, 200); })
        .on('error', () => setTimeout(attempt, 200));
    };
    attempt();
  });
}
