// Runs through the real commands: each run is a forked dist/worker.js that writes a run folder
// (metrics.jsonl, summary.json) under the workspace's minima.runs.folder (.minima/runs by default).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor, type Suite } from './harness';
import { openRecipe, workspaceDir } from './workspace';

interface Summary {
  readonly id: string;
  readonly status: string;
  readonly pid: number;
  readonly steps?: number;
  readonly backend?: string;
  readonly final?: Readonly<Record<string, number>>;
}

export const runsSuite: Suite = {
  name: 'runs',
  cases: [
    {
      name: 'minima.quickRun trains moons-small for one epoch on native and writes a run folder',
      timeoutMs: 90_000,
      fn: async () => {
        const doc = await openRecipe('runs/moons-small.minima');
        const before = runIds();
        await vscode.commands.executeCommand('minima.quickRun', doc.uri);
        const id = await waitFor('the new run folder', () => runIds().find((r) => !before.includes(r)), 30_000);
        const summary = await waitFor('summary.json to say finished', () => {
          const s = readSummary(id);
          return s && s.status !== 'running' ? s : undefined;
        }, 80_000, 100);
        assert.equal(summary.status, 'finished', JSON.stringify(summary));
        const lines = fs.readFileSync(path.join(runsDir(), id, 'metrics.jsonl'), 'utf8').trim().split('\n');
        const events = lines.map((l) => JSON.parse(l) as { type: string; epoch?: number });
        assert.equal(events[0]?.type, 'started');
        assert.equal(events.at(-1)?.type, 'finished');
        // One epoch: 400 samples minus the validation split, batch 32, so a handful of steps and one epoch event.
        assert.deepEqual(events.filter((e) => e.type === 'epoch').map((e) => e.epoch), [0]);
        assert.ok(events.some((e) => e.type === 'step'), 'no step events');
        assert.equal(typeof summary.final?.['loss'], 'number', `no final loss in ${JSON.stringify(summary)}`);
        // dist/worker.js requires onnxruntime-node at run time (the repository's node_modules here),
        // so 'auto' runs native (webgpu on a hardware adapter); wasm means the bundle lost that require.
        assert.ok(summary.backend === 'native' || summary.backend === 'webgpu', `auto ran on ${summary.backend}, not native: the bundled worker did not load onnxruntime-node`);
      },
    },
    {
      name: 'a run refused before its first step (a recipe error) opens no results panel; one that starts does',
      timeoutMs: 90_000,
      fn: async () => {
        const results = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Minima Results');
        await vscode.window.tabGroups.close(results());
        const broken = await openRecipe('invalid/attributes-unknown.minima');
        const before = runIds();
        await vscode.commands.executeCommand('minima.run', broken.uri);
        // The worker refuses it before `started`; its folder (if any) says failed. No panel all the while.
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline) {
          assert.equal(results().length, 0, 'the results panel opened for a refused run');
          await new Promise((r) => setTimeout(r, 100));
        }
        const refused = runIds().filter((r) => !before.includes(r)).map(readSummary);
        assert.ok(refused.every((s) => s?.status === 'failed'), JSON.stringify(refused));
        const doc = await openRecipe('runs/moons-small.minima');
        const started = runIds();
        await vscode.commands.executeCommand('minima.quickRun', doc.uri);
        await waitFor('the results panel to open for a run that started', () => (results().length > 0 ? true : undefined), 60_000, 100);
        const id = await waitFor('the quick run folder', () => runIds().find((r) => !started.includes(r)), 30_000);
        await waitFor('the quick run to end', () => (readSummary(id)?.status !== 'running' ? true : undefined), 60_000, 100);
      },
    },
    {
      name: 'minima.stopRun stops a long run within 1 s and the summary says cancelled',
      timeoutMs: 90_000,
      fn: async () => {
        const doc = await openRecipe('runs/long.minima');
        const before = runIds();
        await vscode.commands.executeCommand('minima.run', doc.uri);
        const id = await waitFor('the new run folder', () => runIds().find((r) => !before.includes(r)), 30_000);
        await waitFor('the first steps of long.minima', () => (stepCount(id) >= 3 ? true : undefined), 60_000);
        assert.equal(readSummary(id)?.status, 'running');
        const t0 = Date.now();
        await vscode.commands.executeCommand('minima.stopRun');
        const summary = await waitFor('summary.json to leave running', () => {
          const s = readSummary(id);
          return s && (s.status !== 'running' || Date.now() - t0 > 3000) ? s : undefined;
        }, 5_000, 10);
        const ms = Date.now() - t0;
        console.log(`    summary.json says ${summary.status} ${ms} ms after the stop, ${stepCount(id)} steps`);
        // A worker killed after the run manager's 1 s grace leaves summary.json at 'running': say so plainly.
        if (summary.status === 'running') assert.fail(`summary.json still says running ${ms} ms after minima.stopRun; its worker (pid ${summary.pid}) is ${alive(summary.pid) ? 'still alive' : 'gone (killed, not stopped)'}`);
        assert.equal(summary.status, 'cancelled', JSON.stringify(summary));
        assert.ok(ms <= 1000, `took ${ms} ms to stop`);
      },
    },
  ],
};

function runsDir(): string {
  return path.join(workspaceDir(), '.minima', 'runs');
}

function runIds(): string[] {
  const dir = runsDir();
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'summary.json'))) : [];
}

function readSummary(id: string): Summary | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(runsDir(), id, 'summary.json'), 'utf8')) as Summary;
  } catch {
    // summary.json is written atomically, but the folder can appear before it does.
    return undefined;
  }
}

function stepCount(id: string): number {
  const file = path.join(runsDir(), id, 'metrics.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
