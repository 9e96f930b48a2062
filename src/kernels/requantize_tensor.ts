// Requantization of a whole integer tensor onto another grid (cortex_m.requantize), the simulator's twin of
// clg_requantize_tensor: y = clamp(requantize(x + input_offset, multiplier, shift) + output_offset, min, max),
// with requantize = arm_nn_requantize (doubling high multiply, rounding right shift; left shift first when
// shift > 0). |x + input_offset| ≤ 2^16 and shift ≤ 14 keep the left-shifted value inside int32.
import { requantize } from "./requantize.js";

export interface RequantizeTensorParams {
  inputOffset: number;
  outputOffset: number;
  multiplier: number;
  shift: number;
  activationMin: number;
  activationMax: number;
}

export function requantizeTensor(x: Int8Array | Int16Array, p: RequantizeTensorParams, out: Int8Array | Int16Array, size: number): void {
  const { inputOffset, outputOffset, multiplier, shift, activationMin, activationMax } = p;
  for (let i = 0; i < size; i++) {
    let y = requantize(x[i]! + inputOffset, multiplier, shift) + outputOffset;
    if (y < activationMin) y = activationMin;
    if (y > activationMax) y = activationMax;
    out[i] = y;
  }
}
