// `minima sweep --on kubernetes --emit job.yaml`: the trials as a Kubernetes Indexed Job
// (batch/v1, `completionMode: Indexed`). Pod i gets JOB_COMPLETION_INDEX = i and runs
// `minima sweep <recipe> --trial <id>` for the i-th trial id of MINIMA_TRIALS, in the image built
// from the repository's Dockerfile, with the recipe's folder on a PersistentVolumeClaim mounted at
// /workspace (the trials' run folders are written there, under .minima/sweeps/). A trial that
// fails (exit code 1: it diverged, its data is unreadable) fails its index at once
// (podFailurePolicy FailIndex); a pod lost otherwise is retried once (backoffLimitPerIndex: 1).
// Nothing here talks to a cluster: the file is the product, `kubectl apply -f` submits it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInsideReal } from '../engine';
import { printable } from '../language';
import { toYaml, type YamlValue } from './kubernetes-yaml';
import type { LoadedSweep } from './sweep';

export interface JobOptions {
  /** The manifest to write. */
  readonly file: string;
  readonly trials: readonly string[];
  readonly parallel: number;
  readonly image: string;
  readonly claim: string;
  /** The current folder: the manifest goes inside it or the recipe's folder. */
  readonly cwd: string;
}

/** The first line of every manifest written here: a file without it is not replaced. */
export const MANIFEST_HEAD = '# minima sweep: an Indexed Job';

/** The mount point of the recipe's folder in the container. */
export const WORKSPACE = '/workspace';

/** A DNS-1123 label from `s`: lower case, digits and '-', at most 63 characters, starting and ending alphanumeric. */
export function dnsLabel(s: string): string {
  const t = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  return t === '' ? 'minima' : t;
}

/** The Job object for the sweep's trials. */
export function indexedJob(o: { readonly sweepId: string; readonly recipe: string; readonly trials: readonly string[]; readonly parallel: number; readonly image: string; readonly claim: string }): YamlValue {
  const name = dnsLabel(`minima-sweep-${o.sweepId}`).slice(0, 52).replace(/-+$/, '');
  const labels = { 'app.kubernetes.io/name': 'minima', 'minima/sweep': dnsLabel(o.sweepId) };
  const n = Math.max(1, o.trials.length);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: Math.max(1, Math.min(o.parallel, n)),
      backoffLimitPerIndex: 1,
      podFailurePolicy: {
        rules: [{ action: 'FailIndex', onExitCodes: { containerName: 'trial', operator: 'In', values: [1] } }],
      },
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // The image runs as its `node` user (1000); fsGroup makes the claim writable for it.
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          containers: [
            {
              name: 'trial',
              image: o.image,
              workingDir: WORKSPACE,
              command: ['sh', '-c', 'recipe="$1"; set -- $MINIMA_TRIALS; shift "$JOB_COMPLETION_INDEX"; exec minima sweep "$recipe" --trial "$1"', 'minima-trial', o.recipe],
              env: [{ name: 'MINIMA_TRIALS', value: o.trials.join(' ') }],
              resources: { requests: { cpu: '1', memory: '1Gi' } },
              volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE }],
            },
          ],
          volumes: [{ name: 'workspace', persistentVolumeClaim: { claimName: o.claim } }],
        },
      },
    },
  };
}

/** Writes the manifest for the sweep; the path written, or a message saying why not. */
export function emitKubernetesJob(loaded: LoadedSweep, o: JobOptions): { readonly written: string } | string {
  const recipeDir = path.dirname(loaded.file);
  if (!/\.ya?ml$/i.test(o.file)) return `--emit ${printable(path.basename(o.file))} must end in .yaml or .yml (it is a Kubernetes manifest)`;
  if (!isInsideReal(o.file, o.cwd) && !isInsideReal(o.file, recipeDir)) return `--emit ${printable(o.file)} is outside both the current folder and the recipe's folder; the manifest must go inside one of them`;
  if (o.trials.length === 0) return 'every trial has finished: there is nothing to submit (--rerun all runs them again)';
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(o.file, 'utf8');
  } catch {
    existing = undefined;
  }
  if (existing !== undefined && !existing.startsWith(MANIFEST_HEAD)) return `${printable(o.file)} exists and is not a manifest minima wrote; give another --emit path`;
  const job = indexedJob({ sweepId: loaded.sweepId, recipe: path.basename(loaded.file), trials: o.trials, parallel: o.parallel, image: o.image, claim: o.claim });
  const text = `${MANIFEST_HEAD} for sweep ${printable(loaded.sweepId).replace(/\n/g, ' ')}, ${o.trials.length} trials.\n# kubectl apply -f ${printable(path.basename(o.file))}; the claim ${printable(o.claim)} holds the recipe's folder.\n${toYaml(job)}`;
  fs.writeFileSync(o.file, text);
  return { written: o.file };
}
