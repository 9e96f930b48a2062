import "../../ops/index.js";
import type { Attrs, Graph, Node } from "../../ir/graph.js";
import { allOpDefs, getOp, localName } from "../../ir/registry.js";
import { buildLut } from "../../kernels/lut_s8.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";
import { lowerActivationS16, readsInt16 } from "./s16.js";

/** A quantized unary function → cortex_m.quantized_activation over a table built at compile time. */
function lowerLut(g: Graph, node: Node): string | null {
  // int16: sigmoid / tanh have a kernel (arm_nn_activation_s16); a 65536-entry table is not made for the others.
  if (readsInt16(node)) return lowerActivationS16(g, node);
  const m = matchQuantized(g, node, [0]);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  const quant = getOp(node.op).quant!;
  const fn = quant.lut!(node.attrs);
  const lut = buildLut(fn, x.q.scale[0]!, x.q.zeroPoint[0]!, m.outQ.scale[0]!, m.outQ.zeroPoint[0]!);
  const table = g.addConst(`${node.name}_lut`, "i8", [256], lut);
  // The table node names its function and keeps the attributes it was built from (leaky_relu's slope).
  const attrs: Attrs = { function: localName(node.op) };
  for (const k of quant.lutAttrs ?? []) if (node.attrs[k] !== undefined) attrs[k] = node.attrs[k];
  const y = g.op(QUANTIZED_ACTIVATION.name, [x.value, table], attrs,
    { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

// Every op whose spec gives the function its lookup table samples (quant.lut).
for (const d of allOpDefs()) if (d.quant?.lut) registerSubstitution(d, lowerLut);
