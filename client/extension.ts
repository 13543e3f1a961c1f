// The extension's entry point: starts the bundled language server and connects VS Code to it.
// Knows `vscode` and the language client; the parser, checker and engine stay in their own
// processes (the server, and one run worker per run: see runs/features.ts).

import { LOAD_STARTED_MS } from './load-clock'; // first: it times the loading of everything below
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { window, type ExtensionContext } from 'vscode';
import { registerCheckAll } from './check-all';
import { registerRunFeatures } from './runs/features';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** What `activate` returns to other extensions and to the end-to-end tests. */
export interface MinimaApi {
  /** Milliseconds spent evaluating the bundle's modules, and in `activate` until it returned. */
  readonly activation: { readonly loadMs: number; readonly activateMs: number };
  /** Resolves with the milliseconds from `activate` until the language server answered `initialize`. */
  readonly serverReady: Promise<number>;
}

/**
 * NOTE: VS Code calls `deactivate()` without arguments, so the client that `activate` starts has to
 * be reachable from module scope; this one slot is the only module state, and `deactivate` empties it.
 */
const running: { client?: LanguageClient } = {};

export function activate(context: ExtensionContext): MinimaApi {
  const t0 = performance.now();
  const client = createClient(context);
  running.client = client;
  registerRunFeatures(context);
  registerCheckAll(context, client);
  // The server starts in the background: activation does not wait for a process to spawn and
  // answer; the client queues requests until it has.
  const serverReady = client.start().then(() => performance.now() - t0);
  serverReady.catch((e: unknown) => void window.showErrorMessage(`Minima: the language server did not start: ${e instanceof Error ? e.message : String(e)}`));
  return { activation: { loadMs: t0 - LOAD_STARTED_MS, activateMs: performance.now() - t0 }, serverReady };
}

/** Stops the server; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  const client = running.client;
  delete running.client;
  return client?.stop();
}

function createClient(context: ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'minima' }],
    synchronize: { configurationSection: 'minima' },
  };
  return new LanguageClient('minima', 'Minima Language Server', serverOptions, clientOptions);
}
