// What colour an op gets in the report: the region of the program it belongs
// to. Layout ops are pure data movement (the wrap/unwrap chains the clean-up
// removes), float islands run as portable float C, int8/int16 regions run
// CMSIS-NN kernels, and quantize/dequantize ops are the borders between them.
import type { Node } from "../ir/graph.js";
import { isLayoutOp } from "../plan/traffic.js";
import { SCRATCH_OP } from "../plan/lifetimes.js";

export const OP_KINDS = ["int8", "int16", "float", "layout", "convert", "scratch", "other"] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** Legend text of each kind. */
export const KIND_LABEL: Record<OpKind, string> = {
  int8: "int8 (CMSIS-NN)",
  int16: "int16 (CMSIS-NN)",
  float: "float island",
  layout: "layout (data movement)",
  convert: "quantize / dequantize",
  scratch: "kernel scratch buffer",
  other: "other",
};

const CONVERT = /(^|\.)(quantize_per_tensor|dequantize_per_tensor|dequantize_per_channel|quantize_per_channel)$/;

export function opKind(n: Node): OpKind {
  if (n.op === SCRATCH_OP) return "scratch";
  if (isLayoutOp(n.op)) return "layout";
  if (CONVERT.test(n.op)) return "convert";
  const dtypes = n.outputs.map((o) => o.dtype);
  if (dtypes.includes("f32")) return "float";
  if (dtypes.includes("i16")) return "int16";
  if (dtypes.includes("i8") || dtypes.includes("u8")) return "int8";
  return "other";
}
