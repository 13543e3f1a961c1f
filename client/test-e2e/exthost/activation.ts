// Activation cost, as the extension measures it (MinimaApi in client/extension.ts): evaluating the
// bundle plus `activate`, which must stay under the 200 ms budget; the language server answers
// in the background. The UI scenario reads VS Code's own figure from Show Running Extensions.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Suite } from './harness';

/** The shape of client/extension.ts's MinimaApi (this project compiles apart from client/). */
interface ActivationApi {
  readonly activation: { readonly loadMs: number; readonly activateMs: number };
  readonly serverReady: Promise<number>;
}

const BUDGET_MS = 200;

export const activationSuite: Suite = {
  name: 'activation',
  cases: [
    {
      name: `loading and activating the extension takes at most ${BUDGET_MS} ms`,
      fn: async () => {
        const ext = vscode.extensions.getExtension<ActivationApi>('minima.minima');
        assert.ok(ext?.isActive, 'the extension is active');
        const api = ext.exports;
        const serverMs = await api.serverReady;
        const { loadMs, activateMs } = api.activation;
        console.log(`ACTIVATION ${JSON.stringify({ loadMs: round(loadMs), activateMs: round(activateMs), serverReadyMs: round(serverMs) })}`);
        assert.ok(loadMs + activateMs <= BUDGET_MS, `activation took ${round(loadMs + activateMs)} ms`);
      },
    },
  ],
};

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
