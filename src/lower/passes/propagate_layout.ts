import type { Graph, Node, Value } from "../../ir/graph.js";
import { contiguous, isContiguous } from "../../ir/layout.js";
import type { Pass } from "../../ir/pass.js";
import { sameDimOrder } from "../../ir/layout.js";
import { getOp, hasOp, traitsOf } from "../../ir/registry.js";
import { CLONE } from "./view_chain.js";

// Ops whose result does not depend on the physical order of their operands
// (elementwise over equal shapes, or defined per logical axis): the specs'
// layoutAgnostic trait, giving the activation inputs (or all of them).
function layoutAgnosticInputs(u: Node): number[] | null {
  const a = traitsOf(u.op).layoutAgnostic;
  return !a ? null : a === "all" ? u.inputs.map((_, i) => i) : [...a];
}

/**
 * Data-movement ops (cat, pad, …) are gathers that read every source through
 * its stored strides: a constant operand (stored logical row-major) joins a
 * channels-last result with no relayout node and no hidden copy. Kernels with
 * flat operands (int8 add/mul) would copy such a constant into the
 * activation's order on every run, so for them a constant still stops the move.
 */
function readsConstantsInPlace(u: Node): boolean {
  return hasOp(u.op) && getOp(u.op).dataMovement === true && typeof getOp(u.op).moves === "function";
}

/** At most one dim above 1 ([N,C,1,1]): every dim order stores the same bytes. */
function orderFree(v: Value): boolean {
  return v.shape.filter((d) => d > 1).length <= 1;
}

/**
 * A gather (upsample, cat, …) whose every operand has at most one dim above 1
 * (the [N,C,1,1] gate of a squeeze-and-excitation block, which an int8 mul
 * repeats over H×W) reads the same bytes in any order, so it can write its
 * result in whichever order its reader wants: no clone is needed.
 */
function orderFreeGather(v: Value | null): Node | null {
  const p = v?.producer;
  if (!p || !v || p.outputs.length !== 1 || !hasOp(p.op) || typeof getOp(p.op).moves !== "function") return null;
  if (!layoutAgnosticInputs(p) || !isContiguous(v.type.dimOrder)) return null;
  return p.inputs.every((x) => !x || x.isConst() || orderFree(x)) ? p : null;
}

function toContiguousSource(v: Value | null): Value | null {
  const p = v?.producer;
  if (!p || p.op !== CLONE || !isContiguous(p.attrs.dim_order as number[])) return null;
  const src = p.input(0);
  return isContiguous(src.type.dimOrder) ? null : src;
}

/** Insert `clone(v, contiguous)` right after v's producer and move every reader of v onto it. */
function unwrapAfter(g: Graph, v: Value, producer: Node): void {
  const uses = [...v.uses];
  const wasOutput = g.outputs.includes(v);
  if (uses.length === 0 && !wasOutput) return;
  const at = g.nodes.indexOf(producer);
  const before = g.nodes[at + 1];
  const c = g.addNode(CLONE, [v], { dim_order: contiguous(v.rank) }, { before, name: `${v.name}_nchw` });
  c.output.type.qparams = v.type.qparams;
  for (const u of uses) g.setInput(u.node, u.index, c.output);
  if (wasOutput) g.outputs = g.outputs.map((o) => (o === v ? c.output : o));
}

/**
 * PropagateLayout (beyond the reference): keeps activations channels-last
 * through layout-agnostic ops. A `clone(x, NCHW)` feeding such an op moves to
 * the op's outputs, so the wraps that remain sit only in front of ops that
 * need the logical order; FoldInverseDimOrderClone then removes the pairs
 * this exposes. A to-NCHW clone whose readers all convert back (fan-out) is
 * folded here as well. Constant operands of gathers (a concat with a constant
 * channel block, as detectors pad channels) do not stop the move: the gather
 * reads the constant through its own strides. A gather of [N,C,1,1] operands
 * (the per-channel gate an int8 mul repeats over H×W) writes the order its
 * reader takes.
 */
export const propagateLayout: Pass = {
  name: "PropagateLayout",
  run(g) {
    let changed = false;
    for (let iter = 0, moved = true; moved && iter < g.nodes.length + 1; iter++) {
      moved = false;
      for (const u of [...g.nodes]) {
        if (!g.nodes.includes(u)) continue;
        const idx = layoutAgnosticInputs(u);
        if (!idx) continue;
        // Constant operands of a gather stay as they are; every other operand must be an unwrap.
        const keepConst = readsConstantsInPlace(u);
        const isKept = (i: number): boolean => keepConst && !!u.inputs[i]?.isConst();
        const moving = idx.filter((i) => !isKept(i));
        if (moving.length === 0) continue;
        const srcs = moving.map((i) => toContiguousSource(u.inputs[i] ?? null));
        const gathers = moving.map((i, k) => (srcs[k] ? null : orderFreeGather(u.inputs[i] ?? null)));
        if (moving.some((_, k) => !srcs[k] && !gathers[k])) continue;
        const real = srcs.filter((v): v is Value => v !== null);
        if (real.length === 0) continue;
        const order = real[0]!.type.dimOrder;
        if (real.some((s) => !sameDimOrder(s.type.dimOrder, order))) continue;
        moving.forEach((i, k) => {
          if (srcs[k]) return g.setInput(u, i, srcs[k]!);
          // The order-free gather writes u's order; its other readers get an unwrap.
          const p = gathers[k]!, o = p.output;
          o.type = { ...o.type, dimOrder: [...order] };
          if (o.uses.some((x) => x.node !== u) || g.outputs.includes(o)) {
            unwrapAfter(g, o, p);
            g.setInput(u, i, o);
          }
        });
        for (const o of u.outputs) {
          o.type = { ...o.type, dimOrder: [...order] };
          unwrapAfter(g, o, u);
        }
        moved = changed = true;
      }
      // Fan-out: x(P) → clone(NCHW) → {clone(P), clone(P), …}
      for (const a of [...g.nodes]) {
        if (!g.nodes.includes(a) || a.op !== CLONE || !isContiguous(a.attrs.dim_order as number[])) continue;
        const x = a.input(0);
        const readers = a.output.users();
        if (readers.length < 2 || g.outputs.includes(a.output)) continue;
        if (!readers.every((b) => b.op === CLONE && sameDimOrder(b.attrs.dim_order as number[], x.type.dimOrder))) continue;
        for (const b of readers) {
          g.replaceAllUses(b.output, x);
          g.eraseNode(b);
        }
        g.eraseNode(a);
        moved = changed = true;
      }
    }
    if (changed) g.dce();
    return { changed };
  },
};
