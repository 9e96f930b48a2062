// cortex_m.quantized_batch_matmul's record: what decode(node) holds for a
// hand-built node (expectations written from the attributes given), and the
// shapes it refuses, naming the node.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../index.js";
import { decoderOf } from "../../ir/bindings.js";
import { IRError } from "../../ir/errors.js";
import { Graph, makeType, type Node } from "../../ir/graph.js";
import { QUANTIZED_BATCH_MATMUL } from "./batch_matmul.js";
import { nodeMacs } from "./macs.js";

const ATTRS = { lhs_offset: 13, rhs_offset: -7, output_offset: 3, multiplier: 1 << 30, shift: -5, activation_min: -100, activation_max: 90 };

function bmm(lhs: number[], rhs: number[], out: number[], attrs: Record<string, number> = ATTRS): Node {
  const g = new Graph("bmm");
  const a = g.addInput("a", makeType("i8", lhs));
  const b = g.addInput("b", makeType("i8", rhs));
  return g.addNode(QUANTIZED_BATCH_MATMUL.name, [a, b], attrs, { name: "mm", outputTypes: [makeType("i8", out)] });
}

test("batch matmul record: batches from the leading dims, rows, columns (rhs rows), depth, offsets and requantization", () => {
  const p = decoderOf(QUANTIZED_BATCH_MATMUL)(bmm([2, 3, 4, 5], [2, 3, 6, 5], [2, 3, 4, 6]));
  assert.deepEqual([p.batches, p.m, p.n, p.k], [6, 4, 6, 5]);
  assert.deepEqual([p.lhsOffset, p.rhsOffset, p.outputOffset, p.multiplier, p.shift], [13, -7, 3, 1 << 30, -5]);
  assert.deepEqual(p.activation, { min: -100, max: 90 });
  assert.equal(p.operands.scratch, null);
});

test("batch matmul record: refuses other depths, other batch dims and a wrong output, naming the node", () => {
  const refuses = (n: Node, re: RegExp): void => {
    assert.throws(() => decoderOf(QUANTIZED_BATCH_MATMUL)(n), (e: unknown) => e instanceof IRError && re.test(e.message) && e.message.includes("mm"));
  };
  refuses(bmm([1, 4, 5], [1, 6, 4], [1, 4, 6]), /depths differ/);
  refuses(bmm([2, 4, 5], [1, 6, 5], [2, 4, 6]), /batch dims differ/);
  refuses(bmm([1, 4, 5], [1, 6, 5], [1, 4, 5]), /output \[1,4,5\] is not \[1,4,6\]/);
  const { shift: _s, ...noShift } = ATTRS;
  refuses(bmm([1, 4, 5], [1, 6, 5], [1, 4, 6], noShift), /shift/);
});

test("batch matmul MACs: batches × rows × columns × depth", () => {
  assert.equal(nodeMacs(bmm([2, 3, 4, 5], [2, 3, 6, 5], [2, 3, 4, 6])), 6 * 4 * 6 * 5);
});
