// `cmsis-lower profile`: Silero VAD v5 on the Cortex-M55, M4 and M3 boards
// linked with the real CMSIS-NN; the JSON is printed and its structure, the
// categories of the steps and the step sum against the measured total are
// checked. The category table is checked on its own without a toolchain.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "./stages.js";
import { boardOfCpu, profileC, profileJson } from "./profile.js";
import { opCategory, STEP_CATEGORIES, EMITTERS } from "../emit/ops/index.js";
import { randomFeeds } from "../io/feeds.js";
import { boardInfo } from "../targets/boards.js";
import { ARM, realCmsisNn } from "../../test/support/c_models.js";

/** The categories the issue names, written out for the ops these models lower to. */
const EXPECTED: Record<string, string> = {
  "cortex_m.quantized_conv2d": "conv",
  "cortex_m.quantized_depthwise_conv2d": "conv",
  "cortex_m.quantized_linear": "conv",
  "dim_order_ops._clone_dim_order": "layout",
  "aten.view_copy": "layout",
  "aten.permute_copy": "layout",
  "cortex_m.transpose": "layout",
  "aten.pad": "layout",
  "cortex_m.pad": "layout",
  "aten.cat": "data_movement",
  "aten.split_with_sizes_copy": "data_movement",
  "aten.slice_copy": "data_movement",
  "aten.upsample_nearest2d": "data_movement",
  "aten.index_select": "data_movement",
  "cortex_m.quantize_per_tensor": "quantize",
  "cortex_m.dequantize_per_tensor": "quantize",
  "aten.lstm": "float",
  "aten.sqrt": "float",
  "aten.log_softmax": "float",
  "cortex_m.dequantize_softmax": "float",
  "aten.matmul": "float",
  "cortex_m.quantized_add": "other_int8",
  "cortex_m.quantized_activation": "other_int8",
  "cortex_m.quantized_max_pool2d": "other_int8",
  "cortex_m.softmax": "other_int8",
};

test("profile categories: each op's category is the issue's; every emitted op has one", () => {
  for (const [op, c] of Object.entries(EXPECTED)) assert.equal(opCategory(op), c, op);
  for (const op of EMITTERS.keys()) assert.ok((STEP_CATEGORIES as readonly string[]).includes(opCategory(op)), op);
});

test("profile: a core without an emulated board is refused with a message", () => {
  assert.throws(() => boardOfCpu("cortex-m7"), /no emulated board/);
  assert.equal(boardOfCpu("cortex-m4"), "mps2-an386");
});

const NN = realCmsisNn();

for (const cpu of ["cortex-m55", "cortex-m4", "cortex-m3"]) {
  test(`profile silero-vad --target ${cpu} --cmsis-nn: JSON structure, categories, step sum = total within the hooks' cost`, { skip: !NN || !ARM }, async () => {
    const s = await buildStages("silero-vad", { stage: "final", target: cpu });
    const r = await profileC(s, { model: "silero-vad", target: cpu, feeds: randomFeeds(s.final!, 1), cmsisNn: NN!, name: "vad" });
    const json = profileJson(r) as { total: number; steps: Record<string, unknown>[]; shares: Record<string, number> };
    console.log(JSON.stringify(json));
    const tick = boardInfo(r.board).instructionsPerTick;
    assert.ok(Number.isInteger(json.total) && json.total > 0);
    assert.deepEqual(Object.keys(json.shares).sort(), [...STEP_CATEGORIES].sort());
    assert.ok(json.steps.length >= 20, `${json.steps.length} steps`);
    let sum = 0;
    for (const st of json.steps) {
      assert.deepEqual(Object.keys(st).sort(), ["category", "instructions", "kernel", "name", "op"]);
      assert.ok(typeof st.name === "string" && st.name.length > 0 && typeof st.kernel === "string" && st.kernel.length > 0);
      if (EXPECTED[st.op as string]) assert.equal(st.category, EXPECTED[st.op as string], `${st.name} (${st.op})`);
      const n = st.instructions as number;
      // Board counter ticks: every step is a whole number of them.
      assert.ok(Number.isInteger(n) && n >= 0 && n % tick === 0, `${st.name}: ${n}`);
      sum += n;
    }
    for (const c of STEP_CATEGORIES) {
      const own = json.steps.filter((st) => st.category === c).reduce((a, st) => a + (st.instructions as number), 0);
      assert.ok(Math.abs(json.shares[c]! - own / json.total) < 1e-12, c);
    }
    // The work is where the model has it: the STFT conv and the encoder in conv, the LSTM in float.
    assert.ok(json.steps.some((st) => st.op === "aten.lstm" && (st.instructions as number) > 0));
    assert.ok(json.shares.conv! > 0.05 && json.shares.float! > 0.05, JSON.stringify(json.shares));
    // Steps nest inside the measured call: the difference is the hooks' own reads and stores
    // (≤ 16 instructions a step) and the tick rounding of each reading.
    const steps = json.steps.length;
    const diff = json.total - sum;
    assert.ok(diff >= -steps * tick && diff <= steps * (16 + tick) + 2 * tick, `total ${json.total}, step sum ${sum}, ${steps} steps`);
  });
}
