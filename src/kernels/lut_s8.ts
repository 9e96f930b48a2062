/** 256-entry lookup-table activation: out[i] = lut[in[i] + 128]. */
import { Status } from './types.js';
import { roundHalfAway } from './requantize.js';
import { lutWasm } from './wasm/simd_kernels.js';

/** The lookup over `size` elements: the WebAssembly SIMD kernel for the bulk when available, a loop for the rest. */
export function lutS8(input: Int8Array, output: Int8Array, lut: Int8Array, size: number): number {
  for (let i = lutWasm(input, output, lut, size); i < size; i++) output[i] = lut[input[i] + 128];
  return Status.SUCCESS;
}

/** The plain loop (the reference the optimized lookup is tested against). */
export function lutS8Ref(input: Int8Array, output: Int8Array, lut: Int8Array, size: number): number {
  for (let i = 0; i < size; i++) output[i] = lut[input[i] + 128];
  return Status.SUCCESS;
}

/**
 * Build the LUT for a float activation fn: for q in [−128,127], x = sIn·(q − zpIn),
 * out = clamp(round_half_away(fn(x)/sOut) + zpOut, −128, 127).
 */
export function buildLut(fn: (x: number) => number, sIn: number, zpIn: number, sOut: number, zpOut: number): Int8Array {
  const lut = new Int8Array(256);
  for (let q = -128; q <= 127; q++) {
    const y = fn(sIn * (q - zpIn)) / sOut;
    let v = Number.isNaN(y) ? zpOut : roundHalfAway(y) + zpOut;
    if (!(v >= -128)) v = -128; else if (v > 127) v = 127;
    lut[q + 128] = v;
  }
  return lut;
}
