// @ts-check
// Keeps every core busy, as another program on the machine would: `node cpu-burner.mjs THREADS SECONDS`
// spins THREADS worker threads at normal priority and exits after SECONDS whatever happens, so a
// launcher that dies cannot leave it running. stress-mode.mjs starts it and kills it at the end.

import { isMainThread, Worker, workerData } from 'node:worker_threads';

if (isMainThread) {
  const threads = Math.max(1, Number(process.argv[2] ?? 2));
  const seconds = Math.max(1, Number(process.argv[3] ?? 60));
  const end = Date.now() + seconds * 1000;
  for (let i = 0; i < threads; i++) new Worker(new URL(import.meta.url), { workerData: { end } });
  setTimeout(() => process.exit(0), seconds * 1000).unref();
} else {
  const { end } = /** @type {{ end: number }} */ (workerData);
  let x = 0;
  while (Date.now() < end) for (let i = 0; i < 100_000; i++) x = (x * 1103515245 + 12345) % 2147483648;
  if (x < 0) console.log(x); // keeps the loop from being optimized away
}
