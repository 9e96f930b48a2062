// A small nn-style API that writes the IR directly, so built-in models read like
// the layer tables in their papers. Every layer method adds catalog ops
// (src/ops/CATALOG.md) to `graph`; shapes come from the ops' own shape rules.
import "../ops/index.js"; // registers the shape rules addNode calls
import type { DType } from "../ir/dtype.js";
import { UserError } from "../ir/errors.js";
import { Graph, makeType, type Value } from "../ir/graph.js";
import { numel } from "../ir/tensor.js";
import { biasUniform, foldBatchNorm, GAIN_TORCH_DEFAULT, kaimingUniform, randomBatchNorm, type BatchNormParams } from "./init.js";
import { Rng } from "../ir/prng.js";
import { CLAMP, HARDSIGMOID, HARDSWISH, HARDTANH, LEAKY_RELU, RELU, SIGMOID, SILU, TANH } from "../ops/activation/activations.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import { ADD, DIV, MUL, POW, SUB } from "../ops/elementwise/binary.js";
import { EXP, SQRT } from "../ops/elementwise/unary.js";
import { LINEAR_OP, MATMUL_OP } from "../ops/linear/linear.js";
import { AVG_POOL2D, MAX_POOL2D } from "../ops/pool/pools.js";
import { MEAN } from "../ops/reduce/reduce.js";
import { UPSAMPLE_NEAREST2D } from "../ops/resize/upsample.js";
import { CAT_OP, SPLIT_OP } from "../ops/shape/concat.js";
import { PAD_OP } from "../ops/shape/pad.js";
import { PERMUTE_COPY } from "../ops/shape/permute.js";
import { CLONE_OP, VIEW_COPY } from "../ops/shape/reshape.js";
import { SLICE_OP } from "../ops/shape/slice.js";
import { LOG_SOFTMAX, SOFTMAX } from "../ops/softmax/softmax.js";
import { LSTM_OP } from "../ops/rnn/lstm.js";
import type { OpDef } from "../ir/registry.js";

/** Every op the builder's methods produce (node() refuses any other; the op-reachability test reads this). */
export const BUILDER_OPS: readonly OpDef[] = [
  CLAMP, HARDSIGMOID, HARDSWISH, HARDTANH, LEAKY_RELU, RELU, SIGMOID, SILU, TANH, CONVOLUTION, ADD, DIV, MUL, POW, SUB,
  EXP, SQRT, LINEAR_OP, MATMUL_OP, AVG_POOL2D, MAX_POOL2D, MEAN, UPSAMPLE_NEAREST2D, CAT_OP, SPLIT_OP, PAD_OP,
  PERMUTE_COPY, CLONE_OP, VIEW_COPY, SLICE_OP, LOG_SOFTMAX, SOFTMAX, LSTM_OP,
];
const BUILDER_OP_NAMES: ReadonlySet<string> = new Set(BUILDER_OPS.map((d) => d.name));

/** `op`, after checking BUILDER_OPS lists it (a builder bug otherwise, not a user error). */
function declared(op: string): string {
  if (!BUILDER_OP_NAMES.has(op)) throw new Error(`builder: ${op} is not in BUILDER_OPS`);
  return op;
}

/** A tensor operand: a graph value, or a plain number that becomes a rank-0 constant. */
export type Operand = Value | number;

type IntOrList = number | number[];

export interface ConvOptions {
  out: number;
  k: IntOrList;
  stride?: IntOrList;
  /** Symmetric padding per spatial dim (PyTorch `padding`). */
  pad?: IntOrList;
  /** End padding when it differs from `pad` (asymmetric, e.g. TF "same"). */
  padEnd?: IntOrList;
  dilation?: IntOrList;
  groups?: number;
  /** Conv bias (default true; false for convs followed by BatchNorm, as in YOLO). */
  bias?: boolean;
  /**
   * Fold a BatchNorm into the weight and bias at build time: trained parameters and running
   * statistics (BatchNormParams), or `true` / `{ eps }` for seeded ones (test models only).
   */
  bn?: boolean | { eps: number } | BatchNormParams;
  /** Kaiming-uniform gain for the weight (default: the builder's `gain`). */
  gain?: number;
  /** Explicit weight (OIK / OIHW, row-major) instead of seeded values, e.g. a DFT basis. */
  weight?: Float32Array;
  /** Explicit bias values. */
  biasValues?: Float32Array;
  name?: string;
}

export interface LinearOptions {
  out: number;
  bias?: boolean;
  /** Trained weight, [out, in] row-major (PyTorch's nn.Linear.weight), instead of seeded values. */
  weight?: Float32Array;
  /** Trained bias, [out]. */
  biasValues?: Float32Array;
  gain?: number;
  /** Uniform bound for weight and bias instead of Kaiming (nn.LSTMCell uses 1/√hidden). */
  bound?: number;
  name?: string;
}

export interface LstmCellOptions {
  hidden: number;
  name?: string;
  /** Trained nn.LSTMCell parameters (gate order i, f, g, o). */
  weightIh?: Float32Array;
  weightHh?: Float32Array;
  biasIh?: Float32Array;
  biasHh?: Float32Array;
}

export interface LstmOptions {
  hidden: number;
  name?: string;
  /** ONNX LSTM parameters (gate order i, o, f, c): W [1,4H,in], R [1,4H,H], B [1,8H] (= [Wb | Rb]); uniform(±1/√hidden) when absent. */
  w?: Float32Array;
  r?: Float32Array;
  b?: Float32Array;
}

export interface PoolOptions {
  k: IntOrList;
  stride?: IntOrList;
  pad?: IntOrList;
  dilation?: IntOrList;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

export interface BuilderOptions {
  /** Default Kaiming gain for conv/linear weights (default √(1/3), PyTorch's layer default). */
  gain?: number;
  /** Scale of seeded biases relative to 1/√fan_in (default 1, PyTorch's default). */
  biasScale?: number;
}

function listOf(v: IntOrList | undefined, n: number, dflt: number): number[] {
  if (v === undefined) return new Array<number>(n).fill(dflt);
  if (typeof v === "number") return new Array<number>(n).fill(v);
  if (v.length !== n) throw new UserError(`builder: expected ${n} values, got [${v}]`);
  return [...v];
}

export class ModelBuilder {
  readonly graph: Graph;
  readonly rng: Rng;
  gain: number;
  biasScale: number;
  /** Parameters as built (BN folded): conv/linear weights and biases. */
  paramCount = 0;
  /** Parameters the unfused PyTorch module would have (BN γ and β counted, no folded bias). */
  unfusedParamCount = 0;
  private scopes: string[] = [];

  constructor(name: string, seed: number, opts: BuilderOptions = {}) {
    this.graph = new Graph(name);
    this.rng = new Rng(seed);
    this.gain = opts.gain ?? GAIN_TORCH_DEFAULT;
    this.biasScale = opts.biasScale ?? 1;
  }

  // ---- naming -------------------------------------------------------------

  /** Run `fn` with `name` appended to the naming scope (e.g. "model.2.cv1"). */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private qualify(name: string): string {
    return [...this.scopes, name].join(".");
  }

  // ---- graph boundary and constants --------------------------------------

  input(name: string, shape: number[], dtype: DType = "f32"): Value {
    if (shape.some((d) => !Number.isInteger(d) || d <= 0)) throw new UserError(`input ${name}: invalid shape [${shape}]`);
    const v = this.graph.addInput(name, makeType(dtype, shape));
    if (v.name !== name) throw new UserError(`input name ${name} is used twice`);
    return v;
  }

  /** Mark `v` as a graph output, renamed to `name` when given. */
  output(v: Value, name?: string): Value {
    let out = v;
    if (this.graph.inputs.includes(v) || v.isConst() || this.graph.outputs.includes(v)) {
      const opts = name === undefined ? {} : { name: `${name}_identity`, outputNames: [name] };
      out = this.graph.op(declared(CLONE_OP.name), [v], {}, opts);
    }
    if (name !== undefined && out.name !== name) out.name = this.graph.uniqueName(name);
    this.graph.outputs.push(out);
    return out;
  }

  /** A trainable parameter (counted in paramCount). */
  param(name: string, shape: number[], data: Float32Array): Value {
    this.paramCount += data.length;
    this.unfusedParamCount += data.length;
    return this.graph.addConst(this.qualify(name), "f32", shape, data);
  }

  /** A constant that is not a parameter (anchors, fixed bases...). */
  constant(name: string, shape: number[], data: ArrayLike<number>, dtype: DType = "f32"): Value {
    const arr = dtype === "i64" ? Float64Array.from(data) : dtype === "f32" ? Float32Array.from(data) : undefined;
    if (!arr) throw new UserError(`builder: constant ${name}: dtype ${dtype} not supported`);
    return this.graph.addConst(this.qualify(name), dtype, shape, arr);
  }

  private operand(x: Operand): Value {
    return typeof x === "number" ? this.graph.addConst("scalar", "f32", [], Float32Array.of(x)) : x;
  }

  private node(op: string, inputs: (Value | null)[], attrs: Record<string, unknown> = {}, name?: string): Value {
    return this.graph.op(declared(op), inputs, attrs as never, { name: this.qualify(name ?? op.split(".").pop()!) });
  }

  private dim(x: Value, d: number): number {
    const r = x.rank;
    const n = d < 0 ? d + r : d;
    if (n < 0 || n >= r) throw new UserError(`builder: dim ${d} out of range for rank ${r}`);
    return n;
  }

  // ---- convolution and linear ---------------------------------------------

  conv1d(x: Value, o: ConvOptions): Value {
    return this.conv(x, o, 1);
  }

  conv2d(x: Value, o: ConvOptions): Value {
    return this.conv(x, o, 2);
  }

  /** Depthwise conv: groups = in channels = out channels (unless `out` says a multiplier). */
  depthwise2d(x: Value, o: Omit<ConvOptions, "groups" | "out"> & { out?: number }): Value {
    const c = x.shape[1]!;
    return this.conv(x, { ...o, out: o.out ?? c, groups: c }, 2);
  }

  depthwise1d(x: Value, o: Omit<ConvOptions, "groups" | "out"> & { out?: number }): Value {
    const c = x.shape[1]!;
    return this.conv(x, { ...o, out: o.out ?? c, groups: c }, 1);
  }

  private conv(x: Value, o: ConvOptions, nd: number): Value {
    if (x.rank !== nd + 2) throw new UserError(`builder: conv${nd}d input ${x.name} has rank ${x.rank}, expected ${nd + 2}`);
    const cin = x.shape[1]!;
    const groups = o.groups ?? 1;
    if (cin % groups !== 0 || o.out % groups !== 0) throw new UserError(`builder: conv channels ${cin}->${o.out} not divisible by groups ${groups}`);
    const k = listOf(o.k, nd, 1);
    const pad = listOf(o.pad, nd, 0);
    const padEnd = o.padEnd === undefined ? pad : listOf(o.padEnd, nd, 0);
    const wShape = [o.out, cin / groups, ...k];
    const fanIn = numel(wShape.slice(1));
    const useBias = o.bias ?? true;
    const name = o.name ?? "conv";
    let w = o.weight ?? kaimingUniform(this.rng, numel(wShape), fanIn, o.gain ?? this.gain);
    if (w.length !== numel(wShape)) throw new UserError(`builder: ${name} weight has ${w.length} values, shape [${wShape}] needs ${numel(wShape)}`);
    if (o.biasValues && !useBias) throw new UserError(`builder: ${name} has biasValues and bias: false`);
    let b: Float32Array | null = useBias ? (o.biasValues ?? biasUniform(this.rng, o.out, fanIn, this.biasScale)) : null;
    if (b && b.length !== o.out) throw new UserError(`builder: ${name} bias has ${b.length} values, expected ${o.out}`);
    if (o.bn) {
      const bn = typeof o.bn === "object" && "gamma" in o.bn ? o.bn : randomBatchNorm(this.rng, o.out, typeof o.bn === "object" ? o.bn.eps : 1e-5);
      // Seeded statistics folded into trained weights would silently change the model.
      if (o.weight && !(typeof o.bn === "object" && "gamma" in o.bn)) throw new UserError(`builder: ${name} has a trained weight; give bn its trained parameters (gamma, beta, mean, variance, eps)`);
      for (const k of ["gamma", "beta", "mean", "variance"] as const) {
        if (bn[k].length !== o.out) throw new UserError(`builder: ${name} bn.${k} has ${bn[k].length} values, expected ${o.out}`);
      }
      const folded = foldBatchNorm(w, b, o.out, bn);
      w = folded.weight;
      b = folded.bias;
      // The unfused module has γ and β per channel but no bias when the conv had none.
      this.unfusedParamCount += 2 * o.out - (useBias ? 0 : o.out);
    }
    const wv = this.param(`${name}.weight`, wShape, w);
    const bv = b ? this.param(`${name}.bias`, [o.out], b) : null;
    return this.node(CONVOLUTION.name, [x, wv, bv], {
      stride: listOf(o.stride, nd, 1),
      padding: pad,
      padding_end: padEnd,
      dilation: listOf(o.dilation, nd, 1),
      groups,
      transposed: false,
      output_padding: new Array<number>(nd).fill(0),
    }, name);
  }

  linear(x: Value, o: LinearOptions): Value {
    const inF = x.shape[x.rank - 1]!;
    const name = o.name ?? "linear";
    const n = o.out * inF;
    const w = o.weight ?? (o.bound !== undefined ? this.rng.uniformArray(n, -o.bound, o.bound) : kaimingUniform(this.rng, n, inF, o.gain ?? this.gain));
    if (w.length !== n) throw new UserError(`builder: ${name} weight has ${w.length} values, shape [${o.out},${inF}] needs ${n}`);
    const wv = this.param(`${name}.weight`, [o.out, inF], w);
    let bv: Value | null = null;
    if (o.biasValues && o.bias === false) throw new UserError(`builder: ${name} has biasValues and bias: false`);
    if (o.bias ?? true) {
      const b = o.biasValues ?? (o.bound !== undefined ? this.rng.uniformArray(o.out, -o.bound, o.bound) : biasUniform(this.rng, o.out, inF, this.biasScale));
      if (b.length !== o.out) throw new UserError(`builder: ${name} bias has ${b.length} values, expected ${o.out}`);
      bv = this.param(`${name}.bias`, [o.out], b);
    }
    return this.node(LINEAR_OP.name, [x, wv, bv], {}, name);
  }

  matmul(a: Value, b: Value): Value {
    return this.node(MATMUL_OP.name, [a, b]);
  }

  // ---- activations ----------------------------------------------------------

  relu(x: Value): Value { return this.node(RELU.name, [x]); }
  silu(x: Value): Value { return this.node(SILU.name, [x]); }
  sigmoid(x: Value): Value { return this.node(SIGMOID.name, [x]); }
  tanh(x: Value): Value { return this.node(TANH.name, [x]); }
  hardsigmoid(x: Value): Value { return this.node(HARDSIGMOID.name, [x]); }
  hardswish(x: Value): Value { return this.node(HARDSWISH.name, [x]); }
  sqrt(x: Value): Value { return this.node(SQRT.name, [x]); }
  exp(x: Value): Value { return this.node(EXP.name, [x]); }
  hardtanh(x: Value, min = -1, max = 1): Value { return this.node(HARDTANH.name, [x], { min_val: min, max_val: max }); }
  relu6(x: Value): Value { return this.hardtanh(x, 0, 6); }
  clamp(x: Value, min: number | null, max: number | null): Value { return this.node(CLAMP.name, [x], { min, max }); }
  leakyRelu(x: Value, slope = 0.01): Value { return this.node(LEAKY_RELU.name, [x], { negative_slope: slope }); }

  softmax(x: Value, dim: number): Value { return this.node(SOFTMAX.name, [x], { dim: this.dim(x, dim) }); }
  logSoftmax(x: Value, dim: number): Value { return this.node(LOG_SOFTMAX.name, [x], { dim: this.dim(x, dim) }); }

  // ---- arithmetic -------------------------------------------------------------

  add(a: Value, b: Operand): Value { return this.node(ADD.name, [a, this.operand(b)]); }
  sub(a: Value, b: Operand): Value { return this.node(SUB.name, [a, this.operand(b)]); }
  mul(a: Value, b: Operand): Value { return this.node(MUL.name, [a, this.operand(b)]); }
  div(a: Value, b: Operand): Value { return this.node(DIV.name, [a, this.operand(b)]); }
  pow(a: Value, b: Operand): Value { return this.node(POW.name, [a, this.operand(b)]); }

  // ---- shape and layout --------------------------------------------------------

  /** Reshape; one entry may be −1 (inferred). */
  view(x: Value, shape: number[]): Value {
    const known = shape.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
    const holes = shape.filter((d) => d === -1).length;
    if (holes > 1 || (holes === 1 && x.numel % known !== 0) || (holes === 0 && known !== x.numel)) {
      throw new UserError(`builder: cannot view [${x.shape}] as [${shape}]`);
    }
    const size = shape.map((d) => (d === -1 ? x.numel / known : d));
    return this.node(VIEW_COPY.name, [x], { size }, "view");
  }

  unsqueeze(x: Value, dim: number): Value {
    const d = dim < 0 ? dim + x.rank + 1 : dim;
    const s = [...x.shape];
    s.splice(d, 0, 1);
    return this.view(x, s);
  }

  squeeze(x: Value, dim: number): Value {
    const d = this.dim(x, dim);
    if (x.shape[d] !== 1) throw new UserError(`builder: squeeze dim ${dim} of [${x.shape}] is not 1`);
    return this.view(x, x.shape.filter((_, i) => i !== d));
  }

  flatten(x: Value, startDim = 1): Value {
    const s = this.dim(x, startDim);
    return this.view(x, [...x.shape.slice(0, s), -1]);
  }

  permute(x: Value, dims: number[]): Value {
    return this.node(PERMUTE_COPY.name, [x], { dims: dims.map((d) => this.dim(x, d)) }, "permute");
  }

  /** Swap two dims (torch.transpose). */
  transpose(x: Value, a: number, b: number): Value {
    const p = x.shape.map((_, i) => i);
    const da = this.dim(x, a), db = this.dim(x, b);
    [p[da], p[db]] = [p[db]!, p[da]!];
    return this.permute(x, p);
  }

  cat(xs: Value[], dim: number): Value {
    return this.node(CAT_OP.name, xs, { dim: this.dim(xs[0]!, dim) });
  }

  /** torch.stack: unsqueeze each at `dim`, then cat. */
  stack(xs: Value[], dim: number): Value {
    return this.cat(xs.map((x) => this.unsqueeze(x, dim)), dim);
  }

  split(x: Value, sizes: number[], dim: number): Value[] {
    const d = this.dim(x, dim);
    return [...this.graph.addNode(declared(SPLIT_OP.name), [x], { split_sizes: sizes, dim: d }, { name: this.qualify("split") }).outputs];
  }

  /** torch.chunk into n equal pieces. */
  chunk(x: Value, n: number, dim: number): Value[] {
    const size = x.shape[this.dim(x, dim)]!;
    if (size % n !== 0) throw new UserError(`builder: cannot chunk ${size} into ${n} equal pieces`);
    return this.split(x, new Array<number>(n).fill(size / n), dim);
  }

  slice(x: Value, dim: number, start: number, end: number, step = 1): Value {
    const d = this.dim(x, dim);
    const size = x.shape[d]!;
    const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
    return this.node(SLICE_OP.name, [x], { dim: d, start: clamp(start), end: clamp(end), step }, "slice");
  }

  /** x[..., i, ...] along `dim` (torch.select): slice + view. */
  select(x: Value, dim: number, index: number): Value {
    const d = this.dim(x, dim);
    return this.squeeze(this.slice(x, d, index, index + 1), d);
  }

  /**
   * Pad with PyTorch's F.pad order (last dim first: [left, right, top, bottom, ...]);
   * the op itself stores ONNX order (all begins, then all ends).
   */
  pad(x: Value, torchPads: number[], mode: "constant" | "reflect" = "constant", value = 0): Value {
    if (torchPads.length % 2 !== 0 || torchPads.length / 2 > x.rank) throw new UserError(`builder: bad pad list [${torchPads}]`);
    const begin = new Array<number>(x.rank).fill(0);
    const end = new Array<number>(x.rank).fill(0);
    for (let i = 0; i < torchPads.length / 2; i++) {
      begin[x.rank - 1 - i] = torchPads[2 * i]!;
      end[x.rank - 1 - i] = torchPads[2 * i + 1]!;
    }
    return this.node(PAD_OP.name, [x], { pads: [...begin, ...end], mode, value });
  }

  // ---- pooling, reduction, resize ----------------------------------------------

  maxpool2d(x: Value, o: PoolOptions): Value {
    const k = listOf(o.k, 2, 1);
    return this.node(MAX_POOL2D.name, [x], {
      kernel_size: k,
      stride: listOf(o.stride, 2, 0).map((s, i) => s || k[i]!),
      padding: listOf(o.pad, 2, 0),
      dilation: listOf(o.dilation, 2, 1),
      ceil_mode: o.ceilMode ?? false,
    }, "maxpool");
  }

  avgpool2d(x: Value, o: PoolOptions): Value {
    const k = listOf(o.k, 2, 1);
    return this.node(AVG_POOL2D.name, [x], {
      kernel_size: k,
      stride: listOf(o.stride, 2, 0).map((s, i) => s || k[i]!),
      padding: listOf(o.pad, 2, 0),
      ceil_mode: o.ceilMode ?? false,
      count_include_pad: o.countIncludePad ?? true,
    }, "avgpool");
  }

  mean(x: Value, dims: number[], keepdim = false): Value {
    return this.node(MEAN.name, [x], { dims: dims.map((d) => this.dim(x, d)), keepdim });
  }

  /** nn.Upsample(mode="nearest") by an integer scale, or to an explicit [H, W]. */
  upsampleNearest2d(x: Value, o: { scale?: number; size?: [number, number] }): Value {
    const size = o.size ?? [x.shape[2]! * (o.scale ?? 1), x.shape[3]! * (o.scale ?? 1)];
    return this.node(UPSAMPLE_NEAREST2D.name, [x], { output_size: size }, "upsample");
  }

  // ---- recurrent ------------------------------------------------------------------

  /**
   * One step of nn.LSTMCell, decomposed: gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, chunked in
   * PyTorch's order i, f, g, o; c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c').
   * Trained weights are nn.LSTMCell's weight_ih [4H, in], weight_hh [4H, H], bias_ih and bias_hh [4H];
   * those not given are uniform(±1/√hidden) like PyTorch's initialisation.
   */
  lstmCell(x: Value, h: Value, c: Value, o: LstmCellOptions): { h: Value; c: Value } {
    const H = o.hidden;
    const bound = 1 / Math.sqrt(H);
    const given = (w?: Float32Array, b?: Float32Array): Partial<LinearOptions> => ({ ...(w ? { weight: w } : {}), ...(b ? { biasValues: b } : {}) });
    return this.scope(o.name ?? "lstm_cell", () => {
      const gx = this.linear(x, { out: 4 * H, bound, name: "ih", ...given(o.weightIh, o.biasIh) });
      const gh = this.linear(h, { out: 4 * H, bound, name: "hh", ...given(o.weightHh, o.biasHh) });
      const gates = this.add(gx, gh);
      const [gi, gf, gg, go] = this.split(gates, [H, H, H, H], -1) as [Value, Value, Value, Value];
      const i = this.sigmoid(gi);
      const f = this.sigmoid(gf);
      const g = this.tanh(gg);
      const og = this.sigmoid(go);
      const c2 = this.add(this.mul(f, c), this.mul(i, g));
      const h2 = this.mul(og, this.tanh(c2));
      return { h: h2, c: c2 };
    });
  }

  /**
   * One-direction ONNX LSTM over x [seq, batch, in] (aten.lstm) from the state h0, c0 [1, batch, H]:
   * y [seq, 1, batch, H], and the last hidden and cell states h, c [1, batch, H] to carry into the next call.
   */
  lstm(x: Value, h0: Value | null, c0: Value | null, o: LstmOptions): { y: Value; h: Value; c: Value } {
    const H = o.hidden;
    const I = x.shape[2]!;
    const bound = 1 / Math.sqrt(H);
    return this.scope(o.name ?? "lstm", () => {
      const w = this.param("W", [1, 4 * H, I], o.w ?? this.rng.uniformArray(4 * H * I, -bound, bound));
      const r = this.param("R", [1, 4 * H, H], o.r ?? this.rng.uniformArray(4 * H * H, -bound, bound));
      const b = this.param("B", [1, 8 * H], o.b ?? this.rng.uniformArray(8 * H, -bound, bound));
      const n = this.graph.addNode(declared(LSTM_OP.name), [x, w, r, b, h0, c0], { hidden_size: H }, { name: this.qualify("lstm") });
      const [y, h, c] = n.outputs as [Value, Value, Value];
      return { y, h, c };
    });
  }

  /** The finished graph. */
  build(): Graph {
    if (this.graph.outputs.length === 0) throw new UserError(`model ${this.graph.name} has no outputs`);
    return this.graph;
  }
}
