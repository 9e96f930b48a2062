// _to_copy (Cast). Float -> integer truncates toward zero (C cast / ONNX Cast
// of in-range values; NaN -> 0); out-of-range values wrap as the typed array
// stores them. Anything -> bool is (x != 0). i64 -> f32 rounds to nearest f32.
import { allocArray } from "../../ir/dtype.js";
import { defineOp } from "../../ir/registry.js";
import type { Tensor } from "../../ir/tensor.js";
import type { DType } from "../../ir/dtype.js";
import { attrDType, need, needT, out } from "../common.js";

export function castTensor(x: Tensor, to: DType): Tensor {
  const dst = allocArray(to, x.data.length);
  const src = x.data;
  if (to === "bool") {
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  } else if (to === "f32" || x.dtype !== "f32") {
    dst.set(src);
  } else {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = Number.isNaN(v) ? 0 : Math.trunc(v);
    }
  }
  return { dtype: to, shape: [...x.shape], data: dst };
}

export const TO_COPY = defineOp({
  name: "aten._to_copy",
  traits: { anyDtypeOperands: "all" }, // a Cast is how integers become float
  unaryElementwise: true,
  infer(inputs, attrs) {
    const x = need("aten._to_copy", inputs, 0, "input x");
    return [out(attrDType("aten._to_copy", attrs), x.shape)];
  },
  eval(inputs, attrs) {
    return [castTensor(needT("aten._to_copy", inputs, 0), attrDType("aten._to_copy", attrs))];
  },
});
