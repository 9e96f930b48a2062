// Pre-quantized models (QDQ ONNX: the importer turned their QuantizeLinear /
// DequantizeLinear into our Q/DQ ops, src/import/onnx/converters/qdq.ts)
// arrive already in the form insert_qdq.ts writes. Nothing is observed: the
// model's own scales are the program's, and this step only checks that every
// quantized layer is complete and reports it.
//
// Rules (documented in the README, "Pre-quantized (QDQ) models"):
// - a layer with a quant pattern (conv, linear, add, …) that reads any
//   dequantized input is a quantized layer: each activation input must come
//   from a DequantizeLinear and its output (after an optional activation
//   tail) must go to a QuantizeLinear, else the model is refused with one line
//   naming the layer and the value without Q/DQ (we do not calibrate a part of
//   a pre-quantized model: its author chose where int8 ends);
// - a layer with no dequantized input stays float, as onnxruntime runs it;
// - weights must be symmetric (zero point 0: CMSIS-NN has no filter offset for
//   convolutions); a bias whose scale is not s_in·s_w (what the int8 kernels
//   assume) is requantized onto s_in·s_w.
import type { Graph, Node, Value } from "../ir/graph.js";
import { UserError } from "../ir/errors.js";
import { verifyGraph } from "../ir/verify.js";
import { dequantizeValue } from "../ops/quant/rounding.js";
import type { Annotation } from "./annotate.js";
import { cloneGraph } from "./clone.js";
import { DQC_OP, DQ_OP, Q_OP } from "./insert_qdq.js";
import { localName } from "../ir/registry.js";
import { allPatterns, findPattern, tailRoleOf, type PatternDef } from "./patterns.js";
import type { LayerReport, QuantizeResult } from "./quantize.js";
import { quantizeBias } from "./scheme.js";

/** Where a pre-quantized model's parameters came from (the report's "calibration" line). */
export const IMPORTED_QPARAMS = "none: the model's own QuantizeLinear/DequantizeLinear parameters";

/** The graph already holds quantize nodes on activations: it was quantized by its author. */
export function isPreQuantized(g: Graph): boolean {
  return g.nodes.some((n) => n.op === Q_OP && !n.input(0).isConst());
}

const isDQ = (n: Node | null | undefined): boolean => !!n && (n.op === DQ_OP || n.op === DQC_OP);

/** Per-element scales of a DQ node (per tensor: one scale repeated `c` times). */
function scalesOf(dq: Node, c: number): number[] {
  return dq.op === DQC_OP ? (dq.attrs.scales as number[]) : new Array<number>(c).fill(dq.attrs.scale as number);
}

function zeroPointsOf(dq: Node): number[] {
  return dq.op === DQC_OP ? ((dq.attrs.zero_points as number[] | undefined) ?? []) : [(dq.attrs.zero_point as number | undefined) ?? 0];
}

/** The sole quantize reading `v`, or null. */
function quantizeAfter(g: Graph, v: Value): Node | null {
  const users = v.users();
  return !g.outputs.includes(v) && users.length === 1 && users[0]!.op === Q_OP ? users[0]! : null;
}

/**
 * The quant pattern of `n`'s op. Pattern conditions look for float constant
 * weights, which a QDQ model reads through dequantize nodes instead; the
 * roles (activation, weight, bias) and tails are the op's either way.
 */
function patternOf(n: Node): PatternDef | undefined {
  return findPattern(n) ?? allPatterns().find((e) => e.op === n.op)?.pattern;
}

/** Adopt a pre-quantized graph (not modified) as the quantized stage. */
export function adoptQuantized(g: Graph): QuantizeResult {
  // The importer reads int16 Q/DQ (the float interpreter runs them); the int8 lowering has no int16
  // borders yet (issue 13), so say so here instead of failing inside the lowering.
  const wide = g.nodes.find((n) => n.op === Q_OP && n.attrs.dtype !== "i8");
  if (wide) throw new UserError(`pre-quantized model: node ${wide.name} quantizes to ${wide.attrs.dtype}; only int8/uint8 activations compile (int16 QDQ models import and run in float)`);
  const qg = cloneGraph(g).graph;
  const layers: LayerReport[] = [];
  for (const n of [...qg.nodes]) {
    if (n.op === Q_OP || isDQ(n)) continue;
    const p = patternOf(n);
    if (!p || n.outputs.length !== 1) continue;
    if (!n.inputs.some((v) => isDQ(v?.producer))) continue; // a float layer, as the model's author left it
    const where = `pre-quantized model: node ${n.name} (${n.op})`;
    p.inputs.forEach((role, i) => {
      const v = n.inputs[i];
      if (!v) return;
      const viaDQ = isDQ(v.producer);
      if ((role === "act" || (role === "act_or_weight" && !v.isConst())) && !viaDQ) {
        throw new UserError(`${where} reads '${v.name}' without a DequantizeLinear; put QuantizeLinear → DequantizeLinear on it (every input and the output of a quantized layer need their own scales)`);
      }
      if ((role === "weight_per_channel" || role === "weight_linear") && !(viaDQ && v.producer!.input(0).isConst())) {
        throw new UserError(`${where}: weight '${v.name}' is not an integer initializer read through DequantizeLinear`);
      }
      if ((role === "weight_per_channel" || role === "weight_linear") && zeroPointsOf(v.producer!).some((z) => z !== 0)) {
        throw new UserError(`${where}: weight '${v.name}' has a non-zero zero point; CMSIS-NN needs symmetric weights (zero point 0, or 128 for uint8)`);
      }
    });
    const tail = n.output.users().length === 1 && !qg.outputs.includes(n.output) && tailRoleOf(n.output.users()[0]!) && p.tails.includes(n.output.users()[0]!.op)
      ? n.output.users()[0]! : null;
    const q = quantizeAfter(qg, (tail ?? n).output);
    if (!q) throw new UserError(`${where}: its output '${(tail ?? n).output.name}' has no QuantizeLinear after it; a quantized layer's output needs its own scale`);
    alignBias(qg, n, p.inputs);
    const w = p.inputs.findIndex((r) => r === "weight_per_channel" || r === "weight_linear");
    const wdq = w >= 0 ? n.inputs[w]?.producer : undefined;
    layers.push({
      name: n.name, op: findPattern(n)?.name ?? localName(n.op), tail: tail ? tail.op.split(".").pop()! : null, quantized: true,
      output: { scale: q.attrs.scale as number, zeroPoint: q.attrs.zero_point as number },
      weight: !wdq ? null : wdq.op === DQC_OP ? "per_channel" : "per_tensor", sqnrDb: null, weightRange: null,
      precision: "int8", reason: "the model's own QuantizeLinear",
    });
  }
  qg.dce();
  verifyGraph(qg, "pre-quantized model");
  const annotation: Annotation = { roles: new Map(), groupOf: new Map(), groups: [] };
  return {
    graph: qg, layers, outputs: [], annotation,
    calibration: { qparams: new Map(), ranges: new Map(), fullRanges: new Map(), grids: new Map(), runs: 0, kept: [], samples: new Map() }, reusedFloatRuns: 0,
  };
}

/**
 * The int8 kernels add the int32 bias on the accumulator's scale s_in·s_w[c].
 * A bias stored on another scale (allowed by the format) is requantized onto
 * it; one already on it (onnxruntime's quantizer writes exactly that) is kept bit for bit.
 */
function alignBias(g: Graph, n: Node, roles: readonly string[]): void {
  const bi = roles.indexOf("bias");
  const b = bi >= 0 ? n.inputs[bi] : null;
  const x = n.inputs[roles.indexOf("act")]?.producer;
  const w = n.inputs[roles.findIndex((r) => r === "weight_per_channel" || r === "weight_linear")]?.producer;
  if (!b || !b.producer || !isDQ(b.producer) || !b.producer.input(0).isConst() || !x || x.op !== DQ_OP || !w || !isDQ(w)) return;
  const bdq = b.producer;
  const codes = bdq.input(0).data!;
  const c = codes.length;
  const sIn = x.attrs.scale as number;
  const sW = scalesOf(w, 1);
  const want = Array.from({ length: c }, (_, k) => Math.fround(sIn * sW[sW.length === 1 ? 0 : k]!));
  const have = scalesOf(bdq, c);
  const zps = zeroPointsOf(bdq);
  if (bdq.input(0).dtype === "i32" && have.every((s, k) => s === want[k]) && zps.every((z) => z === 0)) return;
  const real = Float32Array.from(codes, (q, k) => dequantizeValue(q, have[k]!, zps[bdq.op === DQC_OP ? k : 0] ?? 0));
  const qb = quantizeBias(real, sIn, sW);
  const cst = g.addConst(`${b.name}_aligned`, "i32", [c], qb.data, qb.qparams);
  const dq = g.op(DQC_OP, [cst], {
    scales: [...qb.qparams.scale], zero_points: [...qb.qparams.zeroPoint], axis: 0,
    quant_min: qb.qparams.qmin, quant_max: qb.qparams.qmax, dtype: "i32",
  }, { before: n, name: `dequantize_${b.name}_aligned`, outputNames: [`${b.name}_aligned_dq`] });
  g.setInput(n, bi, dq);
}
