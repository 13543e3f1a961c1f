// The names a PyTorch user knows for an imported tensor. torch.onnx.export names each node after
// the module call that made it (`/encoder/layers.0/linear1/MatMul`) and keeps each parameter's
// name on its initializer (`head.weight`), except where it computed the tensor itself: a weight
// it transposed or folded a BatchNorm into becomes `onnx::MatMul_246`. For those, the name is
// rebuilt from the reading node's module path and the tensor's role there.

/** Whether an ONNX tensor name was made up by the exporter rather than taken from the model. */
export function isGeneratedName(name: string): boolean {
  return name === '' || name.startsWith('onnx::');
}

/**
 * The module path of a node named by torch.onnx.export, '' when the name carries no scope.
 * Each scope segment is a module's name in its caller, and a Sequential's children repeat the
 * Sequential's own name (`/features/features.0/Conv`): such a segment replaces nothing but adds
 * its last part, so the path is `features.0`, as in `named_parameters()`.
 */
export function modulePathOf(nodeName: string): string {
  if (!nodeName.startsWith('/')) return '';
  const segments = nodeName.split('/').slice(1, -1).filter((s) => s !== '');
  const path: string[] = [];
  for (const s of segments) {
    const last = path[path.length - 1];
    if (last !== undefined && s.startsWith(`${last}.`)) path.push(s.slice(last.length + 1));
    else path.push(s);
  }
  return path.join('.');
}

/** What an imported tensor is to the node that reads it, for naming it. */
export type NamingRole = 'weight' | 'bias' | 'norm_scale' | 'norm_bias' | 'running_mean' | 'running_var' | 'other';

/**
 * The PyTorch name of a tensor whose file name was generated: `<module>.<leaf>`, the leaf by its
 * role (a norm's scale is its `weight`, as in torch). `biasName` is the file's name of the bias
 * added right after a MatMul weight, whose leaf gives the weight's (`in_proj_bias` →
 * `in_proj_weight` for nn.MultiheadAttention). Undefined when the node has no scope.
 */
export function scopedTorchName(module: string, role: NamingRole, biasName?: string): string | undefined {
  if (role === 'weight' && biasName !== undefined && !isGeneratedName(biasName) && /bias$/.test(biasName)) {
    return biasName.replace(/bias$/, 'weight');
  }
  if (module === '' || role === 'other') return undefined;
  const leaf = role === 'norm_scale' ? 'weight' : role === 'norm_bias' ? 'bias' : role;
  return `${module}.${leaf}`;
}

/** Names made unique in order of arrival (`a`, `a_2`, …), avoiding the reserved ones. */
export function uniqueNames(names: readonly string[], reserved: ReadonlySet<string>): string[] {
  const used = new Set(reserved);
  return names.map((n) => {
    let name = n;
    for (let k = 2; used.has(name); k++) name = `${n}_${k}`;
    used.add(name);
    return name;
  });
}

/**
 * Whether a name matches a recipe's pattern: the name itself, a module path above it
 * (`encoder.layers.0` matches `encoder.layers.0.linear1.weight`), or a glob where `*` is any run
 * of characters (dots included) and `?` one character.
 */
export function matchesPattern(name: string, pattern: string): boolean {
  if (pattern === name || name.startsWith(`${pattern}.`)) return true;
  if (!/[*?]/.test(pattern)) return false;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}
