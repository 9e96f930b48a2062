// pad with ONNX pad order (begins of every dim, then ends). "constant" fills
// with `value` (negative pads crop); "reflect" mirrors without repeating the
// edge element (numpy/ONNX reflect), which needs pad < size. Source map: a
// table per dim, -1 where the constant goes.
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece } from "../../ir/source_map.js";
import { fmtShape } from "../../ir/tensor.js";
import type { Attrs } from "../../ir/graph.js";
import { attrInts, attrNum, attrStr, need, out, shapeError } from "../common.js";

const PAD = "aten.pad";

function padParams(attrs: Attrs, shape: readonly number[]) {
  const r = shape.length;
  const pads = attrInts(PAD, attrs, "pads");
  if (pads.length !== 2 * r) shapeError(PAD, `pads has ${pads.length} entries, rank ${r} needs ${2 * r}`);
  const mode = attrStr(PAD, attrs, "mode", "constant");
  if (mode !== "constant" && mode !== "reflect") shapeError(PAD, `unsupported mode ${mode}`);
  const begin = pads.slice(0, r);
  const end = pads.slice(r);
  const outShape = shape.map((d, i) => d + begin[i]! + end[i]!);
  if (outShape.some((d) => d < 0)) shapeError(PAD, `pads [${pads}] crop ${fmtShape(shape)} below zero`);
  if (mode === "reflect") {
    shape.forEach((d, i) => {
      if (begin[i]! < 0 || end[i]! < 0 || begin[i]! >= Math.max(d, 1) || end[i]! >= Math.max(d, 1)) {
        shapeError(PAD, `reflect pads [${begin[i]}, ${end[i]}] must be in [0, ${d - 1}] for dim ${i} of ${fmtShape(shape)}`);
      }
    });
  }
  return { mode, begin, outShape, value: attrNum(PAD, attrs, "value", 0) };
}

export const PAD_OP: OpDef = defineOp({
  name: PAD,
  quant: { sameOpOnInt8: true },
  // Pads per logical dim (a gather through each operand's strides): channels-last flows through it.
  traits: { layout: true, layoutAgnostic: [0] },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(PAD, inputs, 0, "input x");
    return [out(x.dtype, padParams(attrs, x.shape).outShape)];
  },
  moves(inputs, attrs) {
    const x = inputs[0]!;
    const { mode, begin, outShape, value } = padParams(attrs, x.shape);
    // Per dim, the source index of every output index (-1 = the fill value);
    // every dim gets its table, padded or not, as the C gather has always had.
    const maps = outShape.map((n, d) => {
      const L = x.shape[d]!;
      return Array.from({ length: n }, (_, o) => {
        let i = o - begin[d]!;
        if (mode === "reflect") {
          if (i < 0) i = -i;
          if (i >= L) i = 2 * (L - 1) - i;
        } else if (i < 0 || i >= L) i = -1;
        return i;
      });
    });
    return [gather(wholePiece(outShape, maps), value)];
  },
  eval: (inputs, attrs) => evalMoves(PAD_OP, inputs, attrs),
});
