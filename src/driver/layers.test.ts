import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { cloneGraph } from "../ir/clone.js";
import { randomFeeds } from "../io/feeds.js";
import { repoRoot } from "../targets/toolchain.js";
import { compareLayers } from "./layers.js";
import { buildStages } from "./stages.js";

const SHAPE = { inputShapes: { input: [1, 1, 700] } };

test("compareLayers pairs every int8 op of wav2letter with its quantize output, each within 1 step teacher-forced", async () => {
  const s = await buildStages("wav2letter", { stage: "final", calibRandom: 2, ...SHAPE });
  const layers = compareLayers(s.final!, s.quantized!.graph, randomFeeds(s.float, 11));
  // input quantize + 12 convolutions
  assert.equal(layers.length, 13);
  assert.equal(layers.filter((l) => l.op === "cortex_m.quantized_conv2d" || l.op === "cortex_m.quantized_depthwise_conv2d").length, 12);
  for (const l of layers) assert.ok(l.local.max <= 1, `${l.name}: ${JSON.stringify(l)}`);
});

test("a corrupted requantization shows up at its own layer, teacher-forced, and not before", async () => {
  const s = await buildStages("wav2letter", { stage: "final", calibRandom: 2, ...SHAPE });
  const g = cloneGraph(s.final!);
  const convs = g.nodes.filter((n) => n.op === "cortex_m.quantized_conv2d");
  const victim = convs[4]!;
  const mult = victim.input(3);
  // 3% more gain on every output channel of one layer
  mult.data = Int32Array.from(mult.data as Int32Array, (m) => Math.round(m * 1.03));
  const layers = compareLayers(g, s.quantized!.graph, randomFeeds(s.float, 11));
  const at = layers.findIndex((l) => l.op === victim.op && l.name === victim.meta.quantizedFrom);
  assert.ok(at > 0, "the corrupted layer is paired");
  assert.ok(layers[at]!.local.max > 1, `corrupted layer only ${layers[at]!.local.max} steps away`);
  for (const l of layers.slice(0, at)) assert.ok(l.local.max <= 1, `${l.name} before the corrupted layer: ${l.local.max} steps`);
});

test("cmsis-lower verify --layers prints the per-layer table", () => {
  const cli = resolve(repoRoot(), "dist/src/cli/main.js");
  const r = spawnSync(process.execPath, [cli, "verify", "wav2letter", "--input-shape", "input=1x1x700", "--calib-random", "2", "--layers"], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const head = r.stdout.split("\n").find((l) => l.startsWith("per layer"));
  assert.ok(head, r.stdout);
  assert.match(head!, /teacher-forced max [01] steps? over 13 int8 ops/);
  assert.equal(r.stdout.split("\n").filter((l) => /^\s+quantized_(depthwise_)?conv2d\s/.test(l)).length, 12);
});
