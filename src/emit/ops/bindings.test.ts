// The binding mechanism and its parity: every op spec with a prepared record
// is bound in both back ends (the simulator and the C generator), derived from
// the specs and the two binding tables — and the check does report a missing row.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import { bindNode, bindRecord, Bindings, type Binding } from "../../ir/bindings.js";
import { Graph, makeType, type Node } from "../../ir/graph.js";
import { allOpDefs } from "../../ir/registry.js";
import { CLAMP, type ClampParams } from "../../ops/cortex_m/elementwise.js";
import { RUNTIME_OPS } from "../../runtime/ops/index.js";
import { EMITTERS } from "./index.js";

/** Ops with a record that `table` does not bind. */
function unbound(table: { has(op: string): boolean }): string[] {
  return allOpDefs().filter((d) => d.decode && !table.has(d.name)).map((d) => d.name).sort();
}

test("every op with a prepared record has a simulator binding and a C emitter", () => {
  const withRecord = allOpDefs().filter((d) => d.decode).map((d) => d.name);
  assert.ok(withRecord.length >= 14, `records: ${withRecord.join(", ")}`);
  assert.deepEqual(unbound(RUNTIME_OPS), []);
  assert.deepEqual(unbound(EMITTERS), []);
});

test("the parity check reports a binding table missing a row", () => {
  const rows = EMITTERS.ops().filter((op) => op !== CLAMP.name).map((op) => bindNode(op, EMITTERS.get(op)!));
  assert.deepEqual(unbound(new Bindings("C generator without clamp", rows)), [CLAMP.name]);
});

test("an op bound twice in one back end is an error", () => {
  const f = (): void => undefined;
  assert.throws(() => new Bindings("twice", [bindNode(CLAMP, f), bindNode(CLAMP.name, f)]), /cortex_m.clamp is bound twice/);
});

function clampNode(max: number): Node {
  const g = new Graph("b");
  const x = g.addInput("x", makeType("i8", [3]));
  return g.op(CLAMP.name, [x], { activation_min: -2, activation_max: max }, { name: "c" }).producer!;
}

test("a record binding decodes the node once per call and hands the typed record on", () => {
  const seen: ClampParams[] = [];
  const b: Binding<(n: Node, ctx: string) => string> = bindRecord(CLAMP, (p, node, ctx) => {
    seen.push(p);
    return `${ctx}:${node.name}:${p.activation.min}..${p.activation.max}`;
  });
  assert.equal(b.op, CLAMP.name);
  assert.equal(b.fn(clampNode(9), "sim"), "sim:c:-2..9");
  assert.equal(seen.length, 1);
  // A node the spec refuses never reaches the back end's code.
  assert.throws(() => b.fn(clampNode(200), "sim"), /activation range \[-2, 200\]/);
  assert.equal(seen.length, 1);
});
