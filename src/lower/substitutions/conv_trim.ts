// Filter taps that only ever meet padding, trimmed at compile time.
//
// Why this is exact: CMSIS-NN adds (x + input_offset)·w over the taps of a
// window and treats a padded position as x = −input_offset (arm_convolve_s8
// fills its im2col rows with −input_offset; the other kernels skip padded
// taps), so a padded tap adds exactly 0 to the int32 accumulator in every
// kernel path (cmsis-nn.md: "padded taps add exactly 0"). A tap that meets
// padding at every output position therefore never changes an accumulator;
// dropping it, and moving the padding by the taps dropped in front, gives the
// same accumulators — also modulo 2^32 — hence the same requantized bytes.
// Only taps at the ends of a spatial axis are dropped (the kept ones stay a
// contiguous, equally dilated run); padding stays ≥ 0 on both sides.

/** One spatial axis of a convolution. */
export interface ConvAxis {
  len: number; outLen: number; k: number; stride: number; pad: number; padEnd: number; dilation: number;
}

/** The taps [first, first + k) kept on one axis, with the padding around them. */
export interface AxisTrim {
  first: number; k: number; pad: number; padEnd: number;
}

/** Whether tap `t` of output `o` reads a real input element. */
function real(a: ConvAxis, o: number, t: number): boolean {
  const pos = o * a.stride - a.pad + t * a.dilation;
  return pos >= 0 && pos < a.len;
}

/**
 * The smallest run of taps of this axis that holds every tap some output
 * position applies to a real input element; null when nothing can be dropped
 * (or when no tap ever meets the input: such a conv is left as it is).
 */
export function trimAxis(a: ConvAxis): AxisTrim | null {
  let first = -1;
  let last = -1;
  for (let t = 0; t < a.k; t++) {
    let used = false;
    for (let o = 0; o < a.outLen && !used; o++) used = real(a, o, t);
    if (!used) continue;
    if (first < 0) first = t;
    last = t;
  }
  if (first < 0 || (first === 0 && last === a.k - 1)) return null;
  // Moving the window start by `first` taps keeps every kept tap on the same
  // input element; the output extent (in + pad + padEnd − d·(k−1) − 1)/s + 1
  // is unchanged because pad and padEnd shrink by exactly the dropped extent.
  const pad = a.pad - first * a.dilation;
  const padEnd = a.padEnd - (a.k - 1 - last) * a.dilation;
  if (pad < 0 || padEnd < 0) return null;
  return { first, k: last - first + 1, pad, padEnd };
}

/**
 * The weights [O, I, ...spatial] with only the kept taps of each spatial axis
 * (`keep[i]` = [first, count] of spatial axis i).
 */
export function sliceTaps(data: Int8Array, shape: readonly number[], keep: readonly (readonly [number, number])[]): { data: Int8Array; shape: number[] } {
  const [o, i] = shape as [number, number];
  const spatial = shape.slice(2);
  const outSpatial = keep.map(([, n]) => n);
  const outShape = [o, i, ...outSpatial];
  const out = new Int8Array(outShape.reduce((a, b) => a * b, 1));
  const kh = spatial[0]!;
  const kw = spatial.length > 1 ? spatial[1]! : 1;
  const [h0, hn] = keep[0]!;
  const [w0, wn] = keep.length > 1 ? keep[1]! : [0, 1];
  let at = 0;
  for (let oi = 0; oi < o * i; oi++) {
    for (let y = 0; y < hn; y++) {
      for (let x = 0; x < wn; x++) out[at++] = data[(oi * kh + h0 + y) * kw + w0 + x]!;
    }
  }
  return { data: out, shape: outShape };
}
