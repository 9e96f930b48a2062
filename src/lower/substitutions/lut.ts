import "../../ops/index.js";
import type { Graph, Node } from "../../ir/graph.js";
import { allOpDefs, getOp, localName } from "../../ir/registry.js";
import { buildLut } from "../../kernels/lut_s8.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";

/** A quantized unary function → cortex_m.quantized_activation over a table built at compile time. */
function lowerLut(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0]);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  const fn = getOp(node.op).quant!.lut!(node.attrs);
  const lut = buildLut(fn, x.q.scale[0]!, x.q.zeroPoint[0]!, m.outQ.scale[0]!, m.outQ.zeroPoint[0]!);
  const table = g.addConst(`${node.name}_lut`, "i8", [256], lut);
  const y = g.op("cortex_m.quantized_activation", [x.value, table], { function: localName(node.op) },
    { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

// Every op whose spec gives the function its lookup table samples (quant.lut).
for (const d of allOpDefs()) if (d.quant?.lut) registerSubstitution(d, lowerLut);
