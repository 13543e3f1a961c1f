// @ts-check
// Runs the extension-host suites (exthost/*.ts, compiled to the cache) like @vscode/test-electron:
// the workbench, started with --enable-smoke-test-driver, honours the URL payload's
// extensionDevelopmentPath and extensionTestsPath, loads the extension from the repository, calls
// the tests' run() in the Node extension host, and reports the exit code through
// window.codeAutomationExit; console output arrives through window.codeAutomationLog.

import { launchBrowser, remote, workbenchUrl } from './browser.mjs';
import { ROOT, TESTS_INDEX } from './env.mjs';
import { startServer } from './server.mjs';

/** @param {{ suites: string[], timeoutMs: number }} options @returns {Promise<{ code: number | 'timeout', results: unknown[], root: string, log: string }>} */
export async function runExthost(options) {
  const server = await startServer({ smokeTestDriver: true, env: { MINIMA_E2E_SUITES: options.suites.join(',') } });
  const { browser, page } = await launchBrowser();
  /** @type {unknown[]} */
  const results = [];
  try {
    /** @type {(code: number) => void} */
    let done = () => {};
    const exited = new Promise((resolve) => (done = resolve));
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ _type, /** @type {unknown} */ args) => {
      const line = [].concat(/** @type {never} */ (args)).map(String).join(' ');
      const m = /^SUITE-RESULT (.*)$/.exec(line);
      if (m?.[1]) results.push(JSON.parse(m[1]));
      console.log(`[exthost] ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => done(code));
    const payload = /** @type {Array<[string, string]>} */ ([['extensionDevelopmentPath', remote(server.port, ROOT)], ['extensionTestsPath', remote(server.port, TESTS_INDEX)]]);
    await page.goto(workbenchUrl(server.port, server.ws, payload));
    // NOTE: the timer is cleared once the suites exit; a pending one kept the launcher alive for the
    // whole timeout after a passing run.
    const timer = { id: /** @type {NodeJS.Timeout | undefined} */ (undefined) };
    /** @type {Promise<'timeout'>} */
    const timeout = new Promise((r) => (timer.id = setTimeout(() => r('timeout'), options.timeoutMs)));
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer.id);
    return { code: /** @type {number | 'timeout'} */ (code), results, root: server.root, log: server.log };
  } finally {
    await browser.close();
    await server.stop();
  }
}
