import "../../ops/index.js";
import type { Graph, Node } from "../../ir/graph.js";
import { allOpDefs } from "../../ir/registry.js";
import { PAD_OP } from "../../ops/shape/pad.js";
import { qparamsEq } from "../../ir/quant.js";
import { Q, quantizedInput, qparamsOfNode, soleUser } from "../match.js";
import { quantizeScalar } from "../qmath.js";
import { registerSubstitution } from "./registry.js";

/**
 * Ops that only move bytes run on int8 directly when their inputs and outputs
 * share quantization parameters (the quantizer gives them their input's):
 * DQ → view/permute/slice/cat/split/pad/… → Q becomes the same op on int8.
 */
function lowerDataMovement(g: Graph, node: Node): string | null {
  const ins = node.inputs.map((v) => (v && v.dtype === "f32" ? quantizedInput(v) : null));
  const acts = node.inputs.map((v, i) => (v && v.dtype === "f32" ? i : -1)).filter((i) => i >= 0);
  if (acts.length === 0 || acts.some((i) => !ins[i] || ins[i]!.q.scheme !== "per_tensor")) return "input is not dequantized int8";
  const qIn = ins[acts[0]!]!.q;
  if (acts.some((i) => !qparamsEq(ins[i]!.q, qIn))) return "inputs have different quantization parameters";
  const quants = node.outputs.map((o) => soleUser(g, o));
  if (quants.some((q) => !q || q.op !== Q)) return "output is not quantized";
  if (quants.some((q) => !qparamsEq(qparamsOfNode(q!), qIn))) return "output quantization differs from the input's";
  const attrs = { ...node.attrs };
  if (node.op === PAD_OP.name && attrs.mode !== "reflect") attrs.value = quantizeScalar((attrs.value as number) ?? 0, qIn);
  const newInputs = node.inputs.map((v, i) => (acts.includes(i) ? ins[i]!.value : v));
  const n2 = g.addNode(node.op, newInputs, attrs, { before: node, name: node.name });
  n2.outputs.forEach((o, i) => {
    o.type.qparams = qIn;
    g.replaceAllUses(quants[i]!.output, o);
  });
  return null;
}

// Every op whose spec says the lowering keeps it as the same op on int8.
for (const d of allOpDefs()) if (d.quant?.sameOpOnInt8) registerSubstitution(d, lowerDataMovement);
