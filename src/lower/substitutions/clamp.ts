import "../../ops/index.js";
import type { Graph, Node } from "../../ir/graph.js";
import { qparamsEq } from "../../ir/quant.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";
import { getOp } from "../../ir/registry.js";
import { CLAMP as CORTEX_M_CLAMP } from "../../ops/cortex_m/elementwise.js";
import { clampTails, foldTail } from "./tails.js";
import { readsInt16 } from "./s16.js";

/**
 * A relu / hardtanh / clamp that no producer absorbed (its producer was not
 * lowered, or had other users) runs as an int8 clamp when input and output
 * share parameters.
 */
function lowerClamp(g: Graph, node: Node): string | null {
  // int16 too (a relu after an int16 producer): the same clamp on the int16 grid.
  const dtype = readsInt16(node) ? "i16" : "i8";
  const m = matchQuantized(g, node, [0], [], dtype);
  if (!m) return `not a quantized ${dtype === "i16" ? "int16" : "int8"} pattern (producer is float)`;
  const x = m.inputs[0]!;
  if (!qparamsEq(x.q, m.outQ)) return "clamp input and output quantization differ";
  const f = foldTail(node.op, node.attrs, m.outQ);
  const y = g.op(CORTEX_M_CLAMP.name, [x.value], { activation_min: f.activationMin, activation_max: f.activationMax },
    { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

// Every plain-clamp tail (relu, hardtanh, clamp) may also stand alone.
for (const op of clampTails()) registerSubstitution(getOp(op), lowerClamp);
