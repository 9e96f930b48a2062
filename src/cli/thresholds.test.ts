import { test } from "node:test";
import assert from "node:assert/strict";
import type { EngineFigures, OutputFigures, StreamFigures, VerifyReport } from "../driver/verify.js";
import { UserError } from "../ir/errors.js";
import { shortfalls } from "./thresholds.js";

const output = (name: string, sqnrDb: number): OutputFigures => ({
  name, shape: [1], scale: 0.1, sqnrDb, maxAbsErr: 0, maxAbsVsFakeQuant: 0, maxStepsVsFakeQuant: 0,
});
const stream = (agreement: number): StreamFigures => ({
  source: "clip.wav", frames: 200, maxAbsDp: 0, agreement, speechFramesFloat: 0, speechFramesEngine: 0, maxAbsDpVsFakeQuant: 0,
});
const report = (...engines: EngineFigures[]): VerifyReport => ({ model: "m", target: "cortex-m55", feeds: "", engines });

test("--min-sqnr: every output of every engine is held to it; NaN and -inf fall short, inf passes", () => {
  const r = report(
    { engine: "int8", outputs: [output("a", 30), output("b", 19.99)] },
    { engine: "int8-ref", outputs: [output("a", Infinity), output("b", NaN), output("c", -Infinity)] },
  );
  assert.deepEqual(shortfalls(r, { minSqnr: 20 }), [
    "int8 output 'b' SQNR 19.99 dB < --min-sqnr 20",
    "int8-ref output 'b' SQNR NaN dB < --min-sqnr 20",
    "int8-ref output 'c' SQNR -Infinity dB < --min-sqnr 20",
  ]);
  assert.deepEqual(shortfalls(r, { minSqnr: 19.99 }).length, 2, "equal to the threshold passes");
  assert.deepEqual(shortfalls(r, {}), [], "no threshold, no shortfall");
});

test("--min-agreement: compared in percent per engine", () => {
  const r = report(
    { engine: "int8", outputs: [output("p", 25)], stream: stream(0.985) },
    { engine: "int8-ref", outputs: [output("p", 25)], stream: stream(1) },
  );
  assert.deepEqual(shortfalls(r, { minAgreement: 98.5 }), []);
  assert.deepEqual(shortfalls(r, { minAgreement: 99 }), ["int8 decision agreement 98.50% < --min-agreement 99"]);
  assert.deepEqual(shortfalls(r, { minAgreement: 99, minSqnr: 30 }), [
    "int8 output 'p' SQNR 25.00 dB < --min-sqnr 30",
    "int8-ref output 'p' SQNR 25.00 dB < --min-sqnr 30",
    "int8 decision agreement 98.50% < --min-agreement 99",
  ]);
});

test("a threshold with no figure to check is a usage error, not a pass", () => {
  assert.throws(() => shortfalls(null, { minSqnr: 10 }), UserError);
  assert.throws(() => shortfalls(report({ engine: "int8", outputs: [output("y", 40)] }), { minAgreement: 90 }), /no frame decisions/);
});
