// scratch
import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelBuilder } from "../builder/index.js";
import { buildStages } from "./stages.js";
import { createProgram } from "../runtime/program.js";
import { randomFeeds } from "../io/feeds.js";

function convLstm() {
  const b = new ModelBuilder("conv_lstm", 5);
  const x = b.input("x", [1, 4, 8]);
  const h0 = b.input("h0", [1, 1, 6]);
  const c0 = b.input("c0", [1, 1, 6]);
  const f = b.relu(b.conv1d(x, { out: 5, k: 3 }));
  const seq = b.permute(f, [2, 0, 1]);
  const { y, h, c } = b.lstm(seq, h0, c0, { hidden: 6 });
  b.output(y, "y");
  b.output(h, "h");
  b.output(c, "c");
  return b.build();
}

test("scratch", async () => {
  const s = await buildStages(convLstm(), { stage: "final", target: "cortex-m4", calibRandom: 8, integerOnly: true });
  console.log(s.final!.nodes.map((n) => `${n.op} ${n.inputs.map((v) => v ? v.dtype : "-").join(",")} -> ${n.outputs.map((v) => v.dtype).join(",")}`).join("\n"));
  const prog = createProgram(s.final!, s.plan!);
  const o = prog.run(randomFeeds(s.final!, 3));
  console.log(o);
  assert.ok(true);
});
