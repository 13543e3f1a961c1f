// The HTML report's page: one self-contained file that opens offline anywhere. It inlines the
// report bundle (client/report/main.ts with the results panel's dashboard and uPlot, built by
// webpack's `report` config into out/report/report.js and report.css: `npm run build`) and the
// runs' data as a JSON block, under a strict Content-Security-Policy: nothing remote, the one
// script and the one style allowed by their SHA-256 hashes. The runtime never imports the client:
// it reads the built bundle as text.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportPayload } from './report-data';
import { GENERATOR_TAG } from './report';

/** The id of the JSON block the page reads its data from (client/report/main.ts). */
export const REPORT_DATA_ID = 'minima-report-data';

export interface ReportBundle {
  readonly script: string;
  readonly style: string;
}

/** The built bundle, or a one-line message saying what is missing and how to build it. */
export function readReportBundle(root: string = packageRoot()): ReportBundle | string {
  const dir = path.join(root, 'out', 'report');
  try {
    return { script: fs.readFileSync(path.join(dir, 'report.js'), 'utf8'), style: fs.readFileSync(path.join(dir, 'report.css'), 'utf8') };
  } catch {
    return `the report page's bundle ${path.join('out', 'report', 'report.js')} (and report.css) is missing in ${root}; run \`npm run build\` first`;
  }
}

export function renderReportPage(payload: ReportPayload, bundle: ReportBundle): string {
  const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  // The bundle must not end the <script> element early; the CSS cannot contain `</style` either.
  const script = bundle.script.replace(/<\/(script)/gi, '<\\/$1');
  const style = bundle.style.replace(/<\/(style)/gi, '<\\/$1');
  const csp = ["default-src 'none'", `script-src ${sha(script)}`, `style-src ${sha(style)}`, 'img-src data: blob:'].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${GENERATOR_TAG}
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(payload.title)} — Minima report</title>
<style>${style}</style>
</head>
<body>
<div id="report"><noscript>This report draws its charts with JavaScript; open it in a browser with scripts enabled.</noscript></div>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForHtml(payload)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** JSON that a `<script>` block holds as data: `<`, U+2028 and U+2029 escaped, so no text ends it early. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** The folder of Minima's package.json, above this file (the source and out/ sit at different depths). */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'minima') return dir;
    } catch {
      // Not here: look further up.
    }
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..', '..');
  }
}
