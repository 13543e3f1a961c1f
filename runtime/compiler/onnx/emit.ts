// toOnnx: serializes the part of a graph that the requested outputs depend on as a standard ONNX
// model (IR version 8, opset 17). Each op writes its own node(s) through `OpDef.emitOnnx`; this file
// only names values, collects initializers and declares inputs, outputs and intermediate types.

import type { GraphBuilder } from '../builder';
import { nodesLeadingTo } from '../grad';
import { type Attrs, type DType, type Node, type OnnxAttr, type OnnxEmitter, type OpDef, type Value, isFloat } from '../ir';
import { optimize } from '../optimize';
import { type NodeMsg, type TensorMsg, type ValueInfoMsg, ONNX_DTYPE, encodeModel, tensorBytes } from './proto';

export const ONNX_OPSET = 17;
/** IR version 8 is what ONNX 1.13 (opset 18's release) writes; ORT 1.30 reads up to 11. */
export const ONNX_IR_VERSION = 8;
/** ModelProto.producer_name of every model Minima writes; the engine reads it back to tell its own files from others. */
export const ONNX_PRODUCER = 'minima';

export interface OnnxOutput {
  readonly name: string;
  readonly value: Value;
}

export interface OnnxOptions {
  /** The graph's name (GraphProto.name). */
  readonly name: string;
  /**
   * The dtype every float value is written as. Absent: as built. 'float32' lets a graph built in
   * float64 (tests, the reference interpreter) run in single precision; constants follow.
   */
  readonly dtype?: 'float32' | 'float64';
  /**
   * ONNX ops the target execution provider has no kernel for (it would run them on the CPU, with a
   * copy each way); ops that can write themselves otherwise do (OnnxEmitter.avoids).
   */
  readonly avoid?: readonly string[];
  /**
   * Apply the graph rewrites of compiler/optimize first (default true); false writes the graph as
   * built, e.g. to compare the two forms.
   */
  readonly optimize?: boolean;
}

export function toOnnx(built: GraphBuilder, builtOutputs: readonly OnnxOutput[], options: OnnxOptions): Uint8Array {
  if (built.errors.length > 0) throw new Error(`toOnnx: the graph has shape errors: ${built.errors.map((e) => e.message).join('; ')}`);
  for (const o of builtOutputs) if (o.value.graph !== built) throw new Error(`toOnnx: output ${o.name} belongs to another graph`);
  const { graph, outputs } = options.optimize === false ? { graph: built, outputs: builtOutputs } : optimize(built, builtOutputs);
  const s = new Serializer(options.dtype, new Set(options.avoid ?? []));
  for (const v of graph.inputs) if (v.source.kind === 'input') s.claim(v.source.name, `input ${v.source.name}`);
  for (const o of outputs) s.claim(o.name, `output ${o.name}`);
  const inputs = graph.inputs.map((v) => s.nameInput(v));
  // A node output that is a graph output takes the output's name; other uses go through Identity.
  for (const o of outputs) if (o.value.source.kind === 'node' && !s.hasName(o.value)) s.setName(o.value, o.name);
  for (const node of nodesLeadingTo(...outputs.map((o) => o.value))) s.emitNode(node);
  for (const o of outputs) {
    const from = s.nameOf(o.value);
    if (from !== o.name) s.push({ opType: 'Identity', name: `output_${o.name}`, inputs: [from], outputs: [o.name], attrs: {} });
  }
  const declared = new Set([...inputs.map((i) => i.name), ...outputs.map((o) => o.name)]);
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: ONNX_PRODUCER,
    graph: {
      name: options.name,
      nodes: s.nodes,
      initializers: s.initializers,
      inputs,
      outputs: outputs.map((o) => s.info(o.name, o.value)),
      valueInfo: s.intermediates.filter((v) => !declared.has(v.name)),
    },
  });
}

/** The ONNX attribute for an IR attribute of the given declared type. */
export function onnxAttr(op: OpDef, name: string, value: Attrs[string], dtypeMap: (d: DType) => DType): OnnxAttr {
  const type = op.attrTypes[name];
  const bad = (): never => {
    throw new Error(`toOnnx: ${op.name}.${name} = ${JSON.stringify(value)} does not fit its declared type ${type ?? '(undeclared)'}`);
  };
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? { type: 'int', value } : bad();
    case 'float':
      return typeof value === 'number' ? { type: 'float', value } : bad();
    case 'ints':
      return Array.isArray(value) ? { type: 'ints', value } : bad();
    case 'string':
      return typeof value === 'string' ? { type: 'string', value } : bad();
    case 'dtype':
      return value === 'float32' || value === 'float64' || value === 'int64' || value === 'bool' ? { type: 'int', value: ONNX_DTYPE[dtypeMap(value)] } : bad();
  }
  return bad();
}

class Serializer {
  readonly nodes: NodeMsg[] = [];
  readonly initializers: TensorMsg[] = [];
  readonly intermediates: ValueInfoMsg[] = [];
  private readonly names = new Map<number, string>();
  private readonly used = new Set<string>();
  private readonly int64Cache = new Map<string, string>();

  constructor(
    private readonly floatAs: DType | undefined,
    private readonly avoided: ReadonlySet<string> = new Set(),
  ) {}

  dtypeOf = (d: DType): DType => (this.floatAs !== undefined && isFloat(d) ? this.floatAs : d);

  claim(name: string, what: string): void {
    if (name === '') throw new Error(`toOnnx: ${what} has an empty name`);
    if (this.used.has(name)) throw new Error(`toOnnx: the name ${name} is used twice (${what})`);
    this.used.add(name);
  }

  fresh(hint: string): string {
    let name = hint;
    for (let k = 2; this.used.has(name); k++) name = `${hint}_${k}`;
    this.used.add(name);
    return name;
  }

  hasName(v: Value): boolean {
    return this.names.has(v.id);
  }

  setName(v: Value, name: string): void {
    this.names.set(v.id, name);
  }

  nameInput(v: Value): ValueInfoMsg {
    if (v.source.kind !== 'input') throw new Error('toOnnx: not an input');
    this.names.set(v.id, v.source.name);
    return this.info(v.source.name, v);
  }

  /** The name of a value that exists by now: an input, a computed value, or a constant (made an initializer on first use). */
  nameOf(v: Value): string {
    const known = this.names.get(v.id);
    if (known !== undefined) return known;
    if (v.source.kind !== 'constant') throw new Error(`toOnnx: value ${v.id} is used before its node`);
    const t = v.source.tensor;
    const name = this.fresh(v.source.name ?? `const_${v.id}`);
    const dtype = this.dtypeOf(t.dtype);
    this.initializers.push({ name, dtype, dims: t.shape, raw: tensorBytes(dtype, t.data) });
    this.names.set(v.id, name);
    return name;
  }

  info(name: string, v: Value): ValueInfoMsg {
    return { name, dtype: this.dtypeOf(v.dtype), dims: v.shape };
  }

  push(n: NodeMsg): void {
    this.nodes.push(n);
  }

  emitNode(node: Node): void {
    const emit = node.op.emitOnnx;
    if (emit === undefined) throw new Error(`toOnnx: op ${node.op.name} has no ONNX emission`);
    // Input names are looked up on use, so an input an op does not pass on (Expand's `like` when
    // its shape is static) adds no initializer.
    const inputName = (i: number): string => {
      const v = node.inputs[i];
      return v === undefined ? '' : this.nameOf(v);
    };
    const outputs = node.outputs.map((v) => {
      const name = this.names.get(v.id) ?? this.fresh(`${node.op.name}_${node.id}${node.outputs.length > 1 ? `_${v.id}` : ''}`);
      this.names.set(v.id, name);
      this.intermediates.push(this.info(name, v));
      return name;
    });
    const label = `${node.op.name}_${node.id}`;
    let count = 0;
    const e: OnnxEmitter = {
      input: inputName,
      output: (i) => {
        const o = outputs[i];
        if (o === undefined) throw new Error(`toOnnx: ${node.op.name} has no output ${i}`);
        return o;
      },
      dtypeOf: (v) => this.dtypeOf(v.dtype),
      avoids: (op) => this.avoided.has(op),
      node: (opType, ins, outs, attrs = {}) => {
        this.push({ opType, name: count++ === 0 ? label : `${label}_${count}`, inputs: ins, outputs: outs, attrs });
      },
      temp: (hint) => this.fresh(`${label}_${hint}`),
      int64s: (values) => this.int64s(values),
      scalar: (value, dtype) => {
        const name = this.fresh(`${label}_scalar`);
        const d = this.dtypeOf(dtype);
        this.initializers.push({ name, dtype: d, dims: [], raw: tensorBytes(d, [value]) });
        return name;
      },
      packed: (i, dtype) => {
        const v = node.inputs[i];
        if (v === undefined || v.source.kind !== 'constant') throw new Error(`toOnnx: ${node.op.name} input ${i} must be a constant to be stored as ${dtype}`);
        const t = v.source.tensor;
        const name = this.fresh(v.source.name ?? `${label}_${dtype}`);
        this.initializers.push({ name, dtype, dims: t.shape, raw: tensorBytes(dtype, t.data) });
        return name;
      },
      asIs: (n) => {
        const attrs: Record<string, OnnxAttr> = {};
        for (const [k, v] of Object.entries(n.attrs)) attrs[k] = onnxAttr(n.op, k, v, this.dtypeOf);
        e.node(n.op.name, n.inputs.map((_, i) => inputName(i)), outputs, attrs);
      },
    };
    emit(e, node);
  }

  private int64s(values: readonly number[]): string {
    const key = values.join(',');
    const known = this.int64Cache.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(`ints_${this.int64Cache.size}`);
    this.initializers.push({ name, dtype: 'int64', dims: [values.length], raw: tensorBytes('int64', values) });
    this.int64Cache.set(key, name);
    return name;
  }
}
