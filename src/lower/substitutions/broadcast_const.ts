// A constant operand written out at the shape it broadcasts to. The int8
// elementwise kernels (arm_elementwise_add_s8 / _mul_s8) take equal shapes
// only; a constant costs its bytes once in flash, so broadcasting it ahead of
// time is the integer-only way to add YOLO's anchors or scale by its strides.
import type { Graph, Value } from "../../ir/graph.js";
import { IRError } from "../../ir/errors.js";
import { allocArray } from "../../ir/dtype.js";
import { broadcastShapes, broadcastStrides, forEachBroadcast } from "../../ops/common.js";

/** A new constant holding `c` broadcast (numpy rules) to `shape`, with c's quantization parameters. */
export function expandConstant(g: Graph, c: Value, shape: readonly number[], name: string): Value {
  const src = c.data;
  if (!src) throw new IRError(`${c.name} is not a constant`);
  const out = broadcastShapes("expand", c.shape, [...shape]);
  if (out.join() !== shape.join()) throw new IRError(`constant ${c.name} [${c.shape}] does not broadcast to [${shape}]`);
  const dst = allocArray(c.dtype, out.reduce((a, b) => a * b, 1));
  forEachBroadcast(out, [broadcastStrides(c.shape, out)], (o, offs) => { dst[o] = src[offs[0]!]!; });
  return g.addConst(name, c.dtype, [...out], dst, c.type.qparams);
}
