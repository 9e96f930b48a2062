// The arguments of the float kernels derived from an op's logical shapes and
// attributes, shared by the simulator (runtime/ops/float32.ts) and the C
// emitter (emit/ops/float.ts) so both call the kernels the same way.
import type { Attrs } from "../../ir/graph.js";
import { numel, stridesOf } from "../../ir/tensor.js";
import { CONV, convParams } from "../../ops/conv/params.js";
import { poolParams } from "../../ops/pool/params.js";
import { AVG_POOL1D, MAX_POOL1D, MAX_POOL2D } from "../../ops/pool/pools.js";
import type { WindowGeometry, WindowKind } from "./float_ops.js";

/** Binary op over the output `out`: shape (rank ≥ 1) and each operand's element strides per output dim (0 where broadcast). */
export function binaryGeometry(a: readonly number[], b: readonly number[], out: readonly number[]) {
  const shape = out.length ? [...out] : [1];
  const strides = (v: readonly number[]): number[] => {
    if (!out.length) return [0];
    const s = stridesOf(v);
    const off = shape.length - v.length;
    return shape.map((_, k) => (k < off || v[k - off] === 1 ? 0 : s[k - off]!));
  };
  return { shape, aStrides: strides(a), bStrides: strides(b) };
}

/** Mean over `dims` (all when empty; negative counted from the end): the shape (rank ≥ 1) and the reduced flags. */
export function meanGeometry(x: readonly number[], dims: readonly number[]) {
  const r = x.length;
  const ds = dims.length === 0 ? x.map((_, i) => i) : dims.map((d) => (d < 0 ? d + r : d));
  if (!r) return { shape: [1], reduce: [true] };
  return { shape: [...x], reduce: x.map((_, i) => ds.includes(i)) };
}

/** softmax along `dim`: [outer][len][inner]. */
export function softmaxGeometry(x: readonly number[], dim: number) {
  const d = dim < 0 ? dim + x.length : dim;
  return { outer: numel(x.slice(0, d)), len: x[d]!, inner: numel(x.slice(d + 1)) };
}

/** numpy matmul of a by b (rank ≥ 1 each): M, K, N, the broadcast batch shape and each operand's batch strides. */
export function matmulGeometry(a: readonly number[], b: readonly number[]) {
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const [M, K] = [A[A.length - 2]!, A[A.length - 1]!];
  const N = B[B.length - 1]!;
  const aB = A.slice(0, -2);
  const bB = B.slice(0, -2);
  const nb = Math.max(aB.length, bB.length);
  const batch = Array.from({ length: nb }, (_, k) => Math.max(aB[k - (nb - aB.length)] ?? 1, bB[k - (nb - bB.length)] ?? 1));
  const bstrides = (bs: number[], mat: number): number[] => {
    const s = stridesOf(bs).map((x) => x * mat);
    return batch.map((_, k) => {
      const j = k - (nb - bs.length);
      return j < 0 || bs[j] === 1 ? 0 : s[j]!;
    });
  };
  return { M, K, N, batch, aBStrides: bstrides(aB, M * K), bBStrides: bstrides(bB, K * N) };
}

/** Elementwise op over the output `out` with any number of operands: the shape (rank ≥ 1) and each operand's strides. */
export function broadcastGeometry(out: readonly number[], operands: readonly (readonly number[])[]) {
  const shape = out.length ? [...out] : [1];
  const strides = operands.map((v) => {
    if (!out.length) return [0];
    const s = stridesOf(v);
    const off = shape.length - v.length;
    return shape.map((_, k) => (k < off || v[k - off] === 1 ? 0 : s[k - off]!));
  });
  return { shape, strides };
}

/**
 * The clg_window_f32 call of a float convolution (plain or transposed) or pool node:
 * its kind and geometry, 1-D ops lifted to a unit height.
 */
export function windowGeometry(op: string, attrs: Attrs, x: readonly number[], w: readonly number[] | null, y: readonly number[]): { kind: WindowKind; g: WindowGeometry } {
  const spatial = x.length === 3 ? 1 : 2;
  const lift = (s: readonly number[]) => (spatial === 1 ? [1, s[0]!] : [s[0]!, s[1]!]);
  const [H, W] = lift(x.slice(2));
  const [OH, OW] = lift(y.slice(2));
  const base = { N: x[0]!, C: x[1]!, H: H!, W: W!, O: y[1]!, OH: OH!, OW: OW! };
  if (op === CONV) {
    const p = convParams(attrs, spatial);
    const [KH, KW] = lift(w!.slice(2));
    return {
      kind: p.transposed ? "CLG_WIN_CONV_TRANSPOSED" : "CLG_WIN_CONV",
      g: { ...base, KH: KH!, KW: KW!, groups: p.groups, sh: p.stride[0]!, sw: p.stride[1]!, ph: p.padBegin[0]!, pw: p.padBegin[1]!,
        dh: p.dilation[0]!, dw: p.dilation[1]! },
    };
  }
  const p = poolParams(op, attrs, op === MAX_POOL1D.name || op === AVG_POOL1D.name ? 1 : 2);
  const kind = op === MAX_POOL1D.name || op === MAX_POOL2D.name ? "CLG_WIN_MAX" : p.countIncludePad ? "CLG_WIN_AVG_PAD" : "CLG_WIN_AVG";
  return {
    kind,
    g: { ...base, KH: p.kernel[0]!, KW: p.kernel[1]!, groups: base.C, sh: p.stride[0]!, sw: p.stride[1]!, ph: p.padding[0]!, pw: p.padding[1]!,
      dh: p.dilation[0]!, dw: p.dilation[1]! },
  };
}
