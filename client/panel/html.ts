// The results panel's HTML: a strict Content-Security-Policy (no remote content, scripts only with
// this load's nonce, styles from the extension; uPlot styles its elements through the CSSOM, which CSP allows).
// Knows nothing about `vscode`: the panel passes the webview's URIs and CSP source as strings.

import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** The webview's `cspSource` (its own resource origin). */
  readonly cspSource: string;
  /** webview URIs of dist/webview.js and dist/webview.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function panelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? newNonce();
  const csp = [
    "default-src 'none'",
    `img-src ${input.cspSource} data: blob:`,
    `style-src ${input.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${input.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>Minima results</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
