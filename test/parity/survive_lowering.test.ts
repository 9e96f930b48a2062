// Parity by construction (issue 11, Deliver 3): every op that can survive lowering has a
// simulator binding and a C emitter (the two back ends' spec-keyed Bindings). The ops that can survive are derived from the
// registry: every op with a float reference (eval) except the quantize / dequantize ops
// that ReplaceQuantNodes always rewrites, plus every op of the cortex_m dialect. A new
// op defined without either back end fails here.
import "../../src/ops/index.js";
import "../../src/ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { EMITTERS } from "../../src/emit/ops/index.js";
import { allOpDefs, dialectOf } from "../../src/ir/registry.js";
import { DQ, DQC, Q } from "../../src/lower/match.js";
import { RUNTIME_OPS } from "../../src/runtime/ops/index.js";

/** The ops a lowered program may hold. */
export function survivingOps(): string[] {
  const consumed = new Set([Q, DQ, DQC]);
  return allOpDefs()
    .filter((d) => dialectOf(d.name) === "cortex_m" || (d.eval && !consumed.has(d.name)))
    .map((d) => d.name)
    .sort();
}

/** A back end's lookup (ir/bindings' Bindings: the simulator's RUNTIME_OPS, the C generator's EMITTERS). */
interface Lookup {
  has(op: string): boolean;
}

/** Each op of `ops` that lacks a back end, with the back ends it lacks. */
function unbound(ops: readonly string[], runtime: Lookup, emitters: Lookup): string[] {
  return ops.flatMap((op) => {
    const lacks = [...(runtime.has(op) ? [] : ["simulator binding"]), ...(emitters.has(op) ? [] : ["C emitter"])];
    return lacks.length ? [`${op}: no ${lacks.join(", no ")}`] : [];
  });
}

test("every op that can survive lowering has a simulator binding and a C emitter", () => {
  const ops = survivingOps();
  assert.ok(ops.includes("cortex_m.quantized_conv2d") && ops.includes("aten.gelu") && ops.includes("aten.where"), ops.join(" "));
  assert.ok(!ops.includes(Q) && !ops.includes(DQ) && !ops.includes(DQC));
  assert.deepEqual(unbound(ops, RUNTIME_OPS, EMITTERS), []);
});

test("the parity check fails when a row is removed from either table", () => {
  const ops = survivingOps();
  const without = (b: Lookup, key: string): Lookup => ({ has: (op) => op !== key && b.has(op) });
  assert.deepEqual(unbound(ops, without(RUNTIME_OPS, "aten.amax"), EMITTERS), ["aten.amax: no simulator binding"]);
  assert.deepEqual(unbound(ops, RUNTIME_OPS, without(EMITTERS, "cortex_m.transpose")), ["cortex_m.transpose: no C emitter"]);
  assert.deepEqual(unbound([...ops, "aten.new_op"], RUNTIME_OPS, EMITTERS), ["aten.new_op: no simulator binding, no C emitter"]);
});
