import type { Attrs } from "../../ir/graph.js";
import type { QParams } from "../../ir/quant.js";
import { roundHalfAway } from "../../kernels/requantize.js";
import { quantizeScalar } from "../qmath.js";

/** How a producer's requantization absorbs an activation tail. */
export interface FoldedOutput {
  /** Scale and zero point the producer requantizes to. */
  scale: number;
  zeroPoint: number;
  activationMin: number;
  activationMax: number;
}

type Bounds = (a: Attrs) => [number | null, number | null];

// Tails that are a clamp in real numbers: they become the producer's activation
// min/max (TFLite fused-activation rule: the bound quantized with the output's
// parameters, intersected with the int8 range). One line per tail.
const CLAMP_TAILS: Record<string, Bounds> = {
  "aten.relu": () => [0, null],
  "aten.hardtanh": (a) => [a.min_val as number, a.max_val as number],
  "aten.clamp": (a) => [(a.min as number | null) ?? null, (a.max as number | null) ?? null],
};

export const FUSABLE_TAILS = [...Object.keys(CLAMP_TAILS), "aten.hardsigmoid"];

/**
 * The output parameters of `producer [→ tail] → Q(outQ)`. hardsigmoid,
 * clamp(x/6 + 1/2, 0, 1), is absorbed into the requantization: the producer
 * requantizes to scale 6·s with the zero point moved by round(1/(2s)), then
 * clamps to [Q(0), Q(1)].
 */
export function foldTail(tailOp: string | null, attrs: Attrs, outQ: QParams): FoldedOutput {
  const s = outQ.scale[0]!;
  const zp = outQ.zeroPoint[0]!;
  if (tailOp === null) return { scale: s, zeroPoint: zp, activationMin: outQ.qmin, activationMax: outQ.qmax };
  if (tailOp === "aten.hardsigmoid") {
    return {
      scale: 6 * s,
      zeroPoint: zp + roundHalfAway(1 / (2 * s)),
      activationMin: quantizeScalar(0, outQ),
      activationMax: quantizeScalar(1, outQ),
    };
  }
  const bounds = CLAMP_TAILS[tailOp];
  if (!bounds) throw new Error(`no fold rule for tail ${tailOp}`);
  const [lo, hi] = bounds(attrs);
  return {
    scale: s,
    zeroPoint: zp,
    activationMin: lo === null ? outQ.qmin : quantizeScalar(lo, outQ),
    activationMax: hi === null ? outQ.qmax : quantizeScalar(hi, outQ),
  };
}
