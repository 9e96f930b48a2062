// Quality of a compiled program against its float model, shared by the tests that print it.
import assert from "node:assert/strict";
import type { Graph } from "../../src/ir/graph.js";
import { runFloat } from "../../src/interp/float.js";
import { randomFeeds } from "../../src/io/feeds.js";
import { createProgram } from "../../src/runtime/program.js";
import type { EmitInput } from "../../src/emit/project.js";

/** SQNR (dB) of the compiled program's first output against output "y" of the float model, on seeded random inputs. */
export function sqnrVsFloat(m: EmitInput, float: Graph, seeds: number[]): number {
  const p = createProgram(m.final!, m.plan!, {});
  let sig = 0;
  let err = 0;
  for (const s of seeds) {
    const feeds = randomFeeds(float, s);
    const want = runFloat(float, feeds)["y"]!.data;
    const got = p.run(feeds)[m.final!.outputs[0]!.name]!.data;
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) {
      sig += want[i]! ** 2;
      err += (want[i]! - got[i]!) ** 2;
    }
  }
  return 10 * Math.log10(sig / err);
}

/** Max |Δp| and the share of frames whose decision (p > 0.5) agrees, of per-frame probabilities against float's. */
export function decisionAgreement(pf: ArrayLike<number>, pq: ArrayLike<number>): { maxDp: number; agreement: number } {
  assert.equal(pq.length, pf.length);
  let maxDp = 0;
  let agree = 0;
  for (let i = 0; i < pf.length; i++) {
    maxDp = Math.max(maxDp, Math.abs(pf[i]! - pq[i]!));
    if (pf[i]! > 0.5 === pq[i]! > 0.5) agree++;
  }
  return { maxDp, agreement: agree / pf.length };
}
