// cortex_m.stft_f32: a float convolution whose weights are a windowed real DFT basis (ops/conv/dft_basis.ts),
// computed as one real FFT per frame — the simulator runs src/kernels/float32/stft.ts, the C clg_stft_f32
// (csrc/codegen_support/clg_stft.c). Input and output keep the conv's logical shapes (NCW [B, 1, L] →
// [B, N + 2, frames], or NCHW [B, 1, H, L] → [B, N + 2, H, frames] along W), so nothing around it changes.
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { StftGeometry } from "../../kernels/float32/stft.js";
import { fail, intAttr, operand } from "./decode.js";
import { need, windowOut } from "./shapes.js";

export interface StftRecord {
  geometry: StftGeometry;
  operands: { x: Value; window: Value };
}

// clg_stft_f32 runs the FFT's first two stages on four points at a time: n/2 ≥ 8 (dftBasis takes N ≥ 16).
const isPow2 = (n: number): boolean => Number.isInteger(n) && n >= 16 && (n & (n - 1)) === 0;

/** The output shape of the conv the op replaces; throws on a malformed input. */
function stftShape(x: readonly number[], n: number, hop: number, padBegin: number, padEnd: number): number[] {
  if (x.length !== 3 && x.length !== 4) throw new IRError(`cortex_m.stft_f32 needs an NCW or NCHW input, got [${x}]`);
  if (x[1] !== 1) throw new IRError(`cortex_m.stft_f32 needs one input channel, got [${x}]`);
  const len = x[x.length - 1]!;
  if (len + padBegin + padEnd < n) throw new IRError(`cortex_m.stft_f32: ${len} samples (+ padding) are fewer than a frame of ${n}`);
  const frames = windowOut(len, n, hop, padBegin, padEnd);
  return x.length === 3 ? [x[0]!, n + 2, frames] : [x[0]!, n + 2, x[2]!, frames];
}

export const STFT_F32 = defineOp<StftRecord>({
  name: "cortex_m.stft_f32",
  infer: ([x, w], attrs) => {
    const xt = need(x, "x");
    const wt = need(w, "window");
    const n = wt.shape[0]!;
    const shape = stftShape(xt.shape, n, attrs.hop as number, attrs.pad_begin as number, attrs.pad_end as number);
    return [makeType("f32", shape) as TensorType];
  },
  decode: (node: Node) => {
    const x = operand(node, 0, "input", "f32");
    const window = operand(node, 1, "window", "f32");
    if (!window.isConst() || window.rank !== 1) fail(node, "the window must be a constant f32 vector");
    const n = window.shape[0]!;
    if (!isPow2(n)) fail(node, `frame length ${n} is not a power of two ≥ 16`);
    const hop = intAttr(node, "hop");
    const padBegin = intAttr(node, "pad_begin");
    const padEnd = intAttr(node, "pad_end");
    if (hop < 1 || padBegin < 0 || padEnd < 0) fail(node, `hop ${hop}, padding [${padBegin}, ${padEnd}] out of range`);
    const imagSign = intAttr(node, "imag_sign");
    if (imagSign !== 1 && imagSign !== -1) fail(node, `imag_sign must be ±1, got ${imagSign}`);
    const y = node.output;
    if (y.dtype !== "f32") fail(node, `output must be f32, got ${y.dtype}`);
    let shape: number[];
    try {
      shape = stftShape(x.shape, n, hop, padBegin, padEnd);
    } catch (e) {
      if (e instanceof IRError) fail(node, e.message);
      throw e;
    }
    if (shape.join() !== y.shape.join()) fail(node, `output [${y.shape}] is not [${shape}]`);
    const four = x.rank === 4;
    return {
      geometry: {
        n, hop, padBegin, len: x.shape[x.rank - 1]!, frames: shape[shape.length - 1]!, rows: four ? x.shape[2]! : 1,
        batch: x.shape[0]!, imagSign,
      },
      operands: { x, window },
    };
  },
});
