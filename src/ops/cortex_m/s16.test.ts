// The s16 specs' decode(node): the record of a hand-built node (expectations written from the attributes given),
// and one rejected node per rule. The simulator and the C generator read only these records.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../index.js";
import { IRError } from "../../ir/errors.js";
import { Graph, makeType, type Attrs, type Node } from "../../ir/graph.js";
import { ACTIVATION_S16, QUANTIZED_ADD_S16, QUANTIZED_LINEAR_S16, QUANTIZED_MUL_S16, SOFTMAX_S16 } from "./s16.js";

const rejects = (n: Node, decode: (n: Node) => unknown, pattern: RegExp): void => {
  assert.throws(() => decode(n), (e: unknown) => e instanceof IRError && pattern.test(e.message) && e.message.includes(n.name), pattern.source);
};

function linear(over: Attrs = {}, opts: { xType?: "i16" | "i8"; bias?: "i64" | "i32" | null } = {}): Node {
  const g = new Graph("l");
  const x = g.addInput("x", makeType(opts.xType ?? "i16", [3, 5]));
  const w = g.addConst("w", "i8", [4, 5], new Int8Array(20));
  const bt = opts.bias === undefined ? "i64" : opts.bias;
  const b = bt === null ? null : bt === "i64" ? g.addConst("b", "i64", [4], new Float64Array(4)) : g.addConst("b", "i32", [4], new Int32Array(4));
  return g.addNode(QUANTIZED_LINEAR_S16.name, [x, w, b], { multiplier: 1 << 30, shift: -3, activation_min: -32768, activation_max: 32767, ...over }, { name: "fc" });
}

test("quantized_linear_s16: rows, K, O and the int16 clamp; int64 bias or none", () => {
  const p = QUANTIZED_LINEAR_S16.decode!(linear());
  assert.deepEqual([p.rows, p.k, p.o, p.multiplier, p.shift], [3, 5, 4, 1 << 30, -3]);
  assert.deepEqual(p.activation, { min: -32768, max: 32767 });
  assert.equal(QUANTIZED_LINEAR_S16.decode!(linear({}, { bias: null })).operands.bias, null);
  rejects(linear({}, { bias: "i32" }), QUANTIZED_LINEAR_S16.decode!, /bias must be i64/);
  rejects(linear({}, { xType: "i8" }), QUANTIZED_LINEAR_S16.decode!, /input must be i16/);
  rejects(linear({ activation_max: 40000 }), QUANTIZED_LINEAR_S16.decode!, /not inside \[-32768, 32767\]/);
  rejects(linear({ shift: 15 }), QUANTIZED_LINEAR_S16.decode!, /shift 15 is outside/);
});

function binary(op: string, over: Attrs = {}, bShape = [2, 3]): Node {
  const g = new Graph("b");
  const a = g.addInput("a", makeType("i16", [2, 3]));
  const b = g.addInput("b", makeType("i16", bShape));
  const n = g.addNode(op, [a, b], {
    input1_multiplier: 1 << 30, input1_shift: -1, input2_multiplier: 1 << 29, input2_shift: -2, left_shift: 15,
    output_multiplier: 1 << 30, output_shift: 1, activation_min: -100, activation_max: 200, ...over,
  }, { name: "bin", outputTypes: [makeType("i16", [2, 3])] });
  return n;
}

test("quantized_add_s16 / quantized_mul_s16: parameter blocks, equal shapes, left_shift within 15", () => {
  const add = QUANTIZED_ADD_S16.decode!(binary(QUANTIZED_ADD_S16.name));
  assert.deepEqual(add.kernel, {
    input1Mult: 1 << 30, input1Shift: -1, input2Mult: 1 << 29, input2Shift: -2, leftShift: 15,
    outMult: 1 << 30, outShift: 1, outActivationMin: -100, outActivationMax: 200,
  });
  assert.equal(add.size, 6);
  const mul = QUANTIZED_MUL_S16.decode!(binary(QUANTIZED_MUL_S16.name));
  assert.deepEqual(mul.kernel, { outMult: 1 << 30, outShift: 1, outActivationMin: -100, outActivationMax: 200 });
  assert.throws(() => QUANTIZED_ADD_S16.decode!(binary(QUANTIZED_ADD_S16.name, { left_shift: 16 })), /left_shift 16 is not in \[0, 15\]/);
  rejects(binary(QUANTIZED_MUL_S16.name, {}, [3, 2]), QUANTIZED_MUL_S16.decode!, /needs equal shapes/);
});

function activation(over: Attrs): Node {
  const g = new Graph("a");
  const x = g.addInput("x", makeType("i16", [7]));
  return g.addNode(ACTIVATION_S16.name, [x], { function: "tanh", left_shift: 2, ...over }, { name: "act" });
}

test("activation_s16: sigmoid or tanh, left_shift in [-31, 14]", () => {
  const t = ACTIVATION_S16.decode!(activation({}));
  assert.deepEqual([t.function, t.leftShift, t.size], ["tanh", 2, 7]);
  const p = ACTIVATION_S16.decode!(activation({ function: "sigmoid", left_shift: -3 }));
  assert.deepEqual([p.function, p.leftShift, p.size], ["sigmoid", -3, 7]);
  rejects(activation({ function: "relu" }), ACTIVATION_S16.decode!, /must be "sigmoid" or "tanh"/);
  rejects(activation({ left_shift: 15 }), ACTIVATION_S16.decode!, /left_shift 15 is not in/);
});

function softmax(tableSize = 513): Node {
  const g = new Graph("s");
  const x = g.addInput("x", makeType("i16", [2, 9]));
  const e = g.addConst("e", "i16", [tableSize], new Int16Array(tableSize));
  const o = g.addConst("o", "i16", [513], new Int16Array(513));
  return g.addNode(SOFTMAX_S16.name, [x, e, o], { multiplier: 1 << 30, shift: 2 }, { name: "sm" });
}

test("softmax_s16: rows of the last dim and two 513-entry tables", () => {
  const p = SOFTMAX_S16.decode!(softmax());
  assert.deepEqual([p.rows, p.rowSize, p.multiplier, p.shift], [2, 9, 1 << 30, 2]);
  rejects(softmax(512), SOFTMAX_S16.decode!, /513 entries/);
});
