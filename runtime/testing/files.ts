// File helpers for tests and benchmarks: fixture discovery relative to the repository root.

import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every file under `dir` (recursively) whose name ends with `suffix`, sorted, as paths joined onto
 * `dir`. Hidden folders (such as the run store `.minima/`, which keeps copies of recipes) are skipped.
 */
export function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) visit(p);
      else if (e.isFile() && e.name.endsWith(suffix)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) visit(dir);
  return out;
}

/** Every recipe in `test-fixtures/` (the tests run from the repository root). */
export function fixtureRecipes(root = 'test-fixtures'): string[] {
  return filesUnder(root, '.minima');
}

/** True when snapshot tests should rewrite their expectations instead of comparing. */
export function updateExpect(): boolean {
  return process.env['UPDATE_EXPECT'] === '1';
}
