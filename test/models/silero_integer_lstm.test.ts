// Silero VAD v5 (real weights) with its LSTM run by the integer kernel (s8 and s16, TFLite's scheme) and
// everything else float: calibrated on one synthesized clip, evaluated frame by frame on a different one with
// the state [2,1,128] carried through the model's float input/output, against the all-float model. This
// isolates what the integer LSTM costs; the whole-model integer build is measured elsewhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Graph, Node, Value } from "../../src/ir/graph.js";
import type { Tensor } from "../../src/ir/tensor.js";
import { runFloat } from "../../src/interp/float.js";
import { loadModel } from "../../src/models/index.js";
import { streamSource, type FeedSource } from "../../src/quantize/calibrate.js";
import { LSTM_OP } from "../../src/ops/rnn/lstm.js";
import {
  cellPowerFor, lstmBorderFor, lstmIntegerForward, lstmIntegerParams, type LstmPrecision, type LstmQuantConfig,
} from "../../src/ops/rnn/lstm_quant.js";
import { audioToolsAvailable, sileroClips } from "../support/test_audio.js";

/** Runs `g` over a stream source, feeding each run's outputs back; `replace` as runFloat's. */
function runStream(g: Graph, src: FeedSource, probOutput: string, opts: Parameters<typeof runFloat>[2] = {}): number[] {
  const gen = src.feeds(g);
  const probs: number[] = [];
  let r = gen.next();
  while (!r.done) {
    const outs = runFloat(g, r.value, opts);
    probs.push(outs[probOutput]!.data[0]!);
    r = gen.next(outs);
  }
  return probs;
}

const consts = (n: Node, i: number): ArrayLike<number> | null => n.inputs[i]?.data ?? null;

test("Silero VAD v5 with an integer LSTM (s8 / s16), rest float: decisions and max |Δp| against float", (t) => {
  if (!audioToolsAvailable()) {
    t.skip("espeak-ng/sox not installed");
    return;
  }
  const { calib, evalClip } = sileroClips();
  const { graph: g, builtin } = loadModel("silero-vad");
  const stream = builtin!.stream!;
  const lstms = g.nodes.filter((n) => n.op === LSTM_OP.name);
  assert.ok(lstms.length >= 1, "Silero v5 has an LSTM");

  // Calibration: the float ranges of each LSTM's input, hidden output and cell.
  const ranges = new Map<Value, { min: number; max: number }>();
  const watch = new Set(lstms.flatMap((n) => [n.inputs[0]!, n.outputs[0]!, n.outputs[1]!, n.outputs[2]!]));
  runStream(g, streamSource([calib], stream), stream.probOutput, {
    onValue: (v, tt) => {
      if (!watch.has(v)) return;
      const r = ranges.get(v) ?? { min: Infinity, max: -Infinity };
      for (const x of tt.data) { if (x < r.min) r.min = x; if (x > r.max) r.max = x; }
      ranges.set(v, r);
    },
  });
  const pf = runStream(g, streamSource([evalClip], stream), stream.probOutput);

  for (const precision of ["s8", "s16"] as LstmPrecision[]) {
    const plans = new Map<Node, { cfg: LstmQuantConfig; params: ReturnType<typeof lstmIntegerParams> }>();
    for (const n of lstms) {
      const [S, N, I] = n.inputs[0]!.shape as [number, number, number];
      const H = n.attrs.hidden_size as number;
      const rx = ranges.get(n.inputs[0]!)!, ry = ranges.get(n.outputs[0]!)!, rc = ranges.get(n.outputs[2]!)!;
      const cfg: LstmQuantConfig = {
        precision, input: lstmBorderFor(precision, rx.min, rx.max), hidden: lstmBorderFor(precision, ry.min, ry.max),
        cellPower: cellPowerFor(Math.max(-rc.min, rc.max)),
      };
      plans.set(n, { cfg, params: lstmIntegerParams(consts(n, 1)!, consts(n, 2)!, consts(n, 3), { steps: S, batch: N, input: I, hidden: H }, cfg) });
    }
    // The LSTM's float outputs are replaced by the integer kernel's (computed from the node's actual inputs).
    const env = new Map<Value, Tensor>();
    const done = new Map<Value, Tensor>();
    const pq = runStream(g, streamSource([evalClip], stream), stream.probOutput, {
      onValue: (v, tt) => env.set(v, tt),
      replace: (v) => {
        const n = v.producer;
        if (!n || !plans.has(n)) return undefined;
        if (v === n.outputs[0]) {
          const plan = plans.get(n)!;
          const outs = lstmIntegerForward(n.inputs.map((x) => (x ? env.get(x) ?? { dtype: "f32", shape: [...x.shape], data: x.data! } : null)), n.attrs, plan.params, plan.cfg);
          n.outputs.forEach((o, i) => done.set(o, outs[i]!));
        }
        return done.get(v);
      },
    });
    assert.equal(pq.length, pf.length);
    let maxDp = 0, agree = 0;
    for (let i = 0; i < pf.length; i++) {
      maxDp = Math.max(maxDp, Math.abs(pf[i]! - pq[i]!));
      if (pf[i]! > 0.5 === pq[i]! > 0.5) agree++;
    }
    const speech = pf.filter((p) => p > 0.5).length;
    console.log(`silero-vad v5, integer LSTM ${precision} (rest float) vs float: ${pf.length} frames (${speech} speech), ` +
      `max |Δp| = ${maxDp.toFixed(4)}, decision agreement = ${((100 * agree) / pf.length).toFixed(2)}%`);
    assert.ok(speech > pf.length * 0.2 && speech < pf.length * 0.8, "the clip holds speech and non-speech");
    assert.ok(agree / pf.length >= 0.97, `${precision}: agreement ${agree / pf.length}`);
  }
});
