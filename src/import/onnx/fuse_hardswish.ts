// Exporters without a HardSwish op (paddle2onnx, older PyTorch/TF converters)
// write hardswish(x) = x · relu6(x + 3) / 6 as four nodes. Left apart, each
// becomes a float op between a dequantize and a quantize in the int8 program
// (PaddleOCR's classifier: 72 of its 101 float ops), and every one of them
// keeps channels-last from flowing between the convolutions around it. As one
// aten.hardswish the quantizer gives it a single pattern, which the lowering
// turns into one int8 lookup table (cortex_m.quantized_activation).
//
// Recognised, with x any value and every intermediate read only by the next step:
//   a = x + 3            (aten.add, 3 on either side)
//   r = relu6(a)         (aten.hardtanh(0, 6) or aten.clamp(0, 6))
//   then  m = x · r, y = m / 6  (or m · 1/6)
//   or    h = r / 6 (or r · 1/6), y = x · h
import type { Graph, Node, Value } from "../../ir/graph.js";
import { ADD, DIV, MUL } from "../../ops/elementwise/binary.js";
import { CLAMP, HARDSWISH, HARDTANH } from "../../ops/activation/activations.js";

/** Relative tolerance on the constants: exporters write 1/6 as an f32 (0.16666667). */
const CONST_TOL = 1e-6;

/** The value of a one-element f32 constant, else null. */
function scalarConst(v: Value | null | undefined): number | null {
  if (!v || !v.isConst() || v.numel !== 1 || v.dtype !== "f32") return null;
  return Number(v.data![0]);
}

const near = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) <= CONST_TOL * Math.abs(b);

/** The only node that reads v (and v is no graph output), else null. */
function soleUser(g: Graph, v: Value): Node | null {
  if (g.outputs.includes(v) || v.uses.length !== 1) return null;
  return v.uses[0]!.node;
}

/** The operand of a binary node that is not `v` (v may be either side), or null when v is not an operand. */
function otherOperand(n: Node, v: Value): Value | null {
  if (n.inputs.length !== 2) return null;
  if (n.inputs[0] === v) return n.inputs[1] ?? null;
  if (n.inputs[1] === v) return n.inputs[0] ?? null;
  return null;
}

/** relu6: hardtanh(0, 6) or clamp(0, 6). */
function isRelu6(n: Node): boolean {
  if (n.op === HARDTANH.name) return n.attrs.min_val === 0 && n.attrs.max_val === 6;
  if (n.op === CLAMP.name) return n.attrs.min === 0 && n.attrs.max === 6;
  return false;
}

/** `n` divides `v` by 6 (v / 6, or v · 1/6 on either side). */
function isDivBy6(n: Node, v: Value): boolean {
  if (n.op === DIV.name) return n.inputs[0] === v && near(scalarConst(n.inputs[1]), 6);
  if (n.op === MUL.name) return near(scalarConst(otherOperand(n, v)), 1 / 6);
  return false;
}

const sameShape = (a: Value, b: Value): boolean => a.dtype === b.dtype && a.shape.join() === b.shape.join();

/** The hardswish chain starting at `add` (x + 3), as [x, last node, nodes], or null. */
function matchAt(g: Graph, add: Node): { x: Value; last: Node; nodes: Node[] } | null {
  if (add.op !== ADD.name || add.inputs.length !== 2) return null;
  const k = [0, 1].find((i) => near(scalarConst(add.inputs[i]), 3));
  if (k === undefined) return null;
  const x = add.inputs[1 - k]!;
  if (x.isConst() || x.dtype !== "f32" || !sameShape(add.output, x)) return null;
  const relu6 = soleUser(g, add.output);
  if (!relu6 || !isRelu6(relu6) || relu6.inputs[0] !== add.output) return null;
  const r = relu6.output;
  const next = soleUser(g, r);
  if (!next) return null;
  // x · r, then / 6
  if (next.op === MUL.name && otherOperand(next, r) === x && !isDivBy6(next, r)) {
    const div = soleUser(g, next.output);
    if (!div || !isDivBy6(div, next.output) || !sameShape(div.output, x)) return null;
    return { x, last: div, nodes: [add, relu6, next, div] };
  }
  // r / 6, then x ·
  if (isDivBy6(next, r)) {
    const mul = soleUser(g, next.output);
    if (!mul || mul.op !== MUL.name || otherOperand(mul, next.output) !== x || !sameShape(mul.output, x)) return null;
    return { x, last: mul, nodes: [add, relu6, next, mul] };
  }
  return null;
}

/** Replace every decomposed hardswish in g by one aten.hardswish; returns how many. */
export function fuseHardswish(g: Graph): number {
  let fused = 0;
  for (const add of [...g.nodes]) {
    if (!g.nodes.includes(add)) continue;
    const m = matchAt(g, add);
    if (!m) continue;
    // The fused node takes the last node's place (and name): x is computed before the add, so before it too.
    const y = g.op(HARDSWISH.name, [m.x], {}, { before: m.last, name: m.last.name });
    const old = m.last.output;
    g.replaceAllUses(old, y);
    const oldName = old.name;
    for (const n of [...m.nodes].reverse()) g.eraseNode(n);
    // Keep the exporter's tensor name (a graph output keeps its ONNX name through nameOutputs anyway).
    if (y.name !== oldName && !g.values().some((v) => v !== y && v.name === oldName)) y.name = oldName;
    fused++;
  }
  return fused;
}
