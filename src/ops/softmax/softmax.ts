// softmax / log_softmax along one dim, max-subtracted for stability.
import { defineOp, type OpDef } from "../../ir/registry.js";
import { numel } from "../../ir/tensor.js";
import { attrNum, checkAxis, need, needT, out } from "../common.js";

// The TFLite int8 softmax kernel's fixed output range.
const SOFTMAX_OUTPUT = { scale: 1 / 256, zeroPoint: -128 };

function defineSoftmax(name: string, log: boolean): OpDef {
  return defineOp({
    name,
    // log_softmax is int8 only in an integer-only build (lowered to softmax + a log table, which loses
    // the log-probabilities below log(1/512)); a default build keeps its float kernel.
    quant: { patterns: [log
      ? { name: "log_softmax", inputs: ["act"], output: "observed", tails: [], integerOnly: true }
      : { name: "softmax", inputs: ["act"], output: { fixed: SOFTMAX_OUTPUT }, tails: [] }] },
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

export const SOFTMAX = defineSoftmax("aten.softmax", false);
export const LOG_SOFTMAX = defineSoftmax("aten.log_softmax", true);
