// The cortex_m dialect verifier: a legal hand-built program passes, and each
// kind of violation is reported with its rule and the node or value at fault.
// Every graph here is written out by hand; the expectations are the rules of
// verify_dialect.ts, not its output on some other graph.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { Graph, makeType, type Value } from "../ir/graph.js";
import { perTensor } from "../ir/quant.js";
import { defineOp } from "../ir/registry.js";
import { CLAMP, QUANTIZE_PER_TENSOR, DEQUANTIZE_PER_TENSOR, QUANTIZED_ADD } from "../ops/cortex_m/index.js";
import { dialectViolations, verifyDialect } from "./verify_dialect.js";

const Q = perTensor(0.1, 0, "i8", -128, 127);

/** x f32 → quantize → clamp → view_copy → dequantize: a legal lowered program. */
function legal(): { g: Graph; q: Value; c: Value } {
  const g = new Graph("legal");
  const x = g.addInput("x", makeType("f32", [2, 4]));
  const q = g.op(QUANTIZE_PER_TENSOR.name, [x], { scale: 0.1, zero_point: 0, quant_min: -128, quant_max: 127 }, { name: "q" });
  q.type.qparams = Q;
  const c = g.op(CLAMP.name, [q], { activation_min: 0, activation_max: 127 }, { name: "clamp" });
  c.type.qparams = Q;
  const v = g.op("aten.view_copy", [c], { size: [8] }, { name: "view" });
  v.type.qparams = Q;
  g.outputs = [g.op(DEQUANTIZE_PER_TENSOR.name, [v], { scale: 0.1, zero_point: 0 }, { name: "dq" })];
  return { g, q, c };
}

const rules = (g: Graph) => dialectViolations(g).map((v) => `${v.rule}@${v.where}`);

test("a legal program passes: dialect ops with records, int8 data movement, float ops on floats", () => {
  const { g } = legal();
  const y = g.outputs[0]!;
  g.outputs = [g.op("aten.relu", [y], {}, { name: "float_relu" })];
  assert.deepEqual(rules(g), []);
  assert.doesNotThrow(() => verifyDialect(g, "lowering"));
});

test("int8 byte moves the lowering keeps (quant.sameOpOnInt8) are legal; a float op with an int8 operand in a slot its spec does not free is not", () => {
  const g = new Graph("moves");
  const x = g.addInput("x", makeType("i8", [1, 2, 2, 2], undefined, Q));
  const up = g.op("aten.upsample_nearest2d", [x], { output_size: [4, 4] }, { name: "up" });
  up.type.qparams = Q;
  const cond = g.addInput("cond", makeType("bool", [1, 2, 4, 4]));
  const f = g.addInput("f", makeType("f32", [1, 2, 4, 4]));
  // where(cond, int8, f32): slot 1 must be f32 (only the condition, slot 0, is free)
  g.outputs = [up, g.op("aten.where", [cond, up, f], {}, { name: "where_on_codes", outputTypes: [makeType("f32", [1, 2, 4, 4])] })];
  assert.deepEqual(rules(g), ["illegal-op@where_on_codes"]);
});

test("an int8 value computed at run time without qparams is reported (constants are not)", () => {
  const { g, c } = legal();
  c.type.qparams = undefined;
  g.addConst("lut", "i8", [256], new Int8Array(256));
  assert.deepEqual(rules(g), [`qparams@${c.name}`]);
});

test("a node whose prepared record does not decode is reported with the decode error", () => {
  const { g } = legal();
  g.nodes.find((n) => n.name === "clamp")!.attrs.activation_max = 300;
  const v = dialectViolations(g);
  assert.deepEqual(v.map((x) => `${x.rule}@${x.where}`), ["record@clamp"]);
  assert.match(v[0]!.message, /activation range \[0, 300\]/);
});

test("a Q/DQ node left by the lowering is illegal: it computes on int8 codes outside the dialect", () => {
  const g = new Graph("qdq");
  const x = g.addInput("x", makeType("f32", [4]));
  const q = g.op("quantized_decomposed.quantize_per_tensor", [x], { scale: 0.1, zero_point: 0, quant_min: -128, quant_max: 127, dtype: "i8" }, { name: "fq" });
  q.type.qparams = Q;
  g.outputs = [q];
  assert.deepEqual(rules(g), ["illegal-op@fq"]);
});

test("a float op computing on int8 values is illegal", () => {
  const { g, q } = legal();
  const r = g.op("aten.relu", [q], {}, { name: "int8_relu" });
  r.type.qparams = Q;
  g.outputs.push(r);
  assert.deepEqual(rules(g), ["illegal-op@int8_relu"]);
});

test("an op with neither a record, float semantics nor data movement is illegal; an unknown op too", () => {
  defineOp({ name: "test.opaque", infer: ([x]) => [x!] });
  const { g, q } = legal();
  const y = g.op("test.opaque", [q], {}, { name: "opaque" });
  y.type.qparams = Q;
  g.outputs.push(y);
  g.addNode("test.undefined", [q], {}, { name: "ghost", outputTypes: [makeType("i8", [2, 4], undefined, Q)] });
  assert.deepEqual(rules(g), ["illegal-op@opaque", "unknown-op@ghost"]);
});

test("verifyDialect throws one error naming the stage and every violation", () => {
  const { g, c } = legal();
  c.type.qparams = undefined;
  const add = g.op(QUANTIZED_ADD.name, [c, c], {}, { name: "add_without_params" });
  add.type.qparams = Q;
  assert.throws(() => verifyDialect(g, "clean-up"), (e: Error) =>
    /after clean-up/.test(e.message) && e.message.includes(`value ${c.name} carries no quantization parameters`) && /add_without_params/.test(e.message));
});
