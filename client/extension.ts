// The extension's entry point: starts the bundled language server and connects VS Code to it.
// Knows `vscode` and the language client; the parser, checker and engine stay in their own
// processes (the server, and one run worker per run: see runs/features.ts).

import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import { registerRunFeatures } from './runs/features';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * NOTE: VS Code calls `deactivate()` without arguments, so the client that `activate` starts has to
 * be reachable from module scope; this one slot is the only module state, and `deactivate` empties it.
 */
const running: { client?: LanguageClient } = {};

export async function activate(context: ExtensionContext): Promise<void> {
  const client = createClient(context);
  running.client = client;
  registerRunFeatures(context);
  await client.start();
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
