// Rewrites an annotated float graph (in place; quantize.ts hands it a clone)
// into the explicit PT2E-style Q/DQ form the lowering pattern-matches:
//   producer → quantize_per_tensor → dequantize_per_tensor → consumer(s)
// for every int8 activation (one Q and one DQ per produced value), i8/i32
// constants with qparams read through dequantize_per_channel/_per_tensor for
// weights and biases, and no Q/DQ between a pattern's anchor and its tail.
import type { Attrs, Graph, Node, Value } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { makeType } from "../ir/graph.js";
import type { QParams } from "../ir/quant.js";
import { IRError, UserError } from "../ir/errors.js";
import type { Annotation, QGroup } from "./annotate.js";
import { quantizeBias64, quantizeConstActivation16 } from "./scheme16.js";
import {
  quantizeBias, quantizeConstActivation, quantizeWeightPerChannel, quantizeWeightPerTensor, type QuantizedWeight, type WeightRange,
} from "./scheme.js";
import { chooseWeightRange } from "./weight_choice.js";
import { DEQUANTIZE_PER_CHANNEL, DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/quant/quant_ops.js";

export const Q_OP = QUANTIZE_PER_TENSOR.name;
export const DQ_OP = DEQUANTIZE_PER_TENSOR.name;
export const DQC_OP = DEQUANTIZE_PER_CHANNEL.name;

export interface InsertOptions {
  /** Linear weights per output channel instead of per tensor. */
  perChannelLinear?: boolean;
  /**
   * How conv / linear weight scales are chosen: one rule for every layer (see WeightRange), or
   * "measured" (default): per layer, the one of the two with the smaller error (weight_choice.ts).
   */
  weightRange?: WeightRange | "measured";
  /** Float inputs each layer saw during calibration (by activation value), for the "measured" choice. */
  layerInputs?: ReadonlyMap<Value, readonly Tensor[]>;
  /**
   * With the "measured" choice: also try error-feedback rounding of per-channel weights on those inputs
   * (weight_rounding.ts), kept per layer where it lowers the output error. --precision auto turns it on.
   */
  weightRounding?: boolean;
}

function tensorAttrs(q: QParams): Attrs {
  return { scale: q.scale[0]!, zero_point: q.zeroPoint[0]!, quant_min: q.qmin, quant_max: q.qmax, dtype: q.dtype };
}

function channelAttrs(q: QParams): Attrs {
  return { scales: [...q.scale], zero_points: [...q.zeroPoint], axis: q.axis!, quant_min: q.qmin, quant_max: q.qmax, dtype: q.dtype };
}

/** Position just after `v` is defined (start of the schedule for inputs and constants). */
function afterDef(g: Graph, v: Value): Node | undefined {
  if (!v.producer) return g.nodes[0];
  const i = g.nodes.indexOf(v.producer);
  if (i < 0) throw new IRError(`insert_qdq: producer of ${v.name} is not scheduled`);
  return g.nodes[i + 1];
}

/** A quantized constant read through its dequantize node, scheduled before `user`. */
function constThroughDQ(g: Graph, name: string, shape: number[], data: Int8Array | Int16Array | Int32Array | Float64Array, q: QParams, user: Node): Value {
  const c = g.addConst(`${name}_${q.dtype}`, q.dtype, shape, data, q);
  const perTensor = q.scheme === "per_tensor";
  return g.op(perTensor ? DQ_OP : DQC_OP, [c], perTensor ? tensorAttrs(q) : channelAttrs(q), {
    before: user,
    name: `dequantize_${name}`,
    outputTypes: [makeType("f32", shape)],
    outputNames: [`${name}_dq`],
  });
}

/**
 * Insert the Q/DQ structure. Returns, for every int8 activation value of the
 * float graph, the value its readers now see (the dequantize output).
 */
export function insertQDQ(
  g: Graph, ann: Annotation, qparams: Map<QGroup, QParams>, opts: InsertOptions = {}, borders: ReadonlyMap<Value, QParams> = new Map(),
): Map<Value, Value> {
  const paramsOf = (v: Value): QParams => {
    const grp = ann.groupOf.get(v);
    const q = grp && qparams.get(grp);
    if (!q) throw new IRError(`insert_qdq: no parameters for ${v.name}`);
    return q;
  };

  const measured = (opts.weightRange ?? "measured") === "measured";
  // act_or_weight constants (e.g. a matmul's constant operand) have no layer input to measure on: MSE.
  const rule: WeightRange = opts.weightRange === "maxabs" ? "maxabs" : "mse";
  // 1. Record roles and quantize weights/biases of pattern anchors.
  for (const n of [...g.nodes]) {
    const role = ann.roles.get(n);
    if (!role) continue;
    n.meta["qrole"] = role.kind;
    if (role.kind !== "pattern") continue;
    n.meta["qpattern"] = { name: role.pattern.name, tail: role.tailName };
    const transposed = n.attrs["transposed"] === true || n.attrs["transposed"] === 1;
    const groups = typeof n.attrs["groups"] === "number" ? n.attrs["groups"] : 1;
    let wq: QuantizedWeight | null = null;
    role.pattern.inputs.forEach((r, i) => {
      const v = n.inputs[i];
      if (!v || !v.data || v.dtype !== "f32") return;
      const w = v.data as Float32Array;
      let qw: QuantizedWeight | null = null;
      let quant: ((rl: WeightRange) => QuantizedWeight) | null = null;
      if (r === "weight_per_channel") {
        // Output channels: axis 0 (OI…), or axis 1 for transposed weights (IO…); grouped transposed → per tensor.
        quant = (rl) => (transposed && groups > 1 ? quantizeWeightPerTensor(w, rl) : quantizeWeightPerChannel(w, v.shape, transposed ? 1 : 0, rl));
      } else if (r === "weight_linear") {
        quant = (rl) => (opts.perChannelLinear ? quantizeWeightPerChannel(w, v.shape, 0, rl) : quantizeWeightPerTensor(w, rl));
      }
      if (quant && measured) {
        const xIndex = role.pattern.inputs.indexOf("act");
        const x = n.inputs[xIndex];
        const samples = (x && opts.layerInputs?.get(x)) ?? [];
        const c = chooseWeightRange(n, xIndex, i, w, v.shape, { maxabs: quant("maxabs"), mse: quant("mse") }, samples, opts.weightRounding === true);
        qw = c.weight;
        n.meta["qweightRange"] = c.choice;
      } else if (quant) {
        qw = quant(rule);
      } else if (r === "act_or_weight") {
        qw = quantizeWeightPerTensor(w, rule);
      }
      if (!qw) return;
      if (r !== "act_or_weight") wq = qw;
      g.setInput(n, i, constThroughDQ(g, v.name, [...v.shape], qw.data, qw.qparams, n));
    });
    role.pattern.inputs.forEach((r, i) => {
      const b = n.inputs[i];
      if (r !== "bias" || !b || !b.data || b.dtype !== "f32") return;
      if (!wq) throw new IRError(`insert_qdq: ${n.name} has a bias but no quantized weight`);
      const x = n.inputs[role.pattern.inputs.indexOf("act")];
      if (!x) throw new IRError(`insert_qdq: ${n.name} has no activation input`);
      const qx = paramsOf(x);
      const sIn = qx.scale[0]!;
      // 16x8: the s16 kernels take an int64 bias (the int32 one could overflow at the finer input scale).
      const qb = (qx.dtype === "i16" ? quantizeBias64 : quantizeBias)(b.data as Float32Array, sIn, (wq as QuantizedWeight).qparams.scale);
      // Each scale is finite, but finite weights near float32's limit times large activations are not:
      // int32 bias on a scale of Infinity has no meaning, so this float model cannot be quantized.
      const bad = qb.qparams.scale.findIndex((s) => !Number.isFinite(s));
      if (bad >= 0) {
        const sW = (wq as QuantizedWeight).qparams.scale;
        throw new UserError(
          `quantize: node ${n.name}: the bias scale (input scale ${sIn.toPrecision(3)} × weight scale ` +
            `${sW[sW.length === 1 ? 0 : bad]!.toPrecision(3)}) overflows float32; its weights or input values are too large to quantize`,
        );
      }
      g.setInput(n, i, constThroughDQ(g, b.name, [...b.shape], qb.data, qb.qparams, n));
    });
  }

  // 2. Activations: Q → DQ after each producer; constants become int8 constants read through a DQ.
  const seen = new Map<Value, Value>();
  const values = [...ann.groupOf.keys()].sort((a, b) => a.id - b.id);
  for (const v of values) {
    const q = paramsOf(v);
    if (v.data) {
      // Only quantized readers see the int8 copy; float readers keep the exact constant.
      const uses = v.uses.filter((u) => ann.roles.get(u.node)?.kind !== "float");
      if (uses.length === 0) continue;
      const first = g.nodes.find((n) => uses.some((u) => u.node === n))!;
      const dq = constThroughDQ(g, v.name, [...v.shape],
        (q.dtype === "i16" ? quantizeConstActivation16 : quantizeConstActivation)(v.data as Float32Array, q), q, first);
      for (const u of uses) g.setInput(u.node, u.index, dq);
      continue;
    }
    const uses = [...v.uses];
    const before = afterDef(g, v);
    const at = before ? { before } : {};
    // A pattern computing at another precision than its output group's (precision.ts, borderParams)
    // first quantizes at its own: the kernel's output, then the requantize to the group.
    let src = v;
    const b = borders.get(v);
    if (b) {
      const qb = g.op(Q_OP, [v], tensorAttrs(b), {
        ...at,
        name: `quantize_${v.name}_${b.dtype}`,
        outputTypes: [makeType(b.dtype, v.shape, v.type.dimOrder, { ...b, scale: [...b.scale], zeroPoint: [...b.zeroPoint] })],
        outputNames: [`${v.name}_q${b.dtype}`],
      });
      src = g.op(DQ_OP, [qb], tensorAttrs(b), {
        ...at,
        name: `dequantize_${v.name}_${b.dtype}`,
        outputTypes: [makeType("f32", v.shape, v.type.dimOrder)],
        outputNames: [`${v.name}_dq${b.dtype}`],
      });
    }
    const qv = g.op(Q_OP, [src], tensorAttrs(q), {
      ...at,
      name: `quantize_${v.name}`,
      outputTypes: [makeType(q.dtype, v.shape, v.type.dimOrder, { ...q, scale: [...q.scale], zeroPoint: [...q.zeroPoint] })],
      outputNames: [`${v.name}_q`],
    });
    const dq = g.op(DQ_OP, [qv], tensorAttrs(q), {
      ...at,
      name: `dequantize_${v.name}`,
      outputTypes: [makeType("f32", v.shape, v.type.dimOrder)],
      outputNames: [`${v.name}_dq`],
    });
    for (const u of uses) g.setInput(u.node, u.index, dq);
    if (g.outputs.includes(v)) {
      g.outputs = g.outputs.map((o) => (o === v ? dq : o));
      // Graph outputs keep their names (feeds, exports and reports refer to them).
      const name = v.name;
      v.name = g.uniqueName(`${name}_float`);
      dq.name = name;
    }
    seen.set(v, dq);
  }
  // 3. Where an integer-only build's recurrent state group meets another (the LSTM reading h0 on its
  // output's grid, Y_h joined into the state: annotate.ts), the reader takes the value on the other
  // grid: one more quantize → dequantize before it (the lowering makes the pair an integer requantize).
  for (const { node, index, grid } of ann.stateReads ?? []) {
    const v = node.inputs[index];
    if (!v) continue;
    const q = paramsOf(grid);
    const qv = g.op(Q_OP, [v], tensorAttrs(q), {
      before: node,
      name: `quantize_${v.name}_${node.name}`,
      outputTypes: [makeType(q.dtype, v.shape, v.type.dimOrder, { ...q, scale: [...q.scale], zeroPoint: [...q.zeroPoint] })],
      outputNames: [`${v.name}_q${q.dtype}`],
    });
    g.setInput(node, index, g.op(DQ_OP, [qv], tensorAttrs(q), {
      before: node,
      name: `dequantize_${v.name}_${node.name}`,
      outputTypes: [makeType("f32", v.shape, v.type.dimOrder)],
      outputNames: [`${v.name}_dq${q.dtype}`],
    }));
  }
  g.constants = g.constants.filter((c) => c.uses.length > 0 || g.outputs.includes(c));
  return seen;
}
