// Property: any small valid graph built with the builder — a stem conv, then a random chain of
// convs, depthwise convs, pools, activations, residual adds, gates, concats and
// upsampling, with a random head — compiles, and the generated C on the host
// (gcc, ASan + UBSan) gives the same bytes as the TypeScript simulator on every
// output element. Seeded and shrinkable (fast-check); 25 runs, as each links C.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";
import { verifyC } from "../driver/engines_c.js";
import { feedsOf, HOST_CC, smallModel } from "../../test/support/c_models.js";

type Op =
  | { kind: "conv"; out: number; k: number; stride: number }
  | { kind: "dw"; k: number; stride: number }
  | { kind: "act"; fn: "relu" | "relu6" | "sigmoid" | "tanh" | "hardswish" | "silu" | "leakyRelu" }
  | { kind: "pool"; max: boolean }
  | { kind: "residual" }
  | { kind: "gate" }
  | { kind: "cat" }
  | { kind: "up" };

interface Spec {
  input: [number, number, number];
  /** Channels of the stem conv: the compiler quantizes from a conv on (a graph that starts with a pool keeps it in float, with no C kernel). */
  stem: number;
  ops: Op[];
  head: "none" | "linear" | "softmax" | "mean";
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("conv" as const), out: fc.integer({ min: 1, max: 8 }), k: fc.constantFrom(1, 3), stride: fc.constantFrom(1, 2) }),
  fc.record({ kind: fc.constant("dw" as const), k: fc.constantFrom(1, 3), stride: fc.constantFrom(1, 2) }),
  fc.record({ kind: fc.constant("act" as const), fn: fc.constantFrom("relu", "relu6", "sigmoid", "tanh", "hardswish", "silu", "leakyRelu") }),
  fc.record({ kind: fc.constant("pool" as const), max: fc.boolean() }),
  fc.constantFrom<Op>({ kind: "residual" }, { kind: "gate" }, { kind: "cat" }, { kind: "up" }),
);

const specArb: fc.Arbitrary<Spec> = fc.record({
  input: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 8 })),
  stem: fc.integer({ min: 1, max: 8 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 5 }),
  head: fc.constantFrom("none", "linear", "softmax", "mean"),
});

/** Apply one op where it fits the current shape [1, C, H, W]; an op that does not fit is skipped. */
function apply(b: ModelBuilder, x: Value, op: Op): Value {
  const [, c, h, w] = x.shape as [number, number, number, number];
  switch (op.kind) {
    case "conv": return b.conv2d(x, { out: op.out, k: op.k, stride: op.stride, pad: op.k >> 1 });
    case "dw": return b.depthwise2d(x, { k: op.k, stride: op.stride, pad: op.k >> 1 });
    case "act": return op.fn === "relu6" ? b.relu6(x) : op.fn === "leakyRelu" ? b.leakyRelu(x, 0.1) : b[op.fn](x);
    case "pool":
      if (h < 2 || w < 2) return x;
      return op.max ? b.maxpool2d(x, { k: 2, stride: 2 }) : b.avgpool2d(x, { k: 2, stride: 2 });
    case "residual": return b.add(x, b.conv2d(x, { out: c, k: 1 }));
    case "gate": return b.mul(x, b.sigmoid(x));
    case "cat": return b.cat([x, b.relu(b.conv2d(x, { out: 2, k: 1 }))], 1);
    case "up": return h * w > 64 ? x : b.upsampleNearest2d(x, { scale: 2 });
  }
}

function build(spec: Spec) {
  return (b: ModelBuilder, x: Value): Value => {
    let y = b.conv2d(x, { out: spec.stem, k: 3, pad: 1 });
    for (const op of spec.ops) y = apply(b, y, op);
    switch (spec.head) {
      case "none": return y;
      case "linear": return b.linear(b.flatten(y, 1), { out: 5 });
      case "softmax": return b.softmax(b.linear(b.flatten(y, 1), { out: 6 }), 1);
      case "mean": return b.mean(y, [2, 3], true);
    }
  };
}

test("random small builder graphs: generated C on the host = int8 simulator, element by element", { skip: !HOST_CC && "no host gcc" }, async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(specArb, async (spec) => {
      runs++;
      const m = smallModel(build(spec), [1, ...spec.input]);
      const rows = await verifyC(m, { model: "random", name: "rnd", targets: ["host"], steps: feedsOf(m, [31, 32]) });
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.equal(row.skipped, undefined, `skipped: ${row.skipped}`);
      assert.equal(row.identical, true, `${JSON.stringify(spec)}: ${row.mismatches.join("; ")}`);
    }),
    { seed: Number(process.env.PROP_SEED ?? 20261201), numRuns: Number(process.env.PROP_RUNS ?? 25) },
  );
  assert.equal(runs >= 25, true, "every generated graph ran");
});
