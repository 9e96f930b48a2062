// max_pool1d/2d and avg_pool1d/2d (PyTorch semantics). Padding never wins a
// max. The average divisor with count_include_pad counts the window clipped to
// the padded input (so ceil_mode overhang is not counted), otherwise only the
// real input elements.
import { allocArray } from "../../ir/dtype.js";
import { defineOp, type OpDef } from "../../ir/registry.js";
import type { Tensor } from "../../ir/tensor.js";
import { need, needT, out } from "../common.js";
import { poolOutShape, poolParams, type PoolParams } from "./params.js";

type Kind = "max" | "avg";

function pool(x: Tensor, yShape: number[], p: PoolParams, kind: Kind): Tensor {
  const spatial = x.shape.length - 2;
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const H = spatial === 1 ? 1 : x.shape[2]!;
  const W = x.shape[x.shape.length - 1]!;
  const OH = spatial === 1 ? 1 : yShape[2]!;
  const OW = yShape[yShape.length - 1]!;
  const [KH, KW] = p.kernel as [number, number];
  const [sh, sw] = p.stride as [number, number];
  const [ph, pw] = p.padding as [number, number];
  const [dh, dw] = p.dilation as [number, number];
  const y = allocArray(x.dtype, N * C * OH * OW);
  const xd = x.data;
  for (let nc = 0; nc < N * C; nc++) {
    const xb = nc * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * sw - pw;
        let best = -Infinity;
        let sum = 0;
        let count = 0;
        for (let kh = 0; kh < KH; kh++) {
          const ih = h0 + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = w0 + kw * dw;
            if (iw < 0 || iw >= W) continue;
            const v = xd[xb + ih * W + iw]!;
            if (v > best || Number.isNaN(v)) best = v;
            sum += v;
            count++;
          }
        }
        let r: number;
        if (kind === "max") r = best;
        else {
          let div = count;
          if (p.countIncludePad) {
            const hEnd = Math.min(h0 + KH, H + ph);
            const wEnd = Math.min(w0 + KW, W + pw);
            div = (hEnd - h0) * (wEnd - w0);
          }
          r = sum / div;
        }
        y[(nc * OH + oh) * OW + ow] = r;
      }
    }
  }
  return { dtype: x.dtype, shape: yShape, data: y };
}

function definePool(name: string, kind: Kind, spatial: 1 | 2): OpDef {
  return defineOp({
    name,
    dataMovement: kind === "max" ? true : undefined,
    // max picks an input element, avg of values on one grid stays on it: both keep their input's parameters.
    quant: { sharesInputParams: true },
    infer(inputs, attrs) {
      const x = need(name, inputs, 0, "input x");
      return [out(x.dtype, poolOutShape(name, x.shape, poolParams(name, attrs, spatial), spatial))];
    },
    eval(inputs, attrs) {
      const x = needT(name, inputs, 0);
      const p = poolParams(name, attrs, spatial);
      return [pool(x, poolOutShape(name, x.shape, p, spatial), p, kind)];
    },
  });
}

export const MAX_POOL2D = definePool("aten.max_pool2d", "max", 2);
export const MAX_POOL1D = definePool("aten.max_pool1d", "max", 1);
export const AVG_POOL2D = definePool("aten.avg_pool2d", "avg", 2);
export const AVG_POOL1D = definePool("aten.avg_pool1d", "avg", 1);
