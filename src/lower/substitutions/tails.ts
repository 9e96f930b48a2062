import type { Attrs } from "../../ir/graph.js";
import type { QParams } from "../../ir/quant.js";
import { allOpDefs, getOp, hasOp } from "../../ir/registry.js";
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

/** Every op with a tail role (its spec's quant.tail): what a requantizing producer may absorb. */
export function fusableTails(): string[] {
  return allOpDefs().filter((d) => d.quant?.tail).map((d) => d.name);
}

/** The tails that are a plain clamp (no affine part): producers that cannot move their scale absorb only these. */
export function clampTails(): string[] {
  return allOpDefs().filter((d) => d.quant?.tail && !d.quant.tail.affine).map((d) => d.name);
}

/**
 * The output parameters of `producer [→ tail] → Q(outQ)`. A tail is
 * y = clamp(x / d + b, lo, hi) (its spec's tail role). The clamp becomes the
 * producer's activation min/max (TFLite fused-activation rule: the bound
 * quantized with the output's parameters, intersected with the int8 range);
 * the affine part moves into the requantization: scale d·s, zero point moved
 * by round(b / s) — hardsigmoid, clamp(x/6 + 1/2, 0, 1), is the one today.
 */
export function foldTail(tailOp: string | null, attrs: Attrs, outQ: QParams): FoldedOutput {
  const s = outQ.scale[0]!;
  const zp = outQ.zeroPoint[0]!;
  if (tailOp === null) return { scale: s, zeroPoint: zp, activationMin: outQ.qmin, activationMax: outQ.qmax };
  const tail = hasOp(tailOp) ? getOp(tailOp).quant?.tail : undefined;
  if (!tail) throw new Error(`no fold rule for tail ${tailOp}`);
  const [lo, hi] = tail.bounds(attrs);
  return {
    scale: tail.affine ? tail.affine.divisor * s : s,
    zeroPoint: tail.affine ? zp + roundHalfAway(tail.affine.offset / s) : zp,
    activationMin: lo === null ? outQ.qmin : quantizeScalar(lo, outQ),
    activationMax: hi === null ? outQ.qmax : quantizeScalar(hi, outQ),
  };
}
