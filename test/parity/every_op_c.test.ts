// Every op the float interpreter can run compiles to C (issue 11, "Must show"): the op
// list is derived from the registry (every spec with an eval, less the quantize /
// dequantize ops the lowering always replaces), and each op must appear, after
// quantization and lowering, in one of the small models below. Each model goes through
// the compiler and the generated C is built and run on the host (gcc, sanitizers); its
// outputs must equal the simulator's byte for byte — for the GELU, window and typed models
// also on the emulated Cortex-M55, M4 (single-precision FPU) and M3 (no FPU) boards where
// the Arm toolchain is installed;
// the project's own Makefile builds it warning-free on the host. An op added with an eval but no
// C emitter fails here twice: no model names it, and once one does, compile refuses it.
import "../../src/ops/index.js";
import "../../src/ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelBuilder } from "../../src/builder/index.js";
import { verifyC } from "../../src/driver/engines_c.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertIdentical, boardTargets, feedsOf, HOST_CC } from "../support/c_models.js";
import { emitProject, writeProject } from "../../src/emit/project.js";
import { exec } from "../../src/targets/build.js";
import type { EmitInput } from "../../src/emit/project.js";
import type { Graph, Value } from "../../src/ir/graph.js";
import { allOpDefs, dialectOf } from "../../src/ir/registry.js";
import { DQ, DQC, Q } from "../../src/lower/match.js";
import { lowerOptions } from "../../src/lower/options.js";
import { lowerGraph } from "../../src/lower/pipeline.js";
import { planGraph } from "../../src/plan/graph_plan.js";
import { randomSource } from "../../src/quantize/calibrate.js";
import { quantizeGraph } from "../../src/quantize/quantize.js";

/** The ops the float interpreter runs that can reach the back ends: every eval, less what ReplaceQuantNodes always rewrites. */
export function floatRunnableOps(): string[] {
  const consumed = new Set([Q, DQ, DQC]);
  return allOpDefs().filter((d) => d.eval && !consumed.has(d.name)).map((d) => d.name).sort();
}

interface Case {
  name: string;
  input: number[];
  build(b: ModelBuilder, x: Value): Value | Value[];
  /** Quantize as a user would (ops that survive lowering on their own) instead of keeping every op float. */
  natural?: boolean;
  /** Also run on the emulated boards (the kernels whose float or integer conversions a core could change). */
  boards?: boolean;
}

const op = (b: ModelBuilder, name: string, inputs: (Value | null)[], attrs: Record<string, unknown> = {}): Value =>
  b.graph.op(name, inputs, attrs as never);
const seq = (n: number, scale = 1, shift = 0) => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 1.7 + shift) * scale));

/** One model per op family: each keeps its ops in float (forced, or as lowering leaves them). */
const CASES: Case[] = [
  {
    name: "unary", input: [2, 3, 5], boards: true,
    build: (b, x) => {
      let y = b.relu(x);
      y = b.add(b.sqrt(op(b, "aten.abs", [x])), b.exp(op(b, "aten.neg", [y])));
      y = b.mul(op(b, "aten.log", [b.add(op(b, "aten.abs", [y]), 0.25)]), b.sigmoid(y));
      y = b.add(b.tanh(y), b.silu(y));
      y = b.sub(b.hardswish(y), b.hardsigmoid(x));
      y = b.leakyRelu(op(b, "aten.gelu", [y]), 0.2);
      return [b.hardtanh(y, -0.5, 0.75), b.clamp(y, -0.3, null), b.clamp(x, null, 0.1)];
    },
  },
  {
    name: "binary", input: [2, 3, 4],
    build: (b, x) => {
      const c = b.constant("c", [3, 1], seq(3, 2, 1));
      const y = b.div(b.add(x, c), b.add(op(b, "aten.abs", [x]), 0.5));
      const z = b.sub(b.mul(y, x), op(b, "aten.pow", [op(b, "aten.abs", [y]), b.constant("e", [], [1.5])]));
      return [op(b, "aten.maximum", [z, c]), op(b, "aten.minimum", [y, b.constant("m", [4], seq(4))]), b.pow(x, 2)];
    },
  },
  {
    name: "typed", input: [2, 3, 4], boards: true,
    build: (b, x) => {
      const i = op(b, "aten._to_copy", [b.mul(x, 3)], { dtype: "i32" });
      const mask = op(b, "aten.eq", [i, b.constant("zero", [1], [0], "i64")]);
      const keep = op(b, "aten.logical_not", [op(b, "aten._to_copy", [i], { dtype: "bool" })]);
      const picked = op(b, "aten.where", [mask, x, b.constant("fill", [4], seq(4, 5))]);
      const both = op(b, "aten.where", [keep, op(b, "aten.amax", [i], { dims: [2], keepdim: true }), i]);
      const feq = op(b, "aten.eq", [x, op(b, "aten.amax", [x], { dims: [1], keepdim: true })]);
      return [picked, op(b, "aten._to_copy", [both], { dtype: "f32" }), op(b, "aten._to_copy", [feq], { dtype: "f32" }),
        op(b, "aten._to_copy", [b.mul(x, 300)], { dtype: "u8" })];
    },
  },
  {
    name: "softmax", input: [2, 5, 3],
    build: (b, x) => [b.softmax(x, 1), b.logSoftmax(x, 2)],
  },
  {
    name: "linear", input: [2, 3, 6],
    build: (b, x) => {
      const y = b.linear(x, { out: 4 });
      return b.matmul(y, b.permute(y, [0, 2, 1]));
    },
  },
  {
    name: "window", input: [1, 4, 7, 6], boards: true,
    build: (b, x) => {
      const c = b.conv2d(x, { out: 4, k: 3, pad: 1, stride: 2, dilation: 1, groups: 2 });
      const m = b.maxpool2d(x, { k: 3, stride: 2, pad: 1, dilation: 2 });
      const a = b.avgpool2d(x, { k: 3, stride: 2, pad: 1, ceilMode: true, countIncludePad: true });
      const a2 = b.avgpool2d(x, { k: 2, stride: 1, pad: 1, countIncludePad: false });
      const t = op(b, "aten.convolution", [x, b.param("wt", [4, 2, 3, 2], seq(48, 0.5)), b.param("bt", [2], seq(2, 0.1))],
        { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 1, transposed: true, output_padding: [1, 0] });
      return [c, m, a, a2, t];
    },
  },
  {
    name: "window1d", input: [1, 3, 9],
    build: (b, x) => {
      const c = b.conv1d(x, { out: 2, k: 3, pad: 1, padEnd: 2, dilation: 2 });
      const m = op(b, "aten.max_pool1d", [x], { kernel_size: [3], stride: [2], padding: [1], dilation: [1], ceil_mode: true });
      const a = op(b, "aten.avg_pool1d", [x], { kernel_size: [2], stride: [2], padding: [1], ceil_mode: false, count_include_pad: false });
      return [c, m, a];
    },
  },
  {
    name: "importer breadth", input: [2, 3, 4], boards: true,
    build: (b, x) => {
      const t = b.constant("t", [4], seq(4, 0.8));
      const lt = op(b, "aten.lt", [x, t]);
      const le = op(b, "aten.le", [t, x]);
      const i = op(b, "aten._to_copy", [b.mul(x, 2)], { dtype: "i64" });
      const ile = op(b, "aten.le", [i, b.constant("one", [1], [1], "i64")]);
      const both = op(b, "aten.logical_and", [lt, ile]);
      const either = op(b, "aten.logical_or", [le, op(b, "aten.lt", [i, b.constant("mone", [], [-1], "i64")])]);
      const sel = op(b, "aten.where", [both, op(b, "aten.erf", [x]), op(b, "aten.sum", [x], { dims: [1], keepdim: true })]);
      return [sel, op(b, "aten._to_copy", [either], { dtype: "f32" }), op(b, "aten.sum", [op(b, "aten.erf", [b.mul(x, 3)])], { dims: [0, 2], keepdim: false })];
    },
  },
  {
    name: "reduce", input: [2, 3, 4],
    build: (b, x) => [b.mean(x, [1, 2], true), op(b, "aten.amax", [x], { dims: [0, 2], keepdim: false }), op(b, "aten.amax", [x], { dims: [] })],
  },
  {
    name: "data movement", input: [1, 4, 3, 4],
    build: (b, x) => {
      const [p, q] = b.split(x, [1, 3], 1) as [Value, Value];
      const y = b.cat([b.slice(q, 3, 1, 4, 2), b.slice(p, 3, 0, 2)], 1); // [1,4,3,2]
      const z = op(b, "aten.index_select", [y, b.constant("idx", [3], [2, 0, 2], "i64")], { dim: 1 }); // [1,3,3,2]
      const pd = b.pad(z, [1, 1, 1, 0], "reflect"); // [1,3,4,4]
      const up = b.upsampleNearest2d(b.pad(z, [1, 0], "constant", 0.5), { scale: 2 });
      const cl = op(b, "dim_order_ops._clone_dim_order", [b.permute(pd, [0, 2, 1, 3])], { dim_order: [0, 2, 3, 1] });
      return [b.view(cl, [1, 48]), op(b, "aten.clone", [up])];
    },
  },
  {
    name: "lstm", input: [3, 2, 4],
    build: (b, x) => {
      const H = 3;
      const out = b.graph.op("aten.lstm", [x, b.param("W", [1, 4 * H, 4], seq(48, 0.4)), b.param("R", [1, 4 * H, H], seq(36, 0.4, 2)),
        b.param("B", [1, 8 * H], seq(24, 0.2, 3)), null, null], { hidden_size: H } as never);
      return out;
    },
  },
  // As lowering leaves them in a quantized model: a pool in front of the first conv, an
  // asymmetric conv1d padding CMSIS-NN has no form for, a transposed conv, an amax island.
  {
    name: "natural", input: [1, 3, 8], natural: true,
    build: (b, x) => {
      const p = op(b, "aten.max_pool1d", [x], { kernel_size: [2], stride: [1], padding: [0], dilation: [1], ceil_mode: false });
      const c = b.conv1d(p, { out: 4, k: 3, pad: 0, padEnd: 1 });
      const t = op(b, "aten.convolution", [c, b.param("wt", [4, 2, 3], seq(24, 0.3)), null],
        { stride: [2], padding: [1], dilation: [1], groups: 1, transposed: true, output_padding: [1] });
      const m = op(b, "aten.amax", [t], { dims: [2], keepdim: true });
      return b.conv1d(op(b, "aten.amax", [op(b, "aten.gelu", [m])], { dims: [1], keepdim: true }), { out: 2, k: 1 });
    },
  },
];

function compileCase(c: Case): EmitInput {
  const b = new ModelBuilder(c.name.replace(/ /g, "_"), 5);
  const x = b.input("x", c.input);
  const outs = c.build(b, x);
  for (const o of Array.isArray(outs) ? outs : [outs]) b.output(o);
  const g: Graph = b.build();
  const q = quantizeGraph(g, randomSource(3, { seed: 2 }), { sqnr: false, ...(c.natural ? {} : { keepFloat: () => true }) });
  const options = lowerOptions("cortex-m55");
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options };
}

const built = new Map(CASES.map((c) => [c.name, compileCase(c)]));

/** The ops of `ops` that no compiled model holds after lowering. */
function uncovered(ops: readonly string[]): string[] {
  const seen = new Set([...built.values()].flatMap((m) => m.final!.nodes.map((n) => n.op)));
  return ops.filter((o) => !seen.has(o));
}

test("every op the float interpreter runs appears, after lowering, in one of the models", () => {
  const missing = uncovered(floatRunnableOps());
  assert.deepEqual(missing, [], `ops with an eval that no model here compiles: ${missing.join(", ")}`);
  // The check can fail: an op the registry gained without a model here is reported.
  assert.deepEqual(uncovered([...floatRunnableOps(), "aten.some_new_op"]), ["aten.some_new_op"]);
});

test("the derived op list is the registry's: it grows with a new op", () => {
  const ops = floatRunnableOps();
  // The twelve that compile refused before the generic float C path, and a sample of the rest.
  for (const o of ["aten._to_copy", "aten.amax", "aten.avg_pool1d", "aten.avg_pool2d", "aten.clamp", "aten.convolution", "aten.eq",
    "aten.gelu", "aten.logical_not", "aten.max_pool1d", "aten.max_pool2d", "aten.where", "aten.lstm", "aten.add"]) {
    assert.ok(ops.includes(o), o);
  }
  assert.ok(!ops.includes(Q) && !ops.some((o) => dialectOf(o) === "cortex_m"), "quantize ops and lowered ops are not float-interpreter ops");
});

for (const c of CASES) {
  test(`${c.name}: the generated C (host${c.boards ? ", boards" : ""}) = the simulator, byte for byte; make builds it`, { skip: !HOST_CC && "no host gcc" }, async () => {
    const m = built.get(c.name)!;
    const name = c.name.replace(/ /g, "_");
    const targets = ["host" as const, ...(c.boards ? boardTargets() : [])];
    const rows = await verifyC(m, { model: c.name, name, targets, steps: feedsOf(m, [11, 12]) });
    assert.equal(rows.length, targets.length);
    assertIdentical(rows);
    const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-every-op-"));
    try {
      writeProject(join(dir, name), emitProject(m, { name }).files);
      const r = await exec("make", ["-C", join(dir, name), "-s", "CC=gcc"]);
      assert.equal(r.code, 0, `make:\n${r.stdout}${r.stderr}`);
      assert.equal((r.stdout + r.stderr).includes("warning"), false, r.stdout + r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
