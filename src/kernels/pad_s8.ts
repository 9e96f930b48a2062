/** arm_pad_s8(input, output, pad_value, input_size, pre_pad, post_pad): NHWC constant padding (pad_value = zero point). */
import { Status, type Dims } from './types.js';

export function padS8(input: Int8Array, output: Int8Array, padValue: number, inputSize: Dims, prePad: Dims, postPad: Dims): number {
  const on = inputSize.n + prePad.n + postPad.n, oh = inputSize.h + prePad.h + postPad.h;
  const ow = inputSize.w + prePad.w + postPad.w, oc = inputSize.c + prePad.c + postPad.c;
  output.fill(padValue, 0, on * oh * ow * oc);
  const C = inputSize.c;
  for (let n = 0; n < inputSize.n; n++)
    for (let h = 0; h < inputSize.h; h++)
      for (let w = 0; w < inputSize.w; w++) {
        const src = ((n * inputSize.h + h) * inputSize.w + w) * C;
        const dst = (((n + prePad.n) * oh + h + prePad.h) * ow + w + prePad.w) * oc + prePad.c;
        output.set(input.subarray(src, src + C), dst);
      }
  return Status.SUCCESS;
}

export function padS8Ref(input: Int8Array, output: Int8Array, padValue: number, inputSize: Dims, prePad: Dims, postPad: Dims): number {
  const od = [inputSize.n + prePad.n + postPad.n, inputSize.h + prePad.h + postPad.h, inputSize.w + prePad.w + postPad.w, inputSize.c + prePad.c + postPad.c];
  let i = 0;
  for (let n = 0; n < od[0]; n++) for (let h = 0; h < od[1]; h++) for (let w = 0; w < od[2]; w++) for (let c = 0; c < od[3]; c++) {
    const a = n - prePad.n, b = h - prePad.h, d = w - prePad.w, e = c - prePad.c;
    const inside = a >= 0 && b >= 0 && d >= 0 && e >= 0 && a < inputSize.n && b < inputSize.h && d < inputSize.w && e < inputSize.c;
    output[i++] = inside ? input[((a * inputSize.h + b) * inputSize.w + d) * inputSize.c + e] : padValue;
  }
  return Status.SUCCESS;
}
