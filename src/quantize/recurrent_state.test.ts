// The recurrent-state rule of annotate.ts on a model that keeps h and c in one tensor (Silero's layout: a
// [2,1,H] state sliced into h0 / c0, Y_h and Y_c joined by a cat). A default build (--integer-lstm) keeps the
// moves carrying the cell float; an integer-only build makes them integer, one group with the cell, and lists
// the two places where that group meets Y's grid (h0 read by the LSTM, Y_h read by the cat).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Node } from "../ir/graph.js";
import { LSTM_OP } from "../ops/rnn/lstm.js";
import { annotate } from "./annotate.js";
import { convLstmStateModel } from "../../test/support/conv_lstm.js";

function parts() {
  const g = convLstmStateModel();
  const lstm = g.nodes.find((n) => n.op === LSTM_OP.name)!;
  const [h0, c0] = [lstm.inputs[4]!, lstm.inputs[5]!];
  const [y, yh, yc] = lstm.outputs as [typeof h0, typeof h0, typeof h0];
  const cat = yc.users()[0]!;
  const state = g.inputs.find((v) => v.name === "state")!;
  return { g, lstm, h0, c0, y, yh, yc, cat, state, slices: [h0.producer!, c0.producer!] as Node[] };
}

test("integer-only: the state, its slices, Y_c and the cat are one int16 cell group; h0 and Y_h cross to Y's grid where read", () => {
  const { g, lstm, h0, c0, y, yh, yc, cat, state, slices } = parts();
  const ann = annotate(g, { integerOnly: true });
  const cellGroup = ann.groupOf.get(yc)!;
  assert.ok(cellGroup.recurrentCell, "the cell's group is the recurrent cell");
  for (const v of [state, h0, c0, cat.output]) assert.equal(ann.groupOf.get(v), cellGroup, `${v.name} in the cell group`);
  assert.equal(ann.groupOf.get(yh), ann.groupOf.get(y), "Y_h stays on Y's grid");
  assert.notEqual(ann.groupOf.get(y), cellGroup);
  for (const n of [...slices, cat]) assert.equal(ann.roles.get(n)!.kind, "shared", `${n.name} is an integer move`);
  const reads = (ann.stateReads ?? []).map((r) => [r.node, r.index, r.grid] as const);
  assert.deepEqual(reads, [[lstm, 4, y], [cat, cat.inputs.indexOf(yh), cat.output]]);
});

test("default (--integer-lstm): the moves carrying the cell stay float, h0 / Y_h share Y's group, nothing crosses", () => {
  const { g, h0, c0, y, yh, yc, cat, slices } = parts();
  const ann = annotate(g, { integerPatterns: ["lstm"] });
  for (const n of [...slices, cat]) assert.equal(ann.roles.get(n)!.kind, "float", `${n.name} stays float`);
  for (const v of [h0, yh]) assert.equal(ann.groupOf.get(v), ann.groupOf.get(y));
  assert.ok(ann.groupOf.get(c0)!.recurrentCell);
  assert.equal(ann.groupOf.get(c0), ann.groupOf.get(yc));
  assert.equal(ann.groupOf.get(cat.output), undefined);
  assert.equal(ann.stateReads, undefined);
});
