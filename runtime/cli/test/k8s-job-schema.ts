// Test support: a reader for the YAML subset kubernetes-yaml.ts writes, and a check of a Job
// manifest against the fields of the Kubernetes batch/v1 Job API that an Indexed Job uses
// (required fields, types, allowed values and the API server's cross-field rules, from the API
// reference of Job, JobSpec, PodFailurePolicy, PodTemplateSpec, Container and Volume). Unknown
// fields are errors, as with `kubectl apply --validate=strict`.

type Y = string | number | boolean | null | Y[] | { [k: string]: Y };

/** Parses block mappings and sequences with JSON-style scalars; throws on anything else. */
export function parseYamlSubset(text: string): Y {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let i = 0;
  const scalar = (s: string): Y => {
    if (s === '[]') return [];
    if (s === '{}') return {};
    if (s === 'null') return null;
    if (s === 'true' || s === 'false') return s === 'true';
    if (s.startsWith('"')) return JSON.parse(s) as string;
    if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)) return Number(s);
    throw new Error(`not a scalar of the subset: ${s}`);
  };
  const key = (s: string): string => (s.startsWith('"') ? (JSON.parse(s) as string) : s);
  const splitKey = (t: string): [string, string] => {
    const m = t.startsWith('"') ? /^("(?:[^"\\]|\\.)*"):(?: (.*))?$/.exec(t) : /^([^:\s]+):(?: (.*))?$/.exec(t);
    if (!m) throw new Error(`not a mapping entry: ${t}`);
    return [key(m[1]!), m[2] ?? ''];
  };
  const block = (indent: number): Y => {
    const first = lines[i];
    if (!first || first.indent !== indent) throw new Error(`bad indentation at line ${i + 1}`);
    if (first.text.startsWith('- ') || first.text === '-') {
      const out: Y[] = [];
      while (i < lines.length && lines[i]!.indent === indent && lines[i]!.text.startsWith('- ')) {
        const rest = lines[i]!.text.slice(2);
        if (/^([A-Za-z_][A-Za-z0-9_.\/-]*|"(?:[^"\\]|\\.)*"):( |$)/.test(rest)) {
          // A mapping starting on the dash's line: re-read it as a block at indent + 2.
          lines[i] = { indent: indent + 2, text: rest };
          out.push(block(indent + 2));
        } else {
          out.push(scalar(rest));
          i++;
        }
      }
      return out;
    }
    const out: { [k: string]: Y } = {};
    while (i < lines.length && lines[i]!.indent === indent && !lines[i]!.text.startsWith('- ')) {
      const [k, v] = splitKey(lines[i]!.text);
      if (k in out) throw new Error(`duplicate key ${k}`);
      i++;
      if (v !== '') out[k] = scalar(v);
      else out[k] = block(lines[i]?.indent ?? -1);
    }
    return out;
  };
  const v = block(0);
  if (i !== lines.length) throw new Error(`unparsed text at line ${i + 1}`);
  return v;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** The problems of `job` as an Indexed Job; empty when it is valid. */
export function indexedJobProblems(job: unknown): string[] {
  const p: string[] = [];
  const obj = (v: unknown, at: string, allowed: readonly string[], required: readonly string[] = []): Record<string, unknown> | undefined => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      p.push(`${at}: must be an object`);
      return undefined;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!allowed.includes(k)) p.push(`${at}.${k}: unknown field`);
    for (const k of required) if (o[k] === undefined) p.push(`${at}.${k}: required`);
    return o;
  };
  const str = (v: unknown, at: string, re?: RegExp, max?: number) => {
    if (v === undefined) return;
    if (typeof v !== 'string') p.push(`${at}: must be a string`);
    else if ((re && !re.test(v)) || (max !== undefined && v.length > max)) p.push(`${at}: ${JSON.stringify(v)} is not valid`);
  };
  const int32 = (v: unknown, at: string, min = 0) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 2 ** 31 - 1) p.push(`${at}: must be an integer ≥ ${min}`);
  };
  const list = (v: unknown, at: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      p.push(`${at}: must be a list`);
      return [];
    }
    return v;
  };
  const strMap = (v: unknown, at: string, keyRe: RegExp, valueRe: RegExp) => {
    if (v === undefined) return;
    const o = obj(v, at, Object.keys(v as object));
    if (o) for (const [k, x] of Object.entries(o)) {
      if (!keyRe.test(k)) p.push(`${at}: key ${JSON.stringify(k)} is not valid`);
      str(x, `${at}.${k}`, valueRe, 63);
    }
  };
  const oneOf = (v: unknown, at: string, allowed: readonly string[]) => {
    if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) p.push(`${at}: must be one of ${allowed.join(', ')}`);
  };

  const root = obj(job, 'job', ['apiVersion', 'kind', 'metadata', 'spec', 'status'], ['apiVersion', 'kind', 'metadata', 'spec']);
  if (!root) return p;
  if (root['apiVersion'] !== 'batch/v1') p.push('job.apiVersion: must be batch/v1');
  if (root['kind'] !== 'Job') p.push('job.kind: must be Job');
  const meta = obj(root['metadata'], 'metadata', ['name', 'generateName', 'namespace', 'labels', 'annotations']);
  if (meta) {
    if (meta['name'] === undefined && meta['generateName'] === undefined) p.push('metadata.name: required');
    // A Job's name becomes its pods' job-name label: at most 63 characters.
    str(meta['name'], 'metadata.name', DNS_LABEL, 63);
    str(meta['namespace'], 'metadata.namespace', DNS_LABEL, 63);
    strMap(meta['labels'], 'metadata.labels', LABEL_KEY, LABEL_VALUE);
  }
  const spec = obj(root['spec'], 'spec', ['parallelism', 'completions', 'activeDeadlineSeconds', 'podFailurePolicy', 'successPolicy', 'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes', 'selector', 'manualSelector', 'template', 'ttlSecondsAfterFinished', 'completionMode', 'suspend', 'podReplacementPolicy', 'managedBy'], ['template']);
  if (!spec) return p;
  int32(spec['parallelism'], 'spec.parallelism');
  int32(spec['completions'], 'spec.completions');
  int32(spec['backoffLimit'], 'spec.backoffLimit');
  int32(spec['backoffLimitPerIndex'], 'spec.backoffLimitPerIndex');
  int32(spec['maxFailedIndexes'], 'spec.maxFailedIndexes');
  int32(spec['ttlSecondsAfterFinished'], 'spec.ttlSecondsAfterFinished');
  oneOf(spec['completionMode'], 'spec.completionMode', ['NonIndexed', 'Indexed']);
  const indexed = spec['completionMode'] === 'Indexed';
  if (indexed) {
    if (spec['completions'] === undefined) p.push('spec.completions: required when completionMode is Indexed');
    else if (typeof spec['completions'] === 'number' && spec['completions'] > 100000) p.push('spec.completions: at most 100000 for an Indexed Job');
  }
  if (spec['backoffLimitPerIndex'] !== undefined && !indexed) p.push('spec.backoffLimitPerIndex: requires completionMode Indexed');
  if (spec['maxFailedIndexes'] !== undefined) {
    if (spec['backoffLimitPerIndex'] === undefined) p.push('spec.maxFailedIndexes: requires backoffLimitPerIndex');
    if (typeof spec['completions'] === 'number' && typeof spec['maxFailedIndexes'] === 'number' && spec['maxFailedIndexes'] > spec['completions']) p.push('spec.maxFailedIndexes: must not exceed completions');
  }
  const template = obj(spec['template'], 'spec.template', ['metadata', 'spec'], ['spec']);
  const templateMeta = template?.['metadata'] !== undefined ? obj(template['metadata'], 'spec.template.metadata', ['labels', 'annotations']) : undefined;
  if (templateMeta) strMap(templateMeta['labels'], 'spec.template.metadata.labels', LABEL_KEY, LABEL_VALUE);
  const pod = template ? obj(template['spec'], 'spec.template.spec', ['containers', 'initContainers', 'restartPolicy', 'volumes', 'nodeSelector', 'serviceAccountName', 'securityContext', 'tolerations', 'affinity', 'imagePullSecrets', 'activeDeadlineSeconds', 'terminationGracePeriodSeconds'], ['containers']) : undefined;
  oneOf(pod?.['restartPolicy'], 'spec.template.spec.restartPolicy', ['Always', 'OnFailure', 'Never']);
  if (pod?.['securityContext'] !== undefined) {
    const sc = obj(pod['securityContext'], 'spec.template.spec.securityContext', ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'fsGroup', 'fsGroupChangePolicy', 'supplementalGroups']);
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) if (sc?.[f] !== undefined && (typeof sc[f] !== 'number' || !Number.isInteger(sc[f]) || (sc[f] as number) < 0)) p.push(`spec.template.spec.securityContext.${f}: must be an integer ≥ 0`);
    oneOf(sc?.['fsGroupChangePolicy'], 'spec.template.spec.securityContext.fsGroupChangePolicy', ['OnRootMismatch', 'Always']);
  }
  if (pod && pod['restartPolicy'] !== 'Never' && pod['restartPolicy'] !== 'OnFailure') p.push('spec.template.spec.restartPolicy: a Job needs Never or OnFailure');
  const containerNames = new Set<string>();
  const volumeNames = new Set<string>();
  for (const [k, v] of list(pod?.['volumes'], 'spec.template.spec.volumes').entries()) {
    const at = `spec.template.spec.volumes[${k}]`;
    const vol = obj(v, at, ['name', 'persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap', 'secret', 'nfs'], ['name']);
    if (!vol) continue;
    str(vol['name'], `${at}.name`, DNS_LABEL, 63);
    if (typeof vol['name'] === 'string') volumeNames.add(vol['name']);
    const sources = Object.keys(vol).filter((x) => x !== 'name');
    if (sources.length !== 1) p.push(`${at}: exactly one volume source, not ${sources.length}`);
    if (vol['persistentVolumeClaim'] !== undefined) {
      const pvc = obj(vol['persistentVolumeClaim'], `${at}.persistentVolumeClaim`, ['claimName', 'readOnly'], ['claimName']);
      str(pvc?.['claimName'], `${at}.persistentVolumeClaim.claimName`, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 253);
    }
  }
  const containers = list(pod?.['containers'], 'spec.template.spec.containers');
  if (pod && containers.length === 0) p.push('spec.template.spec.containers: at least one container');
  for (const [k, v] of containers.entries()) {
    const at = `spec.template.spec.containers[${k}]`;
    const c = obj(v, at, ['name', 'image', 'command', 'args', 'workingDir', 'env', 'resources', 'volumeMounts', 'imagePullPolicy'], ['name', 'image']);
    if (!c) continue;
    str(c['name'], `${at}.name`, DNS_LABEL, 63);
    if (typeof c['name'] === 'string') containerNames.add(c['name']);
    str(c['image'], `${at}.image`, /^\S+$/);
    for (const f of ['command', 'args']) for (const [j, x] of list(c[f], `${at}.${f}`).entries()) str(x, `${at}.${f}[${j}]`);
    str(c['workingDir'], `${at}.workingDir`, /^\//);
    oneOf(c['imagePullPolicy'], `${at}.imagePullPolicy`, ['Always', 'IfNotPresent', 'Never']);
    for (const [j, e] of list(c['env'], `${at}.env`).entries()) {
      const env = obj(e, `${at}.env[${j}]`, ['name', 'value', 'valueFrom'], ['name']);
      str(env?.['name'], `${at}.env[${j}].name`, /^[-._a-zA-Z][-._a-zA-Z0-9]*$/);
      str(env?.['value'], `${at}.env[${j}].value`);
    }
    if (c['resources'] !== undefined) {
      const r = obj(c['resources'], `${at}.resources`, ['requests', 'limits']);
      for (const kind of ['requests', 'limits']) if (r?.[kind] !== undefined) strMap(r[kind], `${at}.resources.${kind}`, /^[a-z0-9.\/-]+$/, QUANTITY);
    }
    for (const [j, m] of list(c['volumeMounts'], `${at}.volumeMounts`).entries()) {
      const mount = obj(m, `${at}.volumeMounts[${j}]`, ['name', 'mountPath', 'readOnly', 'subPath'], ['name', 'mountPath']);
      str(mount?.['mountPath'], `${at}.volumeMounts[${j}].mountPath`, /^\//);
      if (typeof mount?.['name'] === 'string' && !volumeNames.has(mount['name'])) p.push(`${at}.volumeMounts[${j}].name: no volume named ${mount['name']}`);
    }
  }
  if (spec['podFailurePolicy'] !== undefined) {
    if (pod?.['restartPolicy'] !== 'Never') p.push('spec.podFailurePolicy: requires restartPolicy Never');
    const pfp = obj(spec['podFailurePolicy'], 'spec.podFailurePolicy', ['rules'], ['rules']);
    for (const [k, r] of list(pfp?.['rules'], 'spec.podFailurePolicy.rules').entries()) {
      const at = `spec.podFailurePolicy.rules[${k}]`;
      const rule = obj(r, at, ['action', 'onExitCodes', 'onPodConditions'], ['action']);
      if (!rule) continue;
      oneOf(rule['action'], `${at}.action`, ['FailJob', 'FailIndex', 'Ignore', 'Count']);
      if (rule['action'] === 'FailIndex' && spec['backoffLimitPerIndex'] === undefined) p.push(`${at}.action: FailIndex requires backoffLimitPerIndex`);
      if ((rule['onExitCodes'] === undefined) === (rule['onPodConditions'] === undefined)) p.push(`${at}: exactly one of onExitCodes and onPodConditions`);
      if (rule['onExitCodes'] !== undefined) {
        const ec = obj(rule['onExitCodes'], `${at}.onExitCodes`, ['containerName', 'operator', 'values'], ['operator', 'values']);
        oneOf(ec?.['operator'], `${at}.onExitCodes.operator`, ['In', 'NotIn']);
        if (typeof ec?.['containerName'] === 'string' && !containerNames.has(ec['containerName'])) p.push(`${at}.onExitCodes.containerName: no container named ${ec['containerName']}`);
        const values = list(ec?.['values'], `${at}.onExitCodes.values`);
        if (values.length === 0 || values.length > 255) p.push(`${at}.onExitCodes.values: 1 to 255 values`);
        values.forEach((x, j) => int32(x, `${at}.onExitCodes.values[${j}]`, ec?.['operator'] === 'In' ? 1 : 0));
        if (values.some((x, j) => j > 0 && (x as number) <= (values[j - 1] as number))) p.push(`${at}.onExitCodes.values: must be sorted and unique`);
      }
    }
  }
  return p;
}
