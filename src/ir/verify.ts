import { IRError } from "./errors.js";
import type { Graph, TensorType, Value } from "./graph.js";
import { getOp, hasOp } from "./registry.js";
import { fmtShape, numel, shapeEq } from "./tensor.js";

/**
 * Structural and type checks, run after every pass. Throws an IRError naming
 * the first broken node; `context` (e.g. the pass name) is prefixed.
 */
export function verifyGraph(g: Graph, context = "verify"): void {
  const fail = (msg: string): never => {
    throw new IRError(`${context}: ${msg}`);
  };
  const defined = new Set<Value>();
  const seenNodes = new Set<unknown>();
  for (const v of g.inputs) {
    if (v.producer || v.data) fail(`graph input ${v.name} has a producer or data`);
    defined.add(v);
  }
  for (const c of g.constants) {
    if (!c.data) fail(`constant ${c.name} has no data`);
    if (c.data!.length !== numel(c.shape)) fail(`constant ${c.name} holds ${c.data!.length} elements for ${fmtShape(c.shape)}`);
    defined.add(c);
  }
  for (const v of defined) checkType(v.type, v.name, fail);
  for (const n of g.nodes) {
    if (seenNodes.has(n)) fail(`node ${n.name} scheduled twice`);
    seenNodes.add(n);
    if (!hasOp(n.op)) fail(`node ${n.name}: unknown op ${n.op}`);
    n.inputs.forEach((v, i) => {
      if (!v) return;
      if (!defined.has(v)) fail(`node ${n.name} (${n.op}) reads ${v.name} before it is defined (topological order or dangling value)`);
      if (!v.uses.some((u) => u.node === n && u.index === i)) fail(`use-list of ${v.name} misses ${n.name} input ${i}`);
    });
    let expected: TensorType[];
    try {
      expected = getOp(n.op).infer(n.inputs.map((v) => v?.type ?? null), n.attrs);
    } catch (e) {
      return fail(`node ${n.name} (${n.op}): shape rule failed: ${(e as Error).message}`);
    }
    if (expected.length !== n.outputs.length) fail(`node ${n.name} (${n.op}) has ${n.outputs.length} outputs, op defines ${expected.length}`);
    n.outputs.forEach((o, i) => {
      const e = expected[i]!;
      if (o.producer !== n) fail(`output ${o.name} of ${n.name} has the wrong producer`);
      if (o.dtype !== e.dtype) fail(`node ${n.name} (${n.op}) output ${o.name} is ${o.dtype}, shape rule says ${e.dtype}`);
      if (!shapeEq(o.shape, e.shape)) fail(`node ${n.name} (${n.op}) output ${o.name} is ${fmtShape(o.shape)}, shape rule says ${fmtShape(e.shape)}`);
      checkType(o.type, o.name, fail);
      defined.add(o);
    });
  }
  for (const v of defined) {
    for (const u of v.uses) {
      if (!seenNodes.has(u.node)) fail(`${v.name} is used by ${u.node.name}, which is not in the graph`);
      if (u.node.inputs[u.index] !== v) fail(`use-list of ${v.name} is stale at ${u.node.name}`);
    }
  }
  for (const o of g.outputs) if (!defined.has(o)) fail(`graph output ${o.name} is not defined`);
}

function checkType(t: TensorType, name: string, fail: (m: string) => never): void {
  if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`${name} has an invalid shape ${fmtShape(t.shape)}`);
  const r = t.shape.length;
  if (t.dimOrder.length !== r || [...t.dimOrder].sort((a, b) => a - b).some((d, i) => d !== i)) {
    fail(`${name}: dim_order [${t.dimOrder}] is not a permutation of rank ${r}`);
  }
  const q = t.qparams;
  if (q) {
    if (q.scale.length !== q.zeroPoint.length) fail(`${name}: qparams scale/zero-point lengths differ`);
    if (q.scheme === "per_channel" && (q.axis === undefined || q.axis < 0 || q.axis >= r || q.scale.length !== t.shape[q.axis])) {
      fail(`${name}: per-channel qparams do not match axis ${q.axis} of ${fmtShape(t.shape)}`);
    }
    if (q.scale.some((s) => !(s > 0) || !Number.isFinite(s))) fail(`${name}: non-positive quantization scale`);
  }
}
