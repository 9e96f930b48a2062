// CI's fixed-seed fuzz campaign: 1,000 mutated seed models through the whole
// compile path in worker processes. Every case must end in success or in one
// clean user error — no crash, hang or out-of-memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCampaign } from "./campaign.js";
import { classify, crashSignature } from "./case.js";
import { UserError } from "../ir/errors.js";

const CI_SEED = 16;
const CI_CASES = 1000;

test(`fixed-seed fuzz campaign (seed ${CI_SEED}, ${CI_CASES} cases): 0 crashes, 0 hangs, 0 out-of-memory`, async () => {
  const r = await runCampaign({ cases: CI_CASES, seed: CI_SEED, jobs: 2, timeoutMs: 30_000 });
  console.log(`# fuzz seed ${CI_SEED}: ${Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(", ")} in ${r.seconds.toFixed(1)} s`);
  assert.deepEqual(r.signatures.map((s) => `${s.count}× ${s.signature} (case ${s.first.index}, ${s.first.seedName})`), []);
  assert.equal(r.counts.ok + r.counts.error, CI_CASES);
  // The mutations must leave enough models valid to reach the emitter, or the later stages go untested.
  assert.ok(r.counts.ok >= CI_CASES / 10, `only ${r.counts.ok} of ${CI_CASES} cases compiled`);
});

test("a UserError is a clean outcome; any other exception is a crash, named by message and top frame", () => {
  assert.deepEqual(classify(new UserError("m.onnx: node 'a' (Conv): bad\nsecond line")), { kind: "error", message: "m.onnx: node 'a' (Conv): bad" });
  const e = new TypeError("Cannot read properties of undefined (reading 'shape')");
  e.stack = "TypeError: Cannot read properties of undefined (reading 'shape')\n    at inferShape (file:///x/y/dist/src/ops/conv/rule.js:12:3)\n    at f (file:///x/y/dist/src/a.js:1:1)";
  const c = classify(e);
  assert.equal(c.kind, "crash");
  assert.equal(c.signature, "TypeError: Cannot read properties of undefined (reading '…') @ at inferShape dist/src/ops/conv/rule.js:12:3");
  assert.equal(crashSignature("value conv.weight_i8 has scale 0", undefined), "value … has scale … @ (no frame)");
  assert.equal(classify(new RangeError("Array buffer allocation failed")).kind, "oom");
});

test("a case over the time limit is recorded as a hang with its input saved, its worker replaced, and the run completes", async () => {
  const out = mkdtempSync(join(tmpdir(), "cmsis-lower-fuzz-hang-"));
  try {
    const r = await runCampaign({ cases: 6, seed: 5, jobs: 2, timeoutMs: 1, outDir: out });
    assert.equal(r.counts.ok + r.counts.error + r.counts.hang, 6);
    assert.ok(r.counts.hang >= 1, JSON.stringify(r.counts));
    const hung = r.failures.filter((f) => f.outcome.kind === "hang");
    for (const f of hung) {
      const txt = readFileSync(join(out, `hang-5-${f.index}.txt`), "utf8");
      assert.match(txt, /^hang in case \d+ of seed 5 /);
      assert.match(txt, /--replay .*hang-5-\d+\.onnx\n/);
      assert.ok(readFileSync(join(out, `hang-5-${f.index}.onnx`)).length > 0);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

