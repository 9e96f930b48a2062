// aten.lstm: the catalog's forward pass (src/ops/rnn/lstm.ts) with the gate
// pre-activations computed by the WebAssembly kernel when the weights are
// constants; the reference program (and engines without SIMD) run the plain
// eval. Both give the same numbers: the kernel keeps each gate's summation order.
import type { Node } from "../../ir/graph.js";
import { lstmGatesWasm } from "../../kernels/index.js";
import { lstmDims, lstmForward } from "../../ops/rnn/lstm.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { prepareFloatFallback } from "./float_fallback.js";

function prepareLstm(node: Node, ctx: PrepareContext): Step {
  // The C kernel (clg_lstm_f32) takes float only; running integer state here
  // would make the simulator accept a program the emitter refuses.
  for (const v of [...node.inputs, ...node.outputs]) {
    if (v && v.dtype !== "f32") ctx.fail(node, `${v.name} is ${v.dtype}; the LSTM runs in float`);
  }
  const [, W, R, B] = node.inputs;
  const constant = W?.data && R?.data && (!B || B.data);
  if (ctx.reference || !constant) return prepareFloatFallback(node, ctx);
  const { I, H } = lstmDims(node.inputs.map((v) => (v ? { shape: v.shape } : null)), node.attrs);
  const gates = lstmGatesWasm(W.data!, R.data!, B?.data ?? null, I, H);
  if (!gates) return prepareFloatFallback(node, ctx);
  return prepareFloatFallback(node, ctx, (inputs, attrs) => lstmForward(inputs, attrs, gates));
}

export const rnnOps: Record<string, PrepareFn> = {
  "aten.lstm": prepareLstm,
};
