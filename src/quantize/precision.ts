// Which activation groups carry int16 instead of int8, and which layers stay
// float: the user's choice (--precision, --int16, --keep-float) resolved
// against an annotated graph, with the reason each group got its precision
// (inspect --stage quantized prints it). The automatic choice is in
// auto_precision.ts; it produces a plan of the same shape.
import { UserError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import type { QParams } from "../ir/quant.js";
import { activationInputs, patternOutput, type Annotation, type QGroup } from "./annotate.js";
import type { CalibrationResult } from "./calibrate.js";
import { activationQParams16 } from "./scheme16.js";
import { activationQParams } from "./scheme.js";
import { perTensor } from "../ir/quant.js";
import { cellPowerFor } from "../ops/rnn/lstm_quant.js";
import type { TargetClass } from "../kernels/types.js";

export const PRECISIONS = ["int8", "int16", "auto"] as const;
export type Precision = (typeof PRECISIONS)[number];

export interface PrecisionOptions {
  /** int8 everywhere (default), int16 everywhere, or measured per group (auto_precision.ts). */
  precision?: Precision;
  /** Nodes (names as `inspect` prints them) whose activation inputs and output are int16. */
  int16Nodes?: readonly string[];
  /** Nodes that stay float. */
  keepFloatNodes?: readonly string[];
  /** auto: most RAM growth over the int8 build, percent (default 25). */
  budgetRam?: number;
  /** auto: most instruction growth over the int8 build, percent (default 25). */
  budgetInstructions?: number;
  /** auto: most growth of the weights (flash) over the int8 build, percent (default 25): a float layer stores 4-byte weights. */
  budgetWeights?: number;
  /** auto: the class of core whose measured costs weigh the choice (precision_cost.ts; default mve, as --target's default M55). */
  costTarget?: TargetClass;
}

/** The resolved choice: float nodes by name, int16 values by name, each with the reason it was chosen. */
export interface PrecisionPlan {
  keepFloat: Map<string, string>;
  int16Values: Map<string, string>;
  /** Every group without fixed parameters is int16 (--precision int16). */
  allInt16: boolean;
}

export interface GroupPrecision {
  dtype: "i8" | "i16";
  reason: string;
}

export function emptyPlan(): PrecisionPlan {
  return { keepFloat: new Map(), int16Values: new Map(), allInt16: false };
}

/** One line naming the first unknown node of an option, so a typo never silently changes nothing. */
export function checkNodeNames(g: Graph, names: readonly string[] | undefined, option: string): void {
  if (!names) return;
  const known = new Set(g.nodes.map((n) => n.name));
  for (const name of names) {
    if (!known.has(name)) throw new UserError(`${option}: no node named ${JSON.stringify(name)} (use the names 'inspect' prints)`);
  }
}

/** The activation values a node reads and writes: its pattern's activation inputs and output, or a float op's float operands. */
export function nodeActivations(n: Node, ann: Annotation): Value[] {
  const role = ann.roles.get(n);
  if (role?.kind === "pattern") return [...activationInputs(n, role.pattern), patternOutput(n, role)];
  if (role?.kind === "tail") return nodeActivations(role.anchor, ann);
  return [...n.inputs, ...n.outputs].filter((v): v is Value => !!v && v.dtype === "f32" && !v.data);
}

/** The plan the explicit options ask for (auto adds to it). */
export function explicitPlan(g: Graph, opts: PrecisionOptions): PrecisionPlan {
  checkNodeNames(g, opts.int16Nodes, "--int16");
  checkNodeNames(g, opts.keepFloatNodes, "--keep-float");
  const plan = emptyPlan();
  plan.allInt16 = opts.precision === "int16";
  for (const name of opts.keepFloatNodes ?? []) plan.keepFloat.set(name, "--keep-float");
  return plan;
}

/**
 * Per group precision for an annotation of the graph the plan was made for.
 * Values are matched by name (the plan may come from another clone). A group
 * is int16 when any member is: its members share one parameter set.
 */
export function groupPrecisions(g: Graph, ann: Annotation, plan: PrecisionPlan, int16Nodes: readonly string[] = []): Map<QGroup, GroupPrecision> {
  const byName = new Map(g.nodes.map((n) => [n.name, n] as const));
  const wanted = new Map(plan.int16Values);
  for (const name of int16Nodes) {
    const n = byName.get(name);
    if (!n) throw new UserError(`--int16: no node named ${JSON.stringify(name)} (use the names 'inspect' prints)`);
    for (const v of nodeActivations(n, ann)) if (!wanted.has(v.name)) wanted.set(v.name, `--int16 ${name}`);
  }
  const out = new Map<QGroup, GroupPrecision>();
  for (const grp of ann.groups) {
    if (grp.fixed) {
      out.set(grp, { dtype: "i8", reason: "fixed int8 output range of its kernel" });
      continue;
    }
    if (grp.recurrentCell) {
      out.set(grp, { dtype: "i16", reason: "LSTM cell state (the kernel's int16 cell at a power-of-two scale)" });
      continue;
    }
    const hit = grp.members.map((v) => wanted.get(v.name)).find((r) => r !== undefined);
    if (hit !== undefined) out.set(grp, { dtype: "i16", reason: hit });
    else if (plan.allInt16) out.set(grp, { dtype: "i16", reason: "--precision int16" });
    else out.set(grp, { dtype: "i8", reason: "default" });
  }
  return out;
}

/** The calibration's int8 parameters with the int16 groups' replaced (symmetric, from the full observed range). */
export function applyPrecisions(cal: Pick<CalibrationResult, "qparams" | "fullRanges" | "grids">, prec: Map<QGroup, GroupPrecision>): Map<QGroup, QParams> {
  const out = new Map(cal.qparams);
  for (const [grp, p] of prec) {
    if (p.dtype !== "i16") continue;
    const r = cal.fullRanges.get(grp) ?? [0, 0];
    // The LSTM's cell: scale 2^p, the smallest power whose int16 grid holds the full range (TFLite's scheme).
    if (grp.recurrentCell) out.set(grp, perTensor(2 ** cellPowerFor(Math.max(-r[0], r[1])), 0, "i16", -32768, 32767));
    else out.set(grp, activationQParams16(r[0], r[1], cal.grids.get(grp) ?? null));
  }
  return out;
}

/**
 * The 16x8 kernels read and write one precision (CMSIS-NN's *_s16 take and
 * give int16, the *_s8 int8): a pattern whose activation inputs are int16 and
 * whose output group is int8 (or the reverse) computes at its input's
 * precision and is requantized to its group. Returns, per such pattern output,
 * the parameters of that intermediate: from the group's own range, at the
 * input's precision (int16 symmetric from the full range, int8 from the
 * observer's). Fixed outputs (sigmoid, softmax) and patterns whose inputs mix
 * precisions are left alone.
 */
export function borderParams(
  ann: Annotation, dtypeOf: (g: QGroup) => "i8" | "i16", rangeOf: (g: QGroup) => { range: [number, number]; full: [number, number] },
): Map<Value, QParams> {
  const out = new Map<Value, QParams>();
  for (const [n, role] of ann.roles) {
    if (role.kind !== "pattern") continue;
    const ins = activationInputs(n, role.pattern).map((v) => ann.groupOf.get(v)).filter((x): x is QGroup => !!x);
    const o = patternOutput(n, role);
    const og = ann.groupOf.get(o);
    if (ins.length === 0 || !og || og.fixed) continue;
    const d = dtypeOf(ins[0]!);
    if (ins.some((x) => dtypeOf(x) !== d) || dtypeOf(og) === d) continue;
    const r = rangeOf(og);
    out.set(o, d === "i16" ? activationQParams16(r.full[0], r.full[1]) : activationQParams(r.range[0], r.range[1]));
  }
  return out;
}
