// A QDQ (pre-quantized) ONNX file from a corpus model's real weights, as
// onnxruntime's static quantizer lays one out by default (QUInt8 activations,
// QInt8 weights, int32 biases behind DequantizeLinear): quantized here with
// seeded random calibration, written by the project's exporter, then moved to
// uint8 activations. The corpus imports the result as a user's file, so the
// QDQ importer sees a real network's scales, not a toy's.
import { exportOnnx } from "../../src/export/onnx.js";
import type { Graph } from "../../src/ir/graph.js";
import { randomSource } from "../../src/quantize/calibrate.js";
import { DQ_OP, Q_OP } from "../../src/quantize/insert_qdq.js";
import { quantizeGraph } from "../../src/quantize/quantize.js";

/**
 * Every activation Q/DQ pair of `g` moved from int8 to uint8 on the same real
 * grid (zero point + 128): onnxruntime's default U8S8 format. Weights stay int8.
 */
function uint8Activations(g: Graph): Graph {
  for (const n of g.nodes) {
    if (n.op !== Q_OP || n.input(0).isConst()) continue;
    n.attrs = { ...n.attrs, dtype: "u8", zero_point: (n.attrs.zero_point as number) + 128, quant_min: 0, quant_max: 255 };
    n.output.type.dtype = "u8";
    for (const u of n.output.users()) {
      if (u.op !== DQ_OP) throw new Error(`QDQ file: ${n.name} feeds ${u.op}, not a dequantize`);
      u.attrs = { ...u.attrs, dtype: "u8", zero_point: (u.attrs.zero_point as number) + 128 };
    }
  }
  return g;
}

/** The QDQ ONNX bytes of float graph `g` (8 seeded random calibration samples). */
export function qdqFileOf(g: Graph): Uint8Array {
  const q = quantizeGraph(g, randomSource(8, { seed: 11 }), { sqnr: false });
  return exportOnnx(uint8Activations(q.graph));
}
