// How a back end (the TS simulator, the C generator) attaches its code to op
// specs. A lowered op's binding receives the record its spec's decode(node)
// made — typed on the spec, so a binding cannot read another op's record or
// the raw attributes — and decode runs once per node, in the one place the
// back end prepares that node. Ops without a record (float and data-movement
// ops, until they get one) bind a plain (node, ctx) function.
import { IRError } from "./errors.js";
import type { Node } from "./graph.js";
import type { OpDef } from "./registry.js";

/** A back end's implementation of one op. */
export interface Binding<F> {
  readonly op: string;
  readonly fn: F;
}

/**
 * Bind `run` to a spec with a prepared-parameter record: the bound function
 * decodes the node (the spec's one validation) and hands the record on.
 */
export function bindRecord<P, C, R>(spec: OpDef<P>, run: (p: P, node: Node, ctx: C) => R): Binding<(node: Node, ctx: C) => R> {
  const decode = decoderOf(spec);
  return { op: spec.name, fn: (node, ctx) => run(decode(node), node, ctx) };
}

/** The spec's decode (an error for a spec without a record). */
export function decoderOf<P>(spec: OpDef<P>): (node: Node) => P {
  const decode = spec.decode;
  if (!decode) throw new IRError(`${spec.name} has no prepared-parameter record`);
  return (node) => {
    if (node.op !== spec.name) throw new IRError(`node ${node.name} is ${node.op}, not ${spec.name}`);
    return decode(node);
  };
}

/** Bind a function that reads the node itself (ops with no record). */
export function bindNode<F>(spec: OpDef<unknown> | string, fn: F): Binding<F> {
  return { op: typeof spec === "string" ? spec : spec.name, fn };
}

/** Rows of an older `op name → function` table as bindings (for families not yet moved onto records). */
export function bindRows<F>(rows: Readonly<Record<string, F>>): Binding<F>[] {
  return Object.entries(rows).map(([op, fn]) => ({ op, fn }));
}

/** One back end's bindings, looked up by node op; an op bound twice is an error. */
export class Bindings<F> {
  private readonly byOp = new Map<string, F>();

  constructor(readonly backEnd: string, rows: readonly Binding<F>[]) {
    for (const r of rows) {
      if (this.byOp.has(r.op)) throw new IRError(`${backEnd}: ${r.op} is bound twice`);
      this.byOp.set(r.op, r.fn);
    }
  }

  get(op: string): F | undefined {
    return this.byOp.get(op);
  }

  has(op: string): boolean {
    return this.byOp.has(op);
  }

  /** The bound op names, sorted. */
  ops(): string[] {
    return [...this.byOp.keys()].sort();
  }

  /** The bound op names, in binding order (as a Map's keys). */
  keys(): IterableIterator<string> {
    return this.byOp.keys();
  }
}
