// softmax / log_softmax along one dim, max-subtracted for stability.
import { defineOp } from "../../ir/registry.js";
import { numel } from "../../ir/tensor.js";
import { attrNum, checkAxis, need, needT, out } from "../common.js";

for (const [name, log] of [["aten.softmax", false], ["aten.log_softmax", true]] as const) {
  defineOp({
    name,
    infer(inputs, attrs) {
      const x = need(name, inputs, 0, "input x");
      checkAxis(name, attrNum(name, attrs, "dim"), x.shape.length);
      return [out(x.dtype, x.shape)];
    },
    eval(inputs, attrs) {
      const x = needT(name, inputs, 0);
      const dim = checkAxis(name, attrNum(name, attrs, "dim"), x.shape.length);
      const L = x.shape[dim]!;
      const inner = numel(x.shape.slice(dim + 1));
      const outer = numel(x.shape.slice(0, dim));
      const y = new Float32Array(x.data.length);
      const e = new Float64Array(L);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * L * inner + i;
          let m = -Infinity;
          for (let k = 0; k < L; k++) m = Math.max(m, x.data[base + k * inner]!);
          let s = 0;
          for (let k = 0; k < L; k++) {
            e[k] = Math.exp(x.data[base + k * inner]! - m);
            s += e[k]!;
          }
          const ls = Math.log(s);
          for (let k = 0; k < L; k++) y[base + k * inner] = log ? x.data[base + k * inner]! - m - ls : e[k]! / s;
        }
      }
      return [{ dtype: "f32", shape: [...x.shape], data: y }];
    },
  });
}
