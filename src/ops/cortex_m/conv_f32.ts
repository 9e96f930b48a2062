// cortex_m.conv_f32: a float convolution (not transposed) with constant weights, stored four output channels per
// tap side by side (kernels/float32/float_ops.ts convWeightsBy4) so that clg_conv4_f32 walks them with one
// pointer and shares each input load between four channels. The arithmetic is aten.convolution's float forward
// exactly (bias, then w·x over (input channel, kh, kw) in order, one rounding per operation; taps outside the
// input skipped): the simulator runs windowF32 on the weights put back in OIHW order, the C clg_conv4_f32.
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { windowGeometry } from "../../kernels/float32/geometry.js";
import type { WindowGeometry } from "../../kernels/float32/float_ops.js";
import { CONVOLUTION } from "../conv/convolution.js";
import { fail, operand } from "./decode.js";
import { need } from "./shapes.js";

export interface ConvF32Record {
  /** clg_window_f32's geometry (1-D lifted to a unit height). */
  geometry: WindowGeometry;
  operands: { x: Value; w: Value; b: Value | null };
}

export const CONV_F32 = defineOp<ConvF32Record>({
  name: "cortex_m.conv_f32",
  // The shape rule is the convolution's (the weights keep their [O, I/groups, ...kernel] shape, reordered inside).
  infer: (inputs, attrs) => {
    need(inputs[0], "x");
    need(inputs[1], "w");
    const t = CONVOLUTION.infer(inputs, { ...attrs, transposed: false })[0]!;
    return [makeType("f32", t.shape) as TensorType];
  },
  decode: (node: Node) => {
    const x = operand(node, 0, "input", "f32");
    const w = operand(node, 1, "weight", "f32");
    if (!w.isConst()) fail(node, "the weights must be constant");
    const b = node.inputs[2] ?? null;
    if (b && (b.dtype !== "f32" || b.rank !== 1 || b.shape[0] !== w.shape[0])) fail(node, `bias must be f32 [${w.shape[0]}]`);
    if (x.rank !== 3 && x.rank !== 4) fail(node, `rank ${x.rank} input is not a 1-D or 2-D convolution`);
    if (node.output.dtype !== "f32") fail(node, `output must be f32, got ${node.output.dtype}`);
    const { kind, g } = windowGeometry(CONVOLUTION.name, { ...node.attrs, transposed: false }, x.shape, w.shape, node.output.shape);
    if (kind !== "CLG_WIN_CONV") fail(node, "not a plain convolution");
    return { geometry: g, operands: { x, w, b } };
  },
});
