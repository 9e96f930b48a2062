import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { foldTableChain } from "./fold_table_chain.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import { opsOf } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");
/** A table of seeded bytes (no structure the fold could rely on). */
function bytes(seed: number): Int8Array {
  const t = new Int8Array(256);
  let s = seed;
  for (let i = 0; i < 256; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    t[i] = ((s >>> 16) & 255) - 128;
  }
  return t;
}

test("FoldTableChain: three tables in a row become one whose byte i is t3[t2[t1[i]]]", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3]));
  const [t1, t2, t3] = [bytes(1), bytes(2), bytes(3)];
  const a = g.op(QUANTIZED_ACTIVATION.name, [x, g.addConst("t1", "i8", [256], t1)], { function: "mul_scalar" });
  const b = g.op(QUANTIZED_ACTIVATION.name, [a, g.addConst("t2", "i8", [256], t2)], { function: "add_scalar" });
  g.outputs = [g.op(QUANTIZED_ACTIVATION.name, [b, g.addConst("t3", "i8", [256], t3)], { function: "hardswish" })];
  assert.equal(foldTableChain.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation"]);
  const n = g.nodes[0]!;
  assert.equal(n.input(0), x);
  assert.equal(n.attrs.function, "mul_scalar_then_add_scalar_then_hardswish");
  const want = Array.from({ length: 256 }, (_, i) => t3[t2[t1[i]! + 128]! + 128]!);
  assert.deepEqual([...n.input(1).data!], want);
  assert.equal(g.constants.length, 1, "the three old tables are gone");
  assert.equal(foldTableChain.run(g, opts).changed, false);
});

test("FoldTableChain keeps a table whose result is also read elsewhere or is a graph output", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 8]));
  const a = g.op(QUANTIZED_ACTIVATION.name, [x, g.addConst("t1", "i8", [256], bytes(4))]);
  const b = g.op(QUANTIZED_ACTIVATION.name, [a, g.addConst("t2", "i8", [256], bytes(5))]);
  g.outputs = [a, b];
  assert.equal(foldTableChain.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), ["quantized_activation", "quantized_activation"]);
});
