// State of one import: the graph being built, the ONNX name → Value scopes
// (If bodies see outer names), and `emit`, which constant-folds any node whose
// inputs are all constants — that is how shape arithmetic and the sample-rate
// branches of exported models disappear at import time.
import type { DType } from "../../ir/dtype.js";
import { allocArray } from "../../ir/dtype.js";
import type { Attrs, Graph, Value } from "../../ir/graph.js";
import { checkTensorSize, sizeLimits } from "../../ir/limits.js";
import { getOp, hasOp } from "../../ir/registry.js";
import { numel, type Tensor } from "../../ir/tensor.js";
import { ImportIssue } from "./issue.js";
import { checkOperandTypes } from "./operand_types.js";
import type { GraphProto, OnnxNode } from "./proto.js";

export class Scope {
  private readonly vals = new Map<string, Value>();
  constructor(readonly parent: Scope | null = null) {}
  get(name: string): Value | undefined {
    return this.vals.get(name) ?? this.parent?.get(name);
  }
  set(name: string, v: Value): void {
    this.vals.set(name, v);
  }
  /** Defined in this scope itself (not in an enclosing one). */
  hasOwn(name: string): boolean {
    return this.vals.has(name);
  }
}

export class ImportContext {
  scope = new Scope();
  /** The ONNX node being converted (names the IR nodes and constants it makes). */
  node: OnnxNode | null = null;
  readonly limits = sizeLimits();
  /** The ops the running converter declared it may emit (null: unchecked); emit refuses any other. */
  mayEmit: ReadonlySet<string> | null = null;

  /** How many node inputs (in any subgraph too) read each ONNX name. */
  private readonly readers = new Map<string, number>();
  private readonly outputNames = new Set<string>();

  constructor(
    readonly graph: Graph,
    readonly file: string,
    readonly opset: number,
    /** Imports a subgraph (an If branch) in place, in a child scope; returns its outputs. */
    readonly inlineGraph: (ctx: ImportContext, body: GraphProto) => Value[],
  ) {}

  /** Count the readers of every name in `body` (subgraphs included) and note its outputs; the importer calls it once on the model's graph. */
  countReaders(body: GraphProto): void {
    const read = (name: string) => this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
    const walk = (g: GraphProto): void => {
      for (const nd of g.node ?? []) {
        for (const name of nd.input ?? []) if (name) read(name);
        for (const a of nd.attribute ?? []) {
          // A subgraph's outputs read names too (an If branch may return an outer value).
          for (const sub of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
            walk(sub);
            for (const o of sub.output ?? []) if (o.name) read(o.name);
          }
        }
      }
    };
    walk(body);
    for (const o of body.output ?? []) this.outputNames.add(o.name ?? "");
  }

  /** How many node inputs read the ONNX value `name`. */
  consumerCount(name: string): number {
    return this.readers.get(name) ?? 0;
  }

  isGraphOutput(name: string): boolean {
    return this.outputNames.has(name);
  }

  /** Optional input i of the node: null when absent or given as "". */
  input(node: OnnxNode, i: number): Value | null {
    const name = node.inputs[i];
    if (!name) return null;
    const v = this.scope.get(name);
    if (!v) throw new ImportIssue(`input '${name}' is not defined by any node, initializer or graph input`);
    return v;
  }

  need(node: OnnxNode, i: number, what = `input ${i}`): Value {
    const v = this.input(node, i);
    if (!v) throw new ImportIssue(`missing required ${what}`);
    return v;
  }

  /** The data of a value that must be known at import time. */
  constData(v: Value, what: string): Tensor {
    if (!v.data) throw new ImportIssue(`${what} ('${v.name}') must be a constant, but it is computed at run time`);
    return { dtype: v.dtype, shape: [...v.shape], data: v.data };
  }

  /** Integer list from a constant input (shapes, axes, pads...). */
  constInts(v: Value, what: string): number[] {
    return Array.from(this.constData(v, what).data, (x) => Number(x));
  }

  constant(name: string, t: Tensor): Value {
    return this.graph.addConst(name, t.dtype, t.shape, t.data);
  }

  /** A new constant named after the current node. */
  literal(dtype: DType, shape: number[], values: ArrayLike<number>, suffix = "const"): Value {
    const data = allocArray(dtype, numel(shape));
    data.set(values);
    return this.graph.addConst(`${this.baseName()}_${suffix}`, dtype, shape, data);
  }

  private baseName(): string {
    return this.node?.outputs[0] || this.node?.name || "v";
  }

  /**
   * Add an IR node, or fold it into constants when every input is constant and
   * the op has reference semantics.
   */
  emit(op: string, inputs: (Value | null)[], attrs: Attrs = {}): Value[] {
    if (!hasOp(op)) throw new ImportIssue(`internal op ${op} is not registered`);
    // A bug in the importer, not in the model: the converter's family must declare the op (converters/table.ts).
    if (this.mayEmit && !this.mayEmit.has(op)) throw new Error(`converter for ${this.node?.opType} emitted ${op}, which its family does not declare`);
    const def = getOp(op);
    const present = inputs.filter((v): v is Value => v !== null);
    if (def.eval && present.length > 0 && present.every((v) => v.isConst())) {
      // Size the result before evaluating it: a folded Expand or ConstantOfShape
      // of an absurd shape must fail on the limit, not on the allocation.
      const types = def.infer(inputs.map((v) => v?.type ?? null), attrs);
      types.forEach((t, i) => checkTensorSize(t, `output '${this.node?.outputs[i] || i}'`, this.limits));
      const ts = inputs.map((v) => (v ? { dtype: v.dtype, shape: [...v.shape], data: v.data! } : null));
      const outs = def.eval(ts, attrs);
      return outs.map((t, i) => this.constant(this.node?.outputs[i] || `${this.baseName()}_${i}`, t));
    }
    checkOperandTypes(op, inputs);
    // IR values take the ONNX output names (the first emit of a node gets them
    // exactly; helper nodes of the same ONNX node get numbered variants).
    const outputNames = this.node?.outputs.map((o, i) => o || `${this.baseName()}_${i}`);
    return this.graph.addNode(op, inputs, attrs, { name: this.node?.name, outputNames }).outputs;
  }

  emit1(op: string, inputs: (Value | null)[], attrs: Attrs = {}): Value {
    return this.emit(op, inputs, attrs)[0]!;
  }
}

/** A non-negative axis from an ONNX axis that may count from the end. */
export function normAxis(axis: number, rank: number, what = "axis"): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ImportIssue(`${what} ${axis} is out of range for rank ${rank}`);
  return a;
}

export function fmt(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
