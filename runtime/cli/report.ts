// The HTML report's contract with the files it writes: a page Minima wrote carries GENERATOR_TAG
// in its first lines, so a later `minima run --report` or `minima report` may replace it, and
// nothing else (outputs.ts). The page itself: report-page.ts; its data: report-data.ts; the
// command: report-command.ts.

/** Marks a page as Minima's report, so that a later run may replace it (and only it). */
export const GENERATOR_TAG = '<meta name="generator" content="minima">';

/** True when the first bytes of a file are a report that Minima wrote (the tag sits in the first lines). */
export function isMinimaReport(head: Uint8Array): boolean {
  return new TextDecoder().decode(head).includes(GENERATOR_TAG);
}
