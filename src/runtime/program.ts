// The int8 program executor (TFLM style): createProgram "prepares" once —
// walks the planned schedule and binds one step closure per node to
// typed-array views of a single arena (offsets from the memory plan) and to
// constant data — and run() only "evals": feeds in, steps, outputs out.
import "../ops/index.js";
import { UserError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { fmtShape, shapeEq, type Tensor } from "../ir/tensor.js";
import type { MemoryPlan } from "../plan/graph_plan.js";
import { makeContext, type Step } from "./context.js";
import { rowMajor, storesRowMajor } from "../ir/layout.js";
import { planRelayout } from "./moves.js";
import { prepareFloatFallback, RUNTIME_OPS } from "./ops/index.js";

export interface ProgramOptions {
  /** Use the plain reference kernels (the optimized kernels' twins). */
  reference?: boolean;
}

export interface ProgramStep {
  node: Node;
  run: Step;
}

export interface Program {
  readonly graph: Graph;
  readonly plan: MemoryPlan;
  /** The one activation arena (plan.arenaBytes). */
  readonly arena: ArrayBuffer;
  /** Scheduled work; nodes that need none (scratch, aliased views) have no step. */
  readonly steps: readonly ProgramStep[];
  /** Feeds (logical f32 tensors by input name) in, outputs (logical, by output name) out. */
  run(feeds: Record<string, Tensor>): Record<string, Tensor>;
  /** Write feeds into the arena (physical order). */
  setInputs(feeds: Record<string, Tensor>): void;
  /** Run the steps on whatever the arena holds. */
  runRaw(): void;
  /** Copy the outputs out of the arena, in logical order. */
  getOutputs(): Record<string, Tensor>;
  /** Like runRaw, adding each step's wall time (ms) to `times` keyed by node name. */
  runProfiled(times: Map<Node, number>): void;
}

interface Port {
  value: Value;
  /** Copy between a logical row-major array and the arena view. */
  move(logical: Tensor["data"]): void;
}

export function createProgram(g: Graph, plan: MemoryPlan, opts: ProgramOptions = {}): Program {
  const arena = new ArrayBuffer(Math.max(16, plan.arenaBytes));
  const ctx = makeContext(arena, plan, opts.reference === true);
  const steps: ProgramStep[] = [];
  for (const node of plan.order) {
    const prepare = RUNTIME_OPS.get(node.op) ?? prepareFloatFallback;
    const run = prepare(node, ctx);
    if (run) steps.push({ node, run });
  }
  const runs = steps.map((s) => s.run);

  const inputs: Port[] = g.inputs.map((v) => {
    const view = ctx.view(v);
    if (storesRowMajor(v.type)) return { value: v, move: (src) => view.set(src) };
    const r = planRelayout(v.type, rowMajor(v.type));
    return { value: v, move: (src) => r(src, view) };
  });
  const outputs: Port[] = g.outputs.map((v) => {
    const view = ctx.view(v);
    if (v.isConst() || storesRowMajor(v.type)) return { value: v, move: (dst) => dst.set(view) };
    const r = planRelayout(rowMajor(v.type), v.type);
    return { value: v, move: (dst) => r(view, dst) };
  });

  const setInputs = (feeds: Record<string, Tensor>): void => {
    for (const k of Object.keys(feeds)) {
      if (!g.inputs.some((v) => v.name === k)) {
        throw new UserError(`unknown input ${k}: the program's inputs are ${g.inputs.map((v) => v.name).join(", ") || "(none)"}`);
      }
    }
    for (const p of inputs) {
      const v = p.value;
      const t = feeds[v.name];
      if (!t) throw new UserError(`missing input ${v.name}: expected ${v.dtype}${fmtShape(v.shape)}`);
      if (!shapeEq(t.shape, v.shape) || t.data.length !== v.numel) {
        throw new UserError(`input ${v.name}: got ${t.dtype}${fmtShape(t.shape)}, expected ${v.dtype}${fmtShape(v.shape)}`);
      }
      if (t.dtype !== v.dtype && (t.dtype === "bool" || v.dtype === "bool")) {
        throw new UserError(`input ${v.name}: got ${t.dtype}, expected ${v.dtype}`);
      }
      p.move(t.data);
    }
  };
  const runRaw = (): void => {
    for (let i = 0; i < runs.length; i++) runs[i]!();
  };
  const getOutputs = (): Record<string, Tensor> => {
    const out: Record<string, Tensor> = {};
    for (const p of outputs) {
      const v = p.value;
      const data = ctx.temp(v.type);
      p.move(data);
      out[v.name] = { dtype: v.dtype, shape: [...v.shape], data };
    }
    return out;
  };
  return {
    graph: g,
    plan,
    arena,
    steps,
    run(feeds) {
      setInputs(feeds);
      runRaw();
      return getOutputs();
    },
    setInputs,
    runRaw,
    getOutputs,
    runProfiled(times) {
      for (const s of steps) {
        const t0 = performance.now();
        s.run();
        times.set(s.node, (times.get(s.node) ?? 0) + performance.now() - t0);
      }
    },
  };
}
