// Comparison / selection ops. They normally see constants only (the ONNX
// importer folds shape computations), so they run on any dtype.
import { defineOp } from "../../ir/registry.js";
import { allocArray } from "../../ir/dtype.js";
import { broadcastShapes, need, needT, out } from "../common.js";
import { broadcastMap } from "./binary.js";

export const EQ = defineOp({
  name: "aten.eq",
  traits: { anyDtypeOperands: "all" },
  infer(inputs) {
    const a = need("aten.eq", inputs, 0, "input a");
    const b = need("aten.eq", inputs, 1, "input b");
    return [out("bool", broadcastShapes("aten.eq", a.shape, b.shape))];
  },
  eval(inputs) {
    const a = needT("aten.eq", inputs, 0);
    const b = needT("aten.eq", inputs, 1);
    return [broadcastMap("aten.eq", "bool", [a, b], (v) => (v[0] === v[1] ? 1 : 0))];
  },
});

export const LOGICAL_NOT = defineOp({
  name: "aten.logical_not",
  traits: { anyDtypeOperands: "all" },
  unaryElementwise: true,
  infer(inputs) {
    const x = need("aten.logical_not", inputs, 0, "input x");
    return [out("bool", x.shape)];
  },
  eval(inputs) {
    const x = needT("aten.logical_not", inputs, 0);
    const d = allocArray("bool", x.data.length);
    for (let i = 0; i < d.length; i++) d[i] = x.data[i] === 0 ? 1 : 0;
    return [{ dtype: "bool", shape: [...x.shape], data: d }];
  },
});

export const WHERE = defineOp({
  name: "aten.where",
  traits: { anyDtypeOperands: [0] }, // the condition
  infer(inputs) {
    const c = need("aten.where", inputs, 0, "condition");
    const a = need("aten.where", inputs, 1, "input a");
    const b = need("aten.where", inputs, 2, "input b");
    return [out(a.dtype, broadcastShapes("aten.where", c.shape, a.shape, b.shape))];
  },
  eval(inputs) {
    const c = needT("aten.where", inputs, 0);
    const a = needT("aten.where", inputs, 1);
    const b = needT("aten.where", inputs, 2);
    return [broadcastMap("aten.where", a.dtype, [c, a, b], (v) => (v[0] !== 0 ? v[1]! : v[2]!))];
  },
});

/** A bool-valued binary op on any operand types (comparisons and logic): numpy broadcasting. */
function defineBoolBinary(name: string, fn: (a: number, b: number) => boolean) {
  return defineOp({
    name,
    traits: { anyDtypeOperands: "all" },
    infer(inputs) {
      const a = need(name, inputs, 0, "input a");
      const b = need(name, inputs, 1, "input b");
      return [out("bool", broadcastShapes(name, a.shape, b.shape))];
    },
    eval(inputs) {
      const a = needT(name, inputs, 0);
      const b = needT(name, inputs, 1);
      return [broadcastMap(name, "bool", [a, b], (v) => (fn(v[0]!, v[1]!) ? 1 : 0))];
    },
  });
}

// ONNX Greater/GreaterOrEqual import as lt/le with the operands swapped (the same predicate).
export const LT = defineBoolBinary("aten.lt", (a, b) => a < b);
export const LE = defineBoolBinary("aten.le", (a, b) => a <= b);
export const LOGICAL_AND = defineBoolBinary("aten.logical_and", (a, b) => a !== 0 && b !== 0);
export const LOGICAL_OR = defineBoolBinary("aten.logical_or", (a, b) => a !== 0 || b !== 0);
