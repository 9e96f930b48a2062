// Per layer, the weight scales of a conv / linear come from max-abs or from
// MSE clipping, whichever gives the layer the smaller error — measured, not
// assumed (issue #13). MSE clipping minimises the WEIGHT error Σ(w − ŵ)²,
// which is not what matters: a clipped outlier may be the weight that the
// layer's largest inputs meet. So the measure is the layer's OUTPUT error on
// inputs it saw during calibration: the layer is linear in its weight, so
// y(W) − y(Ŵ) = layer(x, W − Ŵ) without bias, one evaluation per candidate and
// sample, and Σ of its squares is the error. A layer with no sampled input
// (nothing kept within the byte budget) falls back to the weight error, where
// MSE is never worse by construction. Ties keep max-abs (no clipping).
import type { Node } from "../ir/graph.js";
import type { QParams } from "../ir/quant.js";
import type { Tensor } from "../ir/tensor.js";
import { evalNode } from "../interp/float.js";
import type { QuantizedWeight, WeightRange } from "./scheme.js";
import { errorFeedbackRound } from "./weight_rounding.js";

export interface WeightChoice {
  chosen: WeightRange;
  /** What was compared: the layer's output on sampled calibration inputs, the weights themselves, or nothing (same int8 weights). */
  by: "output" | "weights" | "identical";
  /** Σ squared error of each candidate under `by` (0 for both when identical). */
  error: Record<WeightRange, number>;
  /** Sampled calibration inputs the output error was summed over. */
  samples: number;
  /**
   * Asked for (`round`) and measured: the chosen scales' integers re-rounded with error feedback
   * (weight_rounding.ts) fitted on half the sampled inputs; the output error of nearest rounding and of it on the
   * other `held` inputs; `taken` when it is below the nearest rounding's (then fitted on all).
   */
  feedback?: { nearest: number; error: number; held: number; taken: boolean };
}

/** W − Ŵ for symmetric (zp 0) weights quantized per tensor or per channel along `q.axis` of `shape`. */
function residual(w: Float32Array, shape: readonly number[], q: QuantizedWeight): Float32Array {
  const p: QParams = q.qparams;
  const d = new Float32Array(w.length);
  if (p.scheme === "per_tensor") {
    const s = p.scale[0]!;
    for (let i = 0; i < w.length; i++) d[i] = w[i]! - q.data[i]! * s;
    return d;
  }
  const axis = p.axis!;
  const C = shape[axis]!;
  let inner = 1;
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k]!;
  for (let i = 0; i < w.length; i++) d[i] = w[i]! - q.data[i]! * p.scale[Math.floor(i / inner) % C]!;
  return d;
}

function sumSq(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

function sameWeights(a: QuantizedWeight, b: QuantizedWeight): boolean {
  if (a.qparams.scale.length !== b.qparams.scale.length || a.qparams.scale.some((s, i) => s !== b.qparams.scale[i])) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/**
 * Pick between the max-abs and MSE-clipped quantizations of the weight input
 * `wIndex` of layer `n` (act input `xIndex`), measured on `samples` (float
 * inputs of `n` recorded during calibration). With `round`, the chosen
 * scales' integers are also re-rounded with error feedback, kept when that
 * lowers the output error on sampled inputs it was not fitted to.
 */
export function chooseWeightRange(
  n: Node, xIndex: number, wIndex: number, w: Float32Array, shape: readonly number[],
  candidates: Record<WeightRange, QuantizedWeight>, samples: readonly Tensor[], round = false,
): { weight: QuantizedWeight; choice: WeightChoice } {
  const { maxabs, mse } = candidates;
  const outputError = (q: QuantizedWeight, on: readonly Tensor[] = samples): number => {
    const d = residual(w, shape, q);
    let e = 0;
    for (const x of on) {
      const ins: (Tensor | null)[] = n.inputs.map(() => null);
      ins[xIndex] = x;
      ins[wIndex] = { dtype: "f32", shape: [...shape], data: d };
      e += sumSq(evalNode(n, ins)[0]!.data);
    }
    return e;
  };
  let picked: { weight: QuantizedWeight; choice: WeightChoice };
  if (sameWeights(maxabs, mse)) picked = { weight: maxabs, choice: { chosen: "maxabs", by: "identical", error: { maxabs: 0, mse: 0 }, samples: 0 } };
  else if (samples.length > 0) {
    const error = { maxabs: outputError(maxabs), mse: outputError(mse) };
    const chosen: WeightRange = error.mse < error.maxabs ? "mse" : "maxabs";
    picked = { weight: candidates[chosen], choice: { chosen, by: "output", error, samples: samples.length } };
  } else {
    const error = { maxabs: sumSq(residual(w, shape, maxabs)), mse: sumSq(residual(w, shape, mse)) };
    const chosen: WeightRange = error.mse < error.maxabs ? "mse" : "maxabs";
    picked = { weight: candidates[chosen], choice: { chosen, by: "weights", error, samples: 0 } };
  }
  if (!round || samples.length < 2) return picked;
  // The rounding is fitted to its inputs, so judging it on them flatters it: fitted on every other sampled input,
  // judged against nearest rounding on the rest; when it wins there, fitted again on all of them.
  const fit = samples.filter((_, i) => i % 2 === 0);
  const held = samples.filter((_, i) => i % 2 === 1);
  const trial = errorFeedbackRound(n, xIndex, wIndex, w, shape, picked.weight, fit);
  if (!trial) return picked;
  const nearest = outputError(picked.weight, held);
  const error = outputError(trial, held);
  const taken = error < nearest;
  const choice: WeightChoice = { ...picked.choice, feedback: { nearest, error, held: held.length, taken } };
  return { weight: taken ? errorFeedbackRound(n, xIndex, wIndex, w, shape, picked.weight, samples)! : picked.weight, choice };
}

/** "mse (output error 1.2e-3 vs max-abs 1.5e-3, 8 inputs)": the choice and what decided it, for reports. */
export function weightChoiceText(c: WeightChoice): string {
  const other: WeightRange = c.chosen === "mse" ? "maxabs" : "mse";
  const name = (r: WeightRange): string => (r === "maxabs" ? "max-abs" : "mse");
  const what = c.by === "output" ? `output error on ${c.samples} input${c.samples === 1 ? "" : "s"}` : "weight error";
  const fb = c.feedback ? `; error-feedback rounding ${c.feedback.error.toPrecision(3)} vs nearest ${c.feedback.nearest.toPrecision(3)} on ${c.feedback.held} held-out inputs${c.feedback.taken ? ", taken" : ", not taken"}` : "";
  if (c.by === "identical") return `max-abs (= mse${fb})`;
  return `${name(c.chosen)} (${what} ${c.error[c.chosen].toPrecision(3)} vs ${name(other)} ${c.error[other].toPrecision(3)}${fb})`;
}
