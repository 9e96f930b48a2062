// Ultralytics YOLO11n (yolo11.yaml at scale n), built as in the fused ONNX export:
// every Conv-BN-SiLU has its BatchNorm folded, C3k2 uses split (forward_split),
// and the Detect head decodes DFL distances and anchors into [1, 84, A].
// Layer-by-layer reference: /work/shared/reference/yolo11n.md.
import { ModelBuilder } from "../builder/index.js";
import { UserError } from "../ir/errors.js";
import type { Graph, Value } from "../ir/graph.js";
import { resolveInputShapes, type LoadOptions } from "./shapes.js";
import type { BuiltinModel } from "./types.js";

const DEFAULT_SHAPES = { images: [1, 3, 640, 640] };
const NC = 80;
const REG_MAX = 16;
const STRIDES = [8, 16, 32];
const BN_EPS = 1e-3; // Ultralytics' initialize_weights sets BatchNorm eps to 1e-3

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The YOLO11 modules (conv.py, block.py, head.py) over one ModelBuilder. */
class Yolo11Modules {
  constructor(readonly b: ModelBuilder) {}

  /** Conv: Conv2d(k, s, autopad k//2, groups g, no bias) + folded BN + SiLU (act=false: no activation). */
  conv(x: Value, c2: number, k = 1, s = 1, g = 1, act = true): Value {
    const y = this.b.conv2d(x, { out: c2, k, stride: s, pad: k >> 1, groups: g, bias: false, bn: { eps: BN_EPS } });
    return act ? this.b.silu(y) : y;
  }

  dwconv(x: Value, c2: number, k: number, act = true): Value {
    return this.conv(x, c2, k, 1, gcd(x.shape[1]!, c2), act);
  }

  bottleneck(x: Value, c2: number, shortcut: boolean, k: [number, number], e: number): Value {
    const h = Math.trunc(c2 * e);
    const y = this.b.scope("cv2", () => this.conv(this.b.scope("cv1", () => this.conv(x, h, k[0])), c2, k[1]));
    return shortcut && x.shape[1] === c2 ? this.b.add(x, y) : y;
  }

  /** C3k: two 1×1 branches, one through n Bottlenecks (e=1.0), joined by cv3. */
  c3k(x: Value, c2: number, n: number, shortcut: boolean, e = 0.5, k = 3): Value {
    const c = Math.trunc(c2 * e);
    let a = this.b.scope("cv1", () => this.conv(x, c, 1));
    for (let i = 0; i < n; i++) a = this.b.scope(`m.${i}`, () => this.bottleneck(a, c, shortcut, [k, k], 1.0));
    const bb = this.b.scope("cv2", () => this.conv(x, c, 1));
    return this.b.scope("cv3", () => this.conv(this.b.cat([a, bb], 1), c2, 1));
  }

  /** C3k2 (C2f with C3k or Bottleneck(e=0.5) inner blocks), export form: split instead of chunk. */
  c3k2(x: Value, c2: number, n: number, useC3k: boolean, e: number, shortcut = true): Value {
    const c = Math.trunc(c2 * e);
    const y = this.b.scope("cv1", () => this.conv(x, 2 * c, 1));
    const ys = this.b.split(y, [c, c], 1);
    for (let i = 0; i < n; i++) {
      const last = ys[ys.length - 1]!;
      ys.push(this.b.scope(`m.${i}`, () => (useC3k ? this.c3k(last, c, 2, shortcut) : this.bottleneck(last, c, shortcut, [3, 3], 0.5))));
    }
    return this.b.scope("cv2", () => this.conv(this.b.cat(ys, 1), c2, 1));
  }

  sppf(x: Value, c2: number, k = 5): Value {
    const c = x.shape[1]! >> 1;
    const y = [this.b.scope("cv1", () => this.conv(x, c, 1))];
    for (let i = 0; i < 3; i++) y.push(this.b.maxpool2d(y[i]!, { k, stride: 1, pad: k >> 1 }));
    return this.b.scope("cv2", () => this.conv(this.b.cat(y, 1), c2, 1));
  }

  /** Multi-head self-attention over the H·W positions, plus a depthwise positional conv on v. */
  attention(x: Value, dim: number, numHeads: number, attnRatio: number): Value {
    const [B, C, H, W] = x.shape as [number, number, number, number];
    const N = H * W;
    const headDim = dim / numHeads;
    const keyDim = Math.trunc(headDim * attnRatio);
    const scale = keyDim ** -0.5;
    const b = this.b;
    const qkv = b.scope("qkv", () => this.conv(x, dim + 2 * keyDim * numHeads, 1, 1, 1, false));
    const [q, k, v] = b.split(b.view(qkv, [B, numHeads, 2 * keyDim + headDim, N]), [keyDim, keyDim, headDim], 2) as [Value, Value, Value];
    const attn = b.softmax(b.mul(b.matmul(b.transpose(q, -2, -1), k), scale), -1);
    const o = b.view(b.matmul(v, b.transpose(attn, -2, -1)), [B, C, H, W]);
    const pe = b.scope("pe", () => this.conv(b.view(v, [B, C, H, W]), C, 3, 1, C, false));
    return b.scope("proj", () => this.conv(b.add(o, pe), C, 1, 1, 1, false));
  }

  psaBlock(x: Value, c: number): Value {
    const b = this.b;
    const a = b.add(x, b.scope("attn", () => this.attention(x, c, Math.max(1, Math.trunc(c / 64)), 0.5)));
    const f = b.scope("ffn", () => b.scope("1", () => this.conv(b.scope("0", () => this.conv(a, 2 * c, 1)), c, 1, 1, 1, false)));
    return b.add(a, f);
  }

  c2psa(x: Value, c2: number, n: number, e = 0.5): Value {
    const c = Math.trunc(c2 * e);
    const y = this.b.scope("cv1", () => this.conv(x, 2 * c, 1));
    let [a, bb] = this.b.split(y, [c, c], 1) as [Value, Value];
    for (let i = 0; i < n; i++) bb = this.b.scope(`m.${i}`, () => this.psaBlock(bb, c));
    return this.b.scope("cv2", () => this.conv(this.b.cat([a, bb], 1), c2, 1));
  }

  /** Detect (non-legacy, export mode): per-level box/class branches, DFL, anchor decode. */
  detect(feats: Value[], inputHW: [number, number]): Value {
    const b = this.b;
    const B = feats[0]!.shape[0]!;
    const ch0 = feats[0]!.shape[1]!;
    const c2 = Math.max(16, ch0 >> 2, 4 * REG_MAX);
    const c3 = Math.max(ch0, Math.min(NC, 100));
    const levels = feats.map((x, i) => {
      const box = b.scope(`cv2.${i}`, () => {
        const y = b.scope("0", () => this.conv(x, c2, 3));
        const z = b.scope("1", () => this.conv(y, c2, 3));
        return b.scope("2", () => b.conv2d(z, { out: 4 * REG_MAX, k: 1 }));
      });
      const cls = b.scope(`cv3.${i}`, () => {
        const ch = x.shape[1]!;
        let y = b.scope("0.0", () => this.dwconv(x, ch, 3));
        y = b.scope("0.1", () => this.conv(y, c3, 1));
        y = b.scope("1.0", () => this.dwconv(y, c3, 3));
        y = b.scope("1.1", () => this.conv(y, c3, 1));
        return b.scope("2", () => b.conv2d(y, { out: NC, k: 1 }));
      });
      const lv = b.cat([box, cls], 1);
      return b.view(lv, [B, 4 * REG_MAX + NC, -1]);
    });
    const all = b.cat(levels, 2);
    const A = all.shape[2]!;
    const [box, cls] = b.split(all, [4 * REG_MAX, NC], 1) as [Value, Value];

    // DFL: softmax over the 16 bins, then the expected bin index via a frozen 1×1 conv.
    let d = b.permute(b.view(box, [B, 4, REG_MAX, A]), [0, 2, 1, 3]);
    d = b.softmax(d, 1);
    const bins = Float32Array.from({ length: REG_MAX }, (_, i) => i);
    d = b.scope("dfl", () => b.conv2d(d, { out: 1, k: 1, bias: false, weight: bins, name: "conv" }));
    d = b.view(d, [B, 4, A]);

    // make_anchors (offset 0.5) and dist2bbox (xywh), scaled by each anchor's stride.
    const ax: number[] = [], ay: number[] = [], st: number[] = [];
    for (const s of STRIDES) {
      const h = inputHW[0] / s, w = inputHW[1] / s;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { ax.push(x + 0.5); ay.push(y + 0.5); st.push(s); }
    }
    const anchors = b.constant("anchors", [2, A], [...ax, ...ay]);
    const strides = b.constant("strides", [1, A], st);
    const lt = b.slice(d, 1, 0, 2);
    const rb = b.slice(d, 1, 2, 4);
    const x1y1 = b.sub(anchors, lt);
    const x2y2 = b.add(rb, anchors);
    const cxy = b.div(b.add(x1y1, x2y2), 2);
    const wh = b.sub(x2y2, x1y1);
    const dbox = b.mul(b.cat([cxy, wh], 1), strides);
    return b.cat([dbox, b.sigmoid(cls)], 1);
  }
}

export interface Yolo11Info {
  graph: Graph;
  /** Parameters as built, BN folded (reference: 2,616,248). */
  fusedParams: number;
  /** Parameters of the unfused PyTorch module (reference: 2,624,080). */
  unfusedParams: number;
}

export function buildYolo11nWithInfo(opts: LoadOptions = {}, seed = 11): Yolo11Info {
  const shape = resolveInputShapes("yolo11n", DEFAULT_SHAPES, opts.inputShapes)["images"]!;
  const [, c, H, W] = shape as [number, number, number, number];
  if (c !== 3) throw new UserError(`yolo11n: images must have 3 channels, got [${shape}]`);
  if (H % 32 !== 0 || W % 32 !== 0) throw new UserError(`yolo11n: image height and width must be multiples of 32 (the max stride), got ${H}x${W}`);

  // He gain keeps SiLU activations O(1) through the ~60-conv depth; BN folding then rescales per channel.
  const b = new ModelBuilder("yolo11n", seed, { gain: Math.SQRT2 });
  const m = new Yolo11Modules(b);
  const L: Value[] = [];
  const layer = (i: number, fn: () => Value): Value => {
    const v = b.scope(`model.${i}`, fn);
    L[i] = v;
    return v;
  };
  const images = b.input("images", shape);
  // Backbone.
  layer(0, () => m.conv(images, 16, 3, 2));
  layer(1, () => m.conv(L[0]!, 32, 3, 2));
  layer(2, () => m.c3k2(L[1]!, 64, 1, false, 0.25));
  layer(3, () => m.conv(L[2]!, 64, 3, 2));
  layer(4, () => m.c3k2(L[3]!, 128, 1, false, 0.25));
  layer(5, () => m.conv(L[4]!, 128, 3, 2));
  layer(6, () => m.c3k2(L[5]!, 128, 1, true, 0.5));
  layer(7, () => m.conv(L[6]!, 256, 3, 2));
  layer(8, () => m.c3k2(L[7]!, 256, 1, true, 0.5));
  layer(9, () => m.sppf(L[8]!, 256, 5));
  layer(10, () => m.c2psa(L[9]!, 256, 1));
  // Neck (concat order = the yaml's `from` list: running tensor first).
  layer(11, () => b.upsampleNearest2d(L[10]!, { scale: 2 }));
  layer(12, () => b.cat([L[11]!, L[6]!], 1));
  layer(13, () => m.c3k2(L[12]!, 128, 1, false, 0.5));
  layer(14, () => b.upsampleNearest2d(L[13]!, { scale: 2 }));
  layer(15, () => b.cat([L[14]!, L[4]!], 1));
  layer(16, () => m.c3k2(L[15]!, 64, 1, false, 0.5));
  layer(17, () => m.conv(L[16]!, 64, 3, 2));
  layer(18, () => b.cat([L[17]!, L[13]!], 1));
  layer(19, () => m.c3k2(L[18]!, 128, 1, false, 0.5));
  layer(20, () => m.conv(L[19]!, 128, 3, 2));
  layer(21, () => b.cat([L[20]!, L[10]!], 1));
  layer(22, () => m.c3k2(L[21]!, 256, 1, true, 0.5));
  const out = layer(23, () => m.detect([L[16]!, L[19]!, L[22]!], [H, W]));
  b.output(out, "output0");
  return { graph: b.build(), fusedParams: b.paramCount, unfusedParams: b.unfusedParamCount };
}

export function buildYolo11n(opts: LoadOptions = {}, seed = 11): Graph {
  return buildYolo11nWithInfo(opts, seed).graph;
}

export const yolo11n: BuiltinModel = {
  name: "yolo11n",
  description: "Ultralytics YOLO11n (BN folded, DFL + anchor decode → [1,84,A]); seeded weights; H, W multiples of 32",
  defaultInputShapes: DEFAULT_SHAPES,
  load: (opts) => buildYolo11n(opts),
};
