// Any op without an int8 runtime implementation (aten.log_softmax, aten.lstm,
// float aten.sigmoid, aten.mean, ...) runs its registered float reference
// `eval` on logical-order tensors read from the arena; the results are
// written back in each output's physical order. Views and relayout plans are
// made once; only the op's own eval allocates per run.
import type { Attrs, Node } from "../../ir/graph.js";
import { getOp } from "../../ir/registry.js";
import { shapeEq, type Tensor } from "../../ir/tensor.js";
import { inputIn, type PrepareContext, type Step } from "../context.js";
import { rowMajor, storesRowMajor } from "../../ir/layout.js";
import { planRelayout } from "../moves.js";

/**
 * `evalFn` replaces the registered eval (an optimized float kernel with the same numbers); the
 * input/output plumbing is the same.
 */
export function prepareFloatFallback(node: Node, ctx: PrepareContext,
  evalFn: ((inputs: (Tensor | null)[], attrs: Attrs) => Tensor[]) | undefined = getOp(node.op).eval): Step {
  if (!evalFn) ctx.fail(node, "no int8 runtime implementation and no float reference (eval) for this op");
  const pres: Step[] = [];
  const inputs: (Tensor | null)[] = node.inputs.map((v) => {
    if (!v) return null;
    const inp = inputIn(ctx, v, rowMajor(v.type));
    if (inp.pre) pres.push(inp.pre);
    return { dtype: v.dtype, shape: [...v.shape], data: inp.data };
  });
  const writers = node.outputs.map((o) => {
    const dst = ctx.view(o);
    if (storesRowMajor(o.type)) return (t: Tensor) => dst.set(t.data);
    const move = planRelayout(o.type, rowMajor(o.type));
    return (t: Tensor) => move(t.data, dst);
  });
  const attrs = node.attrs;
  return () => {
    for (const p of pres) p();
    const outs = evalFn!(inputs, attrs);
    if (outs.length !== writers.length) ctx.fail(node, `eval produced ${outs.length} outputs, expected ${writers.length}`);
    for (let i = 0; i < outs.length; i++) {
      const t = outs[i]!;
      const o = node.outputs[i]!;
      if (!shapeEq(t.shape, o.shape)) ctx.fail(node, `eval gave [${t.shape}] for output ${o.name} [${o.shape}]`);
      writers[i]!(t);
    }
  };
}
