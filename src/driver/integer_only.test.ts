// --integer-only (issue #13 Deliver 3): after quantization every op lowers to
// an integer kernel, or the build fails with one line naming the node.
// Wav2Letter's only float op, log_softmax, becomes arm_softmax_s8 + a log
// table. A model with an op that has no integer kernel (here a pow between two
// convs) must refuse by name. (YOLO11n's integer-only build: integer_only_yolo.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages, type BuildOptions } from "./stages.js";
import { ENGINES } from "./verify.js";
import { UserError } from "../ir/errors.js";
import { runFloat } from "../interp/float.js";
import { randomFeeds } from "../io/feeds.js";
import { firstFloatNode } from "../lower/integer_only.js";
import { ModelBuilder } from "../builder/index.js";

const W2L: BuildOptions = { stage: "final", inputShapes: { input: [1, 1, 700] } };

test("default builds keep log_softmax in float (the integer-only pattern does not apply)", async () => {
  const s = await buildStages("wav2letter", { ...W2L });
  const ls = s.final!.nodes.find((n) => n.op === "aten.log_softmax");
  assert.ok(ls, "float log_softmax kept");
  // The first float step is the dequantize that feeds it (compared by name: a Node prints the whole graph).
  assert.equal(firstFloatNode(s.final!)?.name, ls.inputs[0]!.producer?.name);
  assert.equal(ls.inputs[0]!.producer?.op, "cortex_m.dequantize_per_tensor");
});

test("--integer-only: refused with one line naming the first node that would run in float (a pow between convs)", async () => {
  const b = new ModelBuilder("pow_between_convs", 5);
  const x = b.input("x", [1, 2, 6, 6]);
  b.output(b.conv2d(b.pow(b.conv2d(x, { out: 4, k: 3, pad: 1 }), 3), { out: 2, k: 1 }));
  let err: unknown = null;
  try {
    await buildStages(b.build(), { stage: "final", calibRandom: 1, integerOnly: true });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
  const msg = (err as Error).message;
  assert.ok(!msg.includes("\n"), msg);
  assert.match(msg, /^--integer-only: node \S+ \((aten|cortex_m)\.\w+\) would run in float: .+$/);
  console.log(`# ${msg}`);
});
