// A float convolution whose weights are a windowed real DFT basis (an STFT front end kept in float, e.g.
// Silero VAD's stft/Conv under --keep-float or --precision auto) → cortex_m.stft_f32: one real FFT per
// frame. A strict improvement wherever it applies: N·(N + 2) products per frame become a few thousand
// float operations, and the results equal the direct conv's within float rounding (the FFT's error is
// ~log2 N roundings of the frame's magnitude; src/kernels/float32/stft.test.ts measures it). Default int8
// builds quantize that conv, so they never meet this rewrite.
import type { Graph, Node } from "../../ir/graph.js";
import { dftBasis } from "../../ops/conv/dft_basis.js";
import { STFT_F32 } from "../../ops/cortex_m/stft.js";

/** Rewrite `node` (an aten.convolution) when it is a float DFT-basis conv; null when done, else why not. */
export function lowerDftConvolution(g: Graph, node: Node): string | null {
  const [x, w, b] = node.inputs;
  if (!x || x.dtype !== "f32" || node.output.dtype !== "f32") return "not a float convolution";
  if (!w || !w.data || w.dtype !== "f32") return "weight is not a constant f32 tensor";
  if (b && (!b.data || b.dtype !== "f32" || b.data.some((v) => v !== 0))) return "bias is not absent or zero";
  if (x.shape[1] !== 1) return "more than one input channel";
  const basis = dftBasis({ dtype: w.dtype, shape: [...w.shape], data: w.data }, node.attrs);
  if (!basis || basis.spatial + 2 !== x.rank) return "weight is not a windowed DFT basis";
  const window = g.addConst(`${node.name}_window`, "f32", [basis.n], basis.window);
  const y = g.op(STFT_F32.name, [x, window], {
    hop: basis.hop, pad_begin: basis.padBegin, pad_end: basis.padEnd, imag_sign: basis.imagSign,
  }, { before: node, name: node.name });
  if (y.shape.join() !== node.output.shape.join()) throw new Error(`${node.name}: stft_f32 shape [${y.shape}] is not the conv's [${node.output.shape}]`);
  g.replaceAllUses(node.output, y);
  return null;
}
