import type { DType } from "./dtype.js";

/**
 * Quantization parameters of a value: real = scale * (q - zeroPoint).
 * Per-tensor parameters have one scale; per-channel ones have one per index of `axis`.
 */
export interface QParams {
  scheme: "per_tensor" | "per_channel";
  scale: number[];
  zeroPoint: number[];
  axis?: number;
  qmin: number;
  qmax: number;
  dtype: DType;
}

export function perTensor(scale: number, zeroPoint: number, dtype: DType = "i8", qmin = -128, qmax = 127): QParams {
  return { scheme: "per_tensor", scale: [scale], zeroPoint: [zeroPoint], qmin, qmax, dtype };
}

export function perChannel(scale: number[], axis: number, dtype: DType = "i8", qmin = -127, qmax = 127): QParams {
  return { scheme: "per_channel", scale: [...scale], zeroPoint: scale.map(() => 0), axis, qmin, qmax, dtype };
}

export function qparamsEq(a: QParams | undefined, b: QParams | undefined): boolean {
  if (!a || !b) return a === b;
  return a.scheme === b.scheme && a.axis === b.axis && a.qmin === b.qmin && a.qmax === b.qmax && a.dtype === b.dtype &&
    a.scale.length === b.scale.length && a.scale.every((s, i) => s === b.scale[i]) &&
    a.zeroPoint.every((z, i) => z === b.zeroPoint[i]);
}

export function fmtQParams(q: QParams): string {
  if (q.scheme === "per_tensor") return `${q.dtype}(s=${q.scale[0]!.toPrecision(5)}, zp=${q.zeroPoint[0]})`;
  return `${q.dtype}(per-channel axis ${q.axis}, ${q.scale.length} scales)`;
}
