// Option errors of the built CLI as real processes: commander's errors are one
// line pointing at the command's --help (not the whole help), numeric options
// are validated, verify refuses what would check nothing, its thresholds set
// the exit code, and every diagnostic goes to stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeWav } from "../../src/io/wav.js";
import { encodeModel, seededValues, type ModelSpec } from "../fixtures/onnx-model.js";
import { cli, oneErrorLine, startCli } from "./process.js";

const conv: ModelSpec = {
  inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "y" }],
  initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
  nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0" }],
};
const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-options-"));
const model = join(dir, "conv.onnx");
writeFileSync(model, encodeModel(conv));
const shortWav = join(dir, "ten-samples.wav");
writeWav(shortWav, seededValues(10, 3, -0.5, 0.5), 16000);

const CASES: { name: string; args: string[]; mentions: string[] }[] = [
  { name: "an unknown option", args: ["run", model, "--bogus"], mentions: ["unknown option '--bogus'", "see 'cmsis-lower run --help'"] },
  { name: "a bad choice", args: ["inspect", model, "--stage", "nope"], mentions: ["'nope' is invalid", "see 'cmsis-lower inspect --help'"] },
  { name: "a missing -o", args: ["compile", model], mentions: ["-o, --out <dir>", "see 'cmsis-lower compile --help'"] },
  { name: "--arena heap", args: ["compile", model, "--arena", "heap", "-o", join(dir, "never")], mentions: ["--arena", "'heap' is invalid", "see 'cmsis-lower compile --help'"] },
  { name: "a missing argument", args: ["verify"], mentions: ["missing required argument 'model'", "see 'cmsis-lower verify --help'"] },
  { name: "an unknown command", args: ["frobnicate"], mentions: ["unknown command 'frobnicate'", "see 'cmsis-lower --help'"] },
  { name: "--seed abc", args: ["run", model, "--seed", "abc"], mentions: ["--seed", "'abc'"] },
  { name: "--seed -1", args: ["verify", model, "--seed", "-1"], mentions: ["--seed", "'-1'"] },
  { name: "--calib-random -3", args: ["compile", model, "--calib-random", "-3", "-o", join(dir, "never")], mentions: ["--calib-random", "'-3'"] },
  { name: "--calib-random 2.5", args: ["inspect", model, "--stage", "quantized", "--calib-random", "2.5"], mentions: ["--calib-random", "'2.5'"] },
  { name: "--min-sqnr 12dB", args: ["verify", model, "--min-sqnr", "12dB"], mentions: ["--min-sqnr", "'12dB'"] },
  { name: "--min-agreement 101", args: ["verify", model, "--min-agreement", "101"], mentions: ["--min-agreement", "from 0 to 100"] },
  { name: "an engine list that selects nothing", args: ["verify", model, "--engine", ","], mentions: ["--engine", "selects no engine"] },
  { name: "thresholds with only C engines", args: ["verify", model, "--engine", "host-c", "--min-sqnr", "10"], mentions: ["--min-sqnr", "selects none"] },
  { name: "--min-agreement on a model without frames", args: ["verify", model, "--min-agreement", "90"], mentions: ["--min-agreement", "no frame decisions"] },
  { name: "verify --wav on a model that does not stream", args: ["verify", model, "--wav", shortWav], mentions: ["--wav", "not a stream model"] },
  { name: "verify --wav shorter than a frame", args: ["verify", "silero-vad", "--wav", shortWav], mentions: [shortWav, "10 samples", "fewer than one frame"] },
  { name: "--int16 with an unknown node", args: ["inspect", model, "--stage", "quantized", "--int16", "conv9"], mentions: ["--int16", '"conv9"', "names 'inspect' prints"] },
  { name: "--keep-float with an unknown node", args: ["compile", model, "--keep-float", "conv9", "-o", join(dir, "never")], mentions: ["--keep-float", '"conv9"'] },
  { name: "--precision bad", args: ["verify", model, "--precision", "int4"], mentions: ["--precision", "'int4' is invalid"] },
  { name: "--budget-weights -5", args: ["inspect", model, "--stage", "quantized", "--precision", "auto", "--budget-weights", "-5"], mentions: ["--budget-weights", "'-5'"] },
  { name: "conformance on a missing path", args: ["conformance", join(dir, "no-vectors")], mentions: [join(dir, "no-vectors"), "no such file or directory (ENOENT)"] },
];

for (const c of CASES) {
  test(`CLI: ${c.name} → one stderr line, exit 1, nothing on stdout but figures`, () => {
    const r = cli(c.args);
    const line = oneErrorLine(r);
    for (const m of c.mentions) assert.ok(line.includes(m), `${JSON.stringify(line)} lacks ${JSON.stringify(m)}`);
    assert.doesNotMatch(r.stdout, /Usage:|agreement 100|passed/, `stdout: ${r.stdout}`);
    console.log(`  ${line}`);
  });
}

test("verify --min-sqnr: exit 1 with one line when the SQNR falls short, 0 when it holds", () => {
  // --calib-random 8: verify's default data, chosen explicitly, so no calibration notice on stderr.
  const low = cli(["verify", model, "--calib-random", "8", "--min-sqnr", "5"]);
  assert.equal(low.code, 0, low.stderr);
  assert.equal(low.stderr, "");
  const sqnr = Number(/^\s+y\s+\[1,4,6\]\s+(\S+)/m.exec(low.stdout)?.[1]);
  assert.ok(sqnr > 5 && sqnr < 200, `the report shows an SQNR between the two thresholds: ${low.stdout}`);
  const high = cli(["verify", model, "--min-sqnr", "200"]);
  const line = oneErrorLine(high);
  assert.ok(line.includes("int8 output 'y' SQNR") && line.includes("< --min-sqnr 200"), line);
  assert.match(high.stdout, /SQNR dB vs float/, "the report is still printed");
});

test("inspect --stage quantized shows each layer's precision and why", () => {
  const r = cli(["inspect", model, "--stage", "quantized", "--int16", "conv0", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const layers = JSON.parse(r.stdout).stages.quantized.layers as { name: string; precision: string; reason: string; qparams: string }[];
  assert.deepEqual(layers.map((l) => [l.name, l.precision, l.reason]), [["conv0", "int16", "--int16 conv0"]]);
  assert.match(layers[0]!.qparams, /zp=0$/);
  const text = cli(["inspect", model, "--stage", "quantized"]);
  assert.match(text.stdout, /precision\s+why/);
  assert.match(text.stdout, /conv0 .* int8\s+default/);
});

test("inspect --precision auto --budget-weights: the search, its costs and the three budgets are shown", () => {
  const r = cli(["inspect", model, "--stage", "quantized", "--precision", "auto", "--budget-weights", "5", "--target", "cortex-m4", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout).stages.quantized.auto as { costTarget: string; int8: Record<string, number>; budget: Record<string, number>; chosen: Record<string, number>; steps: unknown[] };
  assert.equal(a.costTarget, "dsp");
  assert.ok(Math.abs(a.budget.weightBytes! - 1.05 * a.int8.weightBytes!) < 1e-6, JSON.stringify(a));
  assert.ok(Math.abs(a.budget.ramBytes! - 1.25 * a.int8.ramBytes!) < 1e-6, JSON.stringify(a));
  assert.ok(a.chosen.weightBytes! <= a.budget.weightBytes! && a.chosen.instructions! <= a.budget.instructions!, JSON.stringify(a));
  assert.ok(a.steps.length > 0);
  const text = cli(["inspect", model, "--stage", "quantized", "--precision", "auto"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /--precision auto \(costs estimated for mve cores/);
  assert.match(text.stdout, /RAM \d+ B \/ int8 \d+ B \(budget \d+ B\), instructions \d+ \/ int8 \d+ \(budget \d+\), weights \d+ B \/ int8 \d+ B \(budget \d+ B\)/);
});

test("compile --int16: the conv calls arm_convolve_wrapper_s16 between int16 borders", () => {
  const out = join(dir, "int16");
  const r = cli(["compile", model, "--int16", "conv0", "--target", "cortex-m4", "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  const c = readFileSync(join(out, "model.c"), "utf8");
  assert.match(c, /arm_convolve_wrapper_s16\(/);
  assert.match(c, /clg_quantize_f32_s16\(/);
  assert.match(c, /clg_dequantize_s16_f32\(/);
  assert.doesNotMatch(c, /arm_convolve_wrapper_s8|arm_convolve_s8\(/);
});

test("a reader that closes stdout early ends the CLI quietly, with no EPIPE stack trace", async () => {
  const run = startCli(["inspect", model], process.env);
  run.closeStdout();
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
