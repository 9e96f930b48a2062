// x op c with a one-element constant c (add, sub, mul, div; the scalar
// patterns of src/ops/elementwise/binary.ts) and an optional clamp tail is a
// function of one int8 input: cortex_m.quantized_activation over a table built
// here. Exporters write such ops for learnable affine blocks (PP-LCNetV3's
// y = a·x + b after each activation), ONNX HardSigmoid with other slopes
// (clamp(0.2·x + 0.5, 0, 1)) and normalisation constants; as float ops each
// sat between a dequantize and a quantize and kept channels-last from
// flowing. The C and the simulator read the table, so they agree by construction.
import type { Graph, Node } from "../../ir/graph.js";
import { getOp, localName } from "../../ir/registry.js";
import { buildLut } from "../../kernels/lut_s8.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import { ADD, DIV, MUL, SUB, scalarConstOperand } from "../../ops/elementwise/binary.js";
import { CLAMP_TAILS } from "../../ops/activation/activations.js";
import { matchQuantized, replacePattern } from "../match.js";
import { readsInt16 } from "./s16.js";

/** The real function of x for `op` with the constant c on side k (0: c op x, 1: x op c). */
function scalarFn(op: string, c: number, k: 0 | 1): ((x: number) => number) | null {
  switch (op) {
    case ADD.name: return (x) => x + c;
    case MUL.name: return (x) => x * c;
    case SUB.name: return k === 1 ? (x) => x - c : (x) => c - x;
    case DIV.name: return k === 1 ? (x) => x / c : null;
    default: return null;
  }
}

/** The node was quantized as a scalar-table pattern (`<op>_scalar`, src/ops/elementwise/binary.ts). */
export function isScalarTable(node: Node): boolean {
  const p = node.meta.qpattern as { name?: unknown } | undefined;
  return typeof p?.name === "string" && p.name.endsWith("_scalar") && scalarConstOperand(node) !== null;
}

/**
 * A quantized `x op c [→ clamp]` → one int8 table; null when done, else why
 * not. Called first by the add / sub / mul / div substitutions (binary.ts).
 */
export function lowerScalarLut(g: Graph, node: Node): string | null {
  const k = scalarConstOperand(node);
  if (k === null) return "no one-element constant operand";
  if (readsInt16(node)) return "an int16 operand: no 65536-entry table is made";
  const xi = 1 - k;
  const m = matchQuantized(g, node, [xi], CLAMP_TAILS);
  if (!m) return "not a quantized int8 pattern";
  const c = Number(node.inputs[k]!.data![0]);
  const f = scalarFn(node.op, c, k);
  if (!f) return `${localName(node.op)} with the constant first is not tabulated`;
  // A clamp tail (its spec's bounds in real numbers) is applied to the real result before rounding.
  const [lo, hi] = m.tail ? getOp(m.tail.op).quant!.tail!.bounds(m.tail.attrs) : [null, null];
  const fn = (x: number): number => {
    const y = f(x);
    return lo !== null && y < lo ? lo : hi !== null && y > hi ? hi : y;
  };
  const x = m.inputs[xi]!;
  const lut = buildLut(fn, x.q.scale[0]!, x.q.zeroPoint[0]!, m.outQ.scale[0]!, m.outQ.zeroPoint[0]!);
  const table = g.addConst(`${node.name}_lut`, "i8", [256], lut);
  // The table node names what it computes and the constant it was built from.
  const attrs = { function: `${localName(node.op)}_scalar`, constant: c, constant_first: k === 0, ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}) };
  const y = g.op(QUANTIZED_ACTIVATION.name, [x.value, table], attrs,
    { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

