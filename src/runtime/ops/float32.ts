// The ops that stay in float run the single-precision kernels of
// kernels/float32 — the twins of the C the emitter calls (clg_float.c) — not
// the catalog's float64 references, so the simulator stores the device's bytes.
// Ops on other dtypes (i64 shape arithmetic left unfolded) keep their eval,
// except the typed ops (eq, logical_not, where, _to_copy, amax), whose C twin
// takes every element type exactly.
import { bindNode, type Binding } from "../../ir/bindings.js";
import type { Attrs, Node } from "../../ir/graph.js";
import type { Tensor } from "../../ir/tensor.js";
import { lstmGatesWasm } from "../../kernels/index.js";
import { allocArray } from "../../ir/dtype.js";
import { numel } from "../../ir/tensor.js";
import { binaryGeometry, broadcastGeometry, matmulGeometry, meanGeometry, softmaxGeometry, windowGeometry } from "../../kernels/float32/geometry.js";
import { amaxTyped, erfF32, geluF32, mapTyped, sumF32, windowF32 } from "../../kernels/float32/float_ops.js";
import { binaryF32, reductionPlan, linearF32, lstmF32, lstmGatesF32, matmulF32, meanF32, softmaxExpTable, softmaxF32, softmaxS8F32, unaryF32, type LstmGatesF32 } from "../../kernels/float32/kernels.js";
import { FLOAT_BINARY_OPS, FLOAT_UNARY_OPS, TYPED_MAP_OPS, typedMapProblem, unaryParams, WINDOW_OPS } from "../../kernels/float32/ops.js";
import { ERF, GELU } from "../../ops/activation/activations.js";
import { DEQUANTIZE_SOFTMAX } from "../../ops/cortex_m/quant.js";
import { LINEAR_OP, MATMUL_OP } from "../../ops/linear/linear.js";
import { AMAX, MEAN, SUM } from "../../ops/reduce/reduce.js";
import { LSTM_OP, lstmDims } from "../../ops/rnn/lstm.js";
import { LOG_SOFTMAX, SOFTMAX } from "../../ops/softmax/softmax.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { prepareFloatFallback } from "./float_fallback.js";

type Eval = (inputs: (Tensor | null)[], attrs: Attrs) => Tensor[];

const t32 = (shape: number[], data: Float32Array): Tensor => ({ dtype: "f32", shape, data });
const need = (inputs: (Tensor | null)[], i: number): Tensor => inputs[i]!;

/** The f32 kernel when every operand is f32, else the catalog eval. */
function f32Only(make: (node: Node, ctx: PrepareContext) => Eval): PrepareFn {
  return (node: Node, ctx: PrepareContext): Step => {
    const all = [...node.inputs, ...node.outputs].every((v) => !v || v.dtype === "f32");
    return all ? prepareFloatFallback(node, ctx, make(node, ctx)) : prepareFloatFallback(node, ctx);
  };
}

const unary = (node: Node): Eval => {
  const kernel = FLOAT_UNARY_OPS[node.op]!.kernel;
  const [p0, p1] = unaryParams(node.op, node.attrs);
  return (inputs) => {
    const x = need(inputs, 0);
    const y = new Float32Array(x.data.length);
    unaryF32(kernel, x.data, y, p0, p1);
    return [t32([...x.shape], y)];
  };
};

const binary = (node: Node): Eval => {
  const kernel = FLOAT_BINARY_OPS[node.op]!;
  const outShape = [...node.output.shape];
  return (inputs) => {
    const [a, b] = [need(inputs, 0), need(inputs, 1)];
    const g = binaryGeometry(a.shape, b.shape, outShape);
    const y = new Float32Array(g.shape.reduce((p, d) => p * d, 1));
    binaryF32(kernel, a.data, g.aStrides, b.data, g.bStrides, y, g.shape);
    return [t32([...outShape], y)];
  };
};

const mean = (node: Node): Eval => {
  const dims = (node.attrs.dims as number[] | undefined) ?? (node.attrs.dim as number[] | undefined) ?? [];
  const outShape = [...node.output.shape];
  return (inputs) => {
    const x = need(inputs, 0);
    const g = meanGeometry(x.shape, dims);
    const y = new Float32Array(outShape.reduce((p, d) => p * d, 1));
    meanF32(x.data, y, g.shape, g.reduce);
    return [t32(outShape, y)];
  };
};

const softmax = (isLog: boolean) => (node: Node): Eval => (inputs) => {
  const x = need(inputs, 0);
  const g = softmaxGeometry(x.shape, node.attrs.dim as number);
  const y = new Float32Array(x.data.length);
  softmaxF32(x.data, y, g.outer, g.len, g.inner, isLog);
  return [t32([...x.shape], y)];
};

/** cortex_m.dequantize_softmax: the exp table is made once per node, as the C has it as constants. */
const dequantizeSoftmax = (node: Node): Eval => {
  const table = softmaxExpTable(node.attrs.scale as number);
  return (inputs) => {
    const x = need(inputs, 0);
    const g = softmaxGeometry(x.shape, node.attrs.dim as number);
    const y = new Float32Array(x.data.length);
    softmaxS8F32(x.data, table, y, g.outer, g.len, g.inner);
    return [t32([...x.shape], y)];
  };
};

const matmul = (node: Node): Eval => {
  const outShape = [...node.output.shape];
  return (inputs) => {
    const [a, b] = [need(inputs, 0), need(inputs, 1)];
    const g = matmulGeometry(a.shape, b.shape);
    const y = new Float32Array(outShape.reduce((p, d) => p * d, 1));
    matmulF32(a.data, b.data, y, g.batch, g.aBStrides, g.bBStrides, g.M, g.K, g.N);
    return [t32(outShape, y)];
  };
};

const linear = (node: Node): Eval => {
  const outShape = [...node.output.shape];
  return (inputs) => {
    const [x, w, b] = [need(inputs, 0), need(inputs, 1), inputs[2] ?? null];
    const [O, K] = w.shape as [number, number];
    const rows = x.data.length / K;
    const y = new Float32Array(rows * O);
    linearF32(x.data, w.data, b?.data ?? null, y, rows, K, O);
    return [t32(outShape, y)];
  };
};

const lstm = (node: Node, ctx: PrepareContext): Eval => {
  const [, W, R, B] = node.inputs;
  const { I, H } = lstmDims(node.inputs.map((v) => (v ? { shape: v.shape } : null)), node.attrs);
  // Constant weights: prepared once, on the WebAssembly kernel (the same numbers: one f32 lane
  // per gate) unless the reference program runs the plain loops.
  const constant = W?.data && R?.data && (!B || B.data);
  const fixed: LstmGatesF32 | null = constant
    ? (!ctx.reference ? lstmGatesWasm(W.data!, R.data!, B?.data ?? null, I, H) : null) ?? lstmGatesF32(W.data!, R.data!, B?.data ?? null, I, H)
    : null;
  return (inputs, attrs) => {
    const { S, N } = lstmDims(inputs, attrs);
    const gates = fixed ?? lstmGatesF32(need(inputs, 1).data, need(inputs, 2).data, inputs[3]?.data ?? null, I, H);
    const r = lstmF32(need(inputs, 0).data, inputs[4]?.data ?? null, inputs[5]?.data ?? null, S, N, I, H, gates);
    return [t32([S, 1, N, H], r.Y), t32([1, N, H], r.Yh), t32([1, N, H], r.Yc)];
  };
};

const gelu = (): Eval => (inputs) => {
  const x = need(inputs, 0);
  const y = new Float32Array(x.data.length);
  geluF32(x.data, y);
  return [t32([...x.shape], y)];
};

const erfOp = (): Eval => (inputs) => {
  const x = need(inputs, 0);
  const y = new Float32Array(x.data.length);
  erfF32(x.data, y);
  return [t32([...x.shape], y)];
};

/** sum over dims: clg_sum_f32 over reductionPlan's groups. */
const sum = (node: Node): Eval => {
  const g = meanGeometry(node.input(0).shape, (node.attrs.dims as number[] | undefined) ?? []);
  const { starts, offsets } = reductionPlan(g.shape, g.reduce);
  const outShape = [...node.output.shape];
  return (inputs) => {
    const y = new Float32Array(numel(outShape));
    sumF32(need(inputs, 0).data, y, starts, offsets);
    return [t32(outShape, y)];
  };
};

/** Convolution (plain or transposed) and pools: clg_window_f32's loop nest. */
const window = (node: Node): Eval => {
  const w = node.inputs[1] ?? null;
  const outShape = [...node.output.shape];
  const { kind, g } = windowGeometry(node.op, node.attrs, node.input(0).shape, w?.shape ?? null, outShape);
  return (inputs) => {
    const y = new Float32Array(numel(outShape));
    windowF32(kind, need(inputs, 0).data, inputs[1]?.data ?? null, inputs[2]?.data ?? null, y, g);
    return [t32(outShape, y)];
  };
};

/** eq, logical_not, where, _to_copy on any element types; the emitter refuses the same nodes. */
const typedMap: PrepareFn = (node, ctx) => {
  const y = node.output;
  const ins = node.inputs.map((v, i) => v ?? ctx.fail(node, `input ${i} is missing`));
  const problem = typedMapProblem(node.op, ins.map((v) => v.dtype), y.dtype);
  if (problem) ctx.fail(node, problem);
  const op = TYPED_MAP_OPS[node.op]!;
  const outShape = [...y.shape];
  const { shape, strides } = broadcastGeometry(outShape, ins.map((v) => v.shape));
  return prepareFloatFallback(node, ctx, (inputs) => {
    const out = allocArray(y.dtype, numel(outShape));
    mapTyped(op, y.dtype, out, inputs.map((t, k) => ({ dtype: t!.dtype, data: t!.data, strides: strides[k]! })), shape);
    return [{ dtype: y.dtype, shape: outShape, data: out }];
  });
};

const amax: PrepareFn = (node, ctx) => {
  const [x, y] = [node.input(0), node.output];
  if (x.dtype !== y.dtype) ctx.fail(node, `takes ${x.dtype} to ${y.dtype}; amax keeps the element type`);
  const g = meanGeometry(x.shape, (node.attrs.dims as number[] | undefined) ?? []);
  const { starts, offsets } = reductionPlan(g.shape, g.reduce);
  const outShape = [...y.shape];
  return prepareFloatFallback(node, ctx, (inputs) => {
    const out = allocArray(y.dtype, numel(outShape));
    amaxTyped(y.dtype, need(inputs, 0).data, out, starts, offsets);
    return [{ dtype: y.dtype, shape: outShape, data: out }];
  });
};

/** The float family's bindings; the table-driven rows (unary, binary, window, typed map) take their op names from kernels/float32's tables, which are keyed by spec. */
export const float32Bindings: readonly Binding<PrepareFn>[] = [
  ...Object.keys(FLOAT_UNARY_OPS).map((op) => bindNode(op, f32Only(unary))),
  ...Object.keys(FLOAT_BINARY_OPS).map((op) => bindNode(op, f32Only(binary))),
  bindNode(MEAN, f32Only(mean)),
  bindNode(SOFTMAX, f32Only(softmax(false))),
  bindNode(LOG_SOFTMAX, f32Only(softmax(true))),
  bindNode(DEQUANTIZE_SOFTMAX, (node: Node, ctx: PrepareContext) => prepareFloatFallback(node, ctx, dequantizeSoftmax(node))),
  bindNode(MATMUL_OP, f32Only(matmul)),
  bindNode(LINEAR_OP, f32Only(linear)),
  bindNode(LSTM_OP, (node: Node, ctx: PrepareContext) => {
    // The C kernel (clg_lstm_f32) takes float only; running integer state here
    // would make the simulator accept a program the emitter refuses.
    for (const v of [...node.inputs, ...node.outputs]) {
      if (v && v.dtype !== "f32") ctx.fail(node, `${v.name} is ${v.dtype}; the LSTM runs in float`);
    }
    return f32Only(lstm)(node, ctx);
  }),
  bindNode(GELU, f32Only(gelu)),
  bindNode(ERF, f32Only(erfOp)),
  bindNode(SUM, f32Only(sum)),
  ...WINDOW_OPS.map((op) => bindNode(op, f32Only(window))),
  ...Object.keys(TYPED_MAP_OPS).map((op) => bindNode(op, typedMap)),
  bindNode(AMAX, amax),
];
