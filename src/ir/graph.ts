import type { DType, TypedArray } from "./dtype.js";
import { IRError } from "./errors.js";
import { checkTensorSize, sizeLimits, type SizeLimits } from "./limits.js";
import type { QParams } from "./quant.js";
import { getOp } from "./registry.js";
import { numel } from "./tensor.js";
import { contiguous } from "./layout.js";

/** Attribute values are plain JSON-like data so graphs print, clone and serialise trivially. */
export type AttrValue = number | string | boolean | null | AttrValue[] | { [k: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

/**
 * Static type of a value. `shape` is the logical shape (NCHW for images, NCW for
 * sequences); `dimOrder` is the physical order of its dimensions, outermost first,
 * so an NCHW value with dimOrder [0,2,3,1] is stored as NHWC bytes.
 */
export interface TensorType {
  dtype: DType;
  shape: number[];
  dimOrder: number[];
  qparams?: QParams;
}


export function makeType(dtype: DType, shape: number[], dimOrder?: number[], qparams?: QParams): TensorType {
  const t: TensorType = { dtype, shape: [...shape], dimOrder: dimOrder ? [...dimOrder] : contiguous(shape.length) };
  if (qparams) t.qparams = qparams;
  return t;
}

export interface Use {
  node: Node;
  index: number;
}

export class Value {
  /** Set for constants (weights, folded shapes): row-major in logical order. */
  data: TypedArray | null = null;
  producer: Node | null = null;
  readonly uses: Use[] = [];
  constructor(readonly id: number, public name: string, public type: TensorType) {}

  get shape(): number[] { return this.type.shape; }
  get dtype(): DType { return this.type.dtype; }
  get rank(): number { return this.type.shape.length; }
  get numel(): number { return numel(this.type.shape); }
  isConst(): boolean { return this.data !== null; }
  /** Nodes that read this value (each once, in use order). */
  users(): Node[] {
    const out: Node[] = [];
    for (const u of this.uses) if (!out.includes(u.node)) out.push(u.node);
    return out;
  }
}

export class Node {
  /** Free-form analysis results of passes (layout choice, kernel, reasons...). */
  meta: Record<string, unknown> = {};
  constructor(
    readonly id: number,
    public name: string,
    public op: string,
    public inputs: (Value | null)[],
    public outputs: Value[],
    public attrs: Attrs,
  ) {}
  get output(): Value {
    const o = this.outputs[0];
    if (!o) throw new IRError(`node ${this.name} (${this.op}) has no outputs`);
    return o;
  }
  input(i: number): Value {
    const v = this.inputs[i];
    if (!v) throw new IRError(`node ${this.name} (${this.op}) has no input ${i}`);
    return v;
  }
}

export interface AddNodeOptions {
  name?: string;
  /** Insert before this node (default: append at the end of the schedule). */
  before?: Node;
  /** Output types; inferred from the op's shape rule when omitted. */
  outputTypes?: TensorType[];
  outputNames?: string[];
}

/**
 * A dataflow graph in schedule order. Constants are values with data and no
 * producer; graph inputs are values with neither.
 */
export class Graph {
  inputs: Value[] = [];
  outputs: Value[] = [];
  nodes: Node[] = [];
  constants: Value[] = [];
  private nextId = 0;
  private names = new Set<string>();
  /** Read once per graph: every new value is checked against them. */
  private limits: SizeLimits | null = null;

  constructor(public name = "model") {}

  uniqueName(base: string): string {
    const clean = base || "v";
    if (!this.names.has(clean)) {
      this.names.add(clean);
      return clean;
    }
    for (let i = 1; ; i++) {
      const n = `${clean}_${i}`;
      if (!this.names.has(n)) {
        this.names.add(n);
        return n;
      }
    }
  }

  private newValue(name: string, type: TensorType, kind: string): Value {
    this.limits ??= sizeLimits();
    checkTensorSize(type, `${kind} '${name}'`, this.limits);
    return new Value(this.nextId++, this.uniqueName(name), type);
  }

  addInput(name: string, type: TensorType): Value {
    const v = this.newValue(name, type, "input");
    this.inputs.push(v);
    return v;
  }

  addConst(name: string, dtype: DType, shape: number[], data: TypedArray, qparams?: QParams): Value {
    if (data.length !== numel(shape)) throw new IRError(`constant ${name}: ${data.length} elements for shape [${shape}]`);
    const v = this.newValue(name, makeType(dtype, shape, undefined, qparams), "constant");
    v.data = data;
    this.constants.push(v);
    return v;
  }

  addNode(op: string, inputs: (Value | null)[], attrs: Attrs = {}, opts: AddNodeOptions = {}): Node {
    const types = opts.outputTypes ?? getOp(op).infer(inputs.map((v) => v?.type ?? null), attrs);
    const base = opts.name ?? op.split(".").pop()!;
    const node = new Node(this.nextId++, this.uniqueName(base), op, [...inputs], [], { ...attrs });
    node.outputs = types.map((t, i) => {
      const v = this.newValue(opts.outputNames?.[i] ?? (types.length === 1 ? node.name : `${node.name}_${i}`), t, "output");
      v.producer = node;
      return v;
    });
    inputs.forEach((v, i) => v?.uses.push({ node, index: i }));
    if (opts.before) {
      const at = this.nodes.indexOf(opts.before);
      if (at < 0) throw new IRError(`insert point ${opts.before.name} is not in the graph`);
      this.nodes.splice(at, 0, node);
    } else {
      this.nodes.push(node);
    }
    return node;
  }

  /** Add a node and return its single output. */
  op(op: string, inputs: (Value | null)[], attrs: Attrs = {}, opts: AddNodeOptions = {}): Value {
    return this.addNode(op, inputs, attrs, opts).output;
  }

  setInput(node: Node, index: number, v: Value | null): void {
    const old = node.inputs[index];
    if (old) {
      const k = old.uses.findIndex((u) => u.node === node && u.index === index);
      if (k >= 0) old.uses.splice(k, 1);
    }
    node.inputs[index] = v;
    v?.uses.push({ node, index });
  }

  /** Point every reader of `from` (nodes and graph outputs) at `to`. */
  replaceAllUses(from: Value, to: Value): void {
    if (from === to) return;
    for (const u of [...from.uses]) this.setInput(u.node, u.index, to);
    this.outputs = this.outputs.map((o) => (o === from ? to : o));
  }

  /** Remove a node whose outputs are no longer read. */
  eraseNode(node: Node): void {
    for (const o of node.outputs) {
      if (o.uses.length > 0 || this.outputs.includes(o)) {
        throw new IRError(`cannot erase ${node.name} (${node.op}): output ${o.name} still in use`);
      }
    }
    node.inputs.forEach((_, i) => this.setInput(node, i, null));
    const at = this.nodes.indexOf(node);
    if (at >= 0) this.nodes.splice(at, 1);
  }

  /** Drop nodes and constants nothing reads. Returns the number of nodes removed. */
  dce(): number {
    let removed = 0;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (n.outputs.every((o) => o.uses.length === 0 && !this.outputs.includes(o))) {
        this.eraseNode(n);
        removed++;
      }
    }
    this.constants = this.constants.filter((c) => c.uses.length > 0 || this.outputs.includes(c));
    return removed;
  }

  /** Number of nodes per op name. */
  opCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const n of this.nodes) counts[n.op] = (counts[n.op] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** All values: inputs, constants, node outputs. */
  values(): Value[] {
    return [...this.inputs, ...this.constants, ...this.nodes.flatMap((n) => n.outputs)];
  }

  findValue(name: string): Value | undefined {
    return this.values().find((v) => v.name === name);
  }
}
