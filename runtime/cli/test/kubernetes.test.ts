// `minima sweep --on kubernetes --emit job.yaml`: the YAML emitter, the Indexed Job checked against
// the batch/v1 Job schema's fields and rules, the pod's command picking its trial by
// JOB_COMPLETION_INDEX, and the CLI writing the manifest for the trials still to run.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../testing/cli';
import { dnsLabel, indexedJob, MANIFEST_HEAD } from '../kubernetes';
import { quote, toYaml } from '../kubernetes-yaml';
import { indexedJobProblems, parseYamlSubset } from './k8s-job-schema';

const FIXTURE = path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-grid.minima');

test('the YAML emitter writes block mappings and sequences, and quotes every string', () => {
  assert.equal(toYaml({ a: 1, b: 'x', c: true, d: null }), 'a: 1\nb: "x"\nc: true\nd: null\n');
  assert.equal(toYaml({ list: [1, 'two'], empty: [], none: {}, skipped: undefined }), 'list:\n  - 1\n  - "two"\nempty: []\nnone: {}\n');
  assert.equal(toYaml({ items: [{ name: 'a', value: 'b' }, { name: 'c' }] }), 'items:\n  - name: "a"\n    value: "b"\n  - name: "c"\n');
  assert.equal(toYaml({ nested: [[1, 2], { deep: { x: 'y' } }] }), 'nested:\n  - - 1\n    - 2\n  - deep:\n      x: "y"\n');
  // Strings that YAML would read as something else stay strings; keys that are not plain are quoted.
  assert.equal(toYaml({ 'app.kubernetes.io/name': 'true', 'a key': '1', yes: '#x: y' }), 'app.kubernetes.io/name: "true"\n"a key": "1"\n"yes": "#x: y"\n');
  assert.equal(quote('a"b\\c\n\u2028\u0085'), '"a\\"b\\\\c\\n\\u2028\\u0085"');
  assert.throws(() => toYaml({ x: Number.NaN }), /cannot hold/);
  // The tests' reader reads back what the emitter writes.
  const value = { a: [{ b: [1, 'x: "y"'], c: {} }, 'z'], 'd e': { f: false } };
  assert.deepEqual(parseYamlSubset(toYaml(value)), value);
});

test('the Indexed Job for a sweep is valid against the batch/v1 Job schema', () => {
  const job = indexedJob({ sweepId: 'Digits_Grid', recipe: 'grid.minima', trials: ['0a1b2c3d4e5f', '1a1b2c3d4e5f', '2a1b2c3d4e5f'], parallel: 2, image: 'minima:latest', claim: 'minima-workspace' });
  const text = toYaml(job);
  const parsed = parseYamlSubset(text) as Record<string, any>;
  assert.deepEqual(indexedJobProblems(parsed), []);
  assert.equal(parsed['spec'].completionMode, 'Indexed');
  assert.equal(parsed['spec'].completions, 3);
  assert.equal(parsed['spec'].parallelism, 2);
  assert.equal(parsed['spec'].backoffLimitPerIndex, 1);
  assert.equal(parsed['metadata'].name, 'minima-sweep-digits-grid');
  const c = parsed['spec'].template.spec.containers[0];
  assert.equal(c.env[0].value, '0a1b2c3d4e5f 1a1b2c3d4e5f 2a1b2c3d4e5f');
  assert.equal(parsed['spec'].template.spec.volumes[0].persistentVolumeClaim.claimName, 'minima-workspace');
  // The checker is not a rubber stamp: each broken rule is named.
  const broken = (edit: (j: Record<string, any>) => void) => {
    const j = parseYamlSubset(text) as Record<string, any>;
    edit(j);
    return indexedJobProblems(j).join('; ');
  };
  assert.match(broken((j) => delete j['spec'].completions), /completions: required when completionMode is Indexed/);
  assert.match(broken((j) => (j['spec'].completionMode = 'indexed')), /completionMode: must be one of/);
  assert.match(broken((j) => (j['spec'].template.spec.restartPolicy = 'Always')), /a Job needs Never or OnFailure/);
  assert.match(broken((j) => (j['spec'].template.spec.restartPolicy = 'OnFailure')), /podFailurePolicy: requires restartPolicy Never/);
  assert.match(broken((j) => delete j['spec'].backoffLimitPerIndex), /FailIndex requires backoffLimitPerIndex/);
  assert.match(broken((j) => (j['spec'].template.spec.containers[0].volumeMounts[0].name = 'other')), /no volume named other/);
  assert.match(broken((j) => (j['metadata'].name = 'Bad_Name')), /metadata.name/);
  assert.match(broken((j) => (j['spec'].parallelism = -1)), /parallelism: must be an integer/);
  assert.match(broken((j) => (j['spec'].template.spec.containers[0].resources.requests.cpu = 'lots')), /requests.cpu/);
  assert.match(broken((j) => (j['spec'].completion = 3)), /spec.completion: unknown field/);
  assert.match(broken((j) => (j['spec'].podFailurePolicy.rules[0].onExitCodes.values = [0])), /values\[0\]: must be an integer ≥ 1/);
  assert.match(broken((j) => delete j['spec'].template.spec.containers[0].image), /image: required/);
  assert.match(broken((j) => (j['spec'].template.spec.securityContext.fsGroup = 'node')), /fsGroup: must be an integer/);
  // Long or odd sweep names still give a valid name.
  assert.equal(dnsLabel('--Weird name!--'), 'weird-name');
  const long = indexedJob({ sweepId: 'x'.repeat(200), recipe: 'r.minima', trials: ['0a1b2c3d4e5f'], parallel: 8, image: 'i', claim: 'c' }) as Record<string, any>;
  assert.deepEqual(indexedJobProblems(long), []);
  assert.equal(long['spec'].parallelism, 1, 'never more pods at once than trials');
});

test("the pod's command runs the trial at JOB_COMPLETION_INDEX", () => {
  const job = indexedJob({ sweepId: 's', recipe: 'my recipe.minima', trials: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'cccccccccccc'], parallel: 1, image: 'i', claim: 'c' }) as Record<string, any>;
  const c = job['spec'].template.spec.containers[0];
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-k8s-'));
  fs.writeFileSync(path.join(bin, 'minima'), '#!/bin/sh\nprintf "%s|" "$@"\n', { mode: 0o755 });
  for (const [index, id] of [[0, 'aaaaaaaaaaaa'], [2, 'cccccccccccc']] as const) {
    const r = spawnSync(c.command[0], c.command.slice(1), { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, MINIMA_TRIALS: c.env[0].value, JOB_COMPLETION_INDEX: String(index) } });
    assert.equal(r.stdout, `sweep|my recipe.minima|--trial|${id}|`);
  }
});

test('minima sweep --on kubernetes --emit writes the manifest of the trials still to run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-k8s-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  const r = runCli(['sweep', 'grid.minima', '--on', 'kubernetes', '--emit', 'job.yaml', '--image', 'registry.example/minima:1', '--parallel', '3'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote job.yaml: an Indexed Job of 4 trials, 3 at a time; `kubectl apply -f job.yaml`/);
  const text = fs.readFileSync(path.join(dir, 'job.yaml'), 'utf8');
  assert.ok(text.startsWith(MANIFEST_HEAD));
  const job = parseYamlSubset(text) as Record<string, any>;
  assert.deepEqual(indexedJobProblems(job), []);
  assert.equal(job['spec'].completions, 4);
  assert.equal(job['spec'].template.spec.containers[0].image, 'registry.example/minima:1');
  // The ids are the sweep's own: `--trial` accepts each of them.
  const ids = (job['spec'].template.spec.containers[0].env[0].value as string).split(' ');
  assert.equal(ids.length, 4);
  const status = runCli(['sweep', 'grid.minima', '--status'], { cwd: dir });
  for (const id of ids) assert.match(status.stdout, new RegExp(`trial \\d ${id} pending`));
  // Usage errors are clear, and a file that is not a manifest is never replaced.
  const noEmit = runCli(['sweep', 'grid.minima', '--on', 'kubernetes'], { cwd: dir });
  assert.equal(noEmit.code, 2);
  assert.match(noEmit.stderr, /give --emit job.yaml/);
  fs.writeFileSync(path.join(dir, 'other.yaml'), 'kind: Deployment\n');
  const foreign = runCli(['sweep', 'grid.minima', '--on', 'kubernetes', '--emit', 'other.yaml'], { cwd: dir });
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr, /not a manifest minima wrote/);
  assert.equal(fs.readFileSync(path.join(dir, 'other.yaml'), 'utf8'), 'kind: Deployment\n');
  const outside = runCli(['sweep', 'grid.minima', '--on', 'kubernetes', '--emit', '../job.yaml'], { cwd: dir });
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /outside both the current folder and the recipe's folder/);
});
