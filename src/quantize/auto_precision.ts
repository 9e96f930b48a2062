// --precision auto: measure, on the calibration data, how much each
// quantization group's int8 costs at the graph outputs, and move the most
// damaging groups to int16 until the error stops improving or the RAM /
// instruction budget is spent.
//
// Measure: every candidate group int16 at once gives the floor the search can
// reach; a group's damage is the output error with everything else at that
// floor and only this group int8 (its own error, not hidden behind its
// neighbours': Silero's audio, STFT and magnitude each look harmless alone
// against an int8 front end, and each is damaging against an int16 one).
// Then the groups are promoted in order of damage, each step measured on the
// whole mixed graph; the best prefix within budget wins.
//
// A promoted group may instead stay FLOAT (every layer that writes or reads it
// computed in float) when that measures better than int16 and fits the budget:
// int16 cannot hold a tensor whose range is wider than 16 bits (Silero's STFT
// output spans dithered silence to loud speech). Float compute is dear (the
// cost proxy weighs a float MAC as 4 int8 ones), so on a budget this rarely
// wins for a convolution; the measurement decides, not the name.
//
// Candidates are the groups whose kernels have an int16 form the lowering
// emits (convolution and depthwise: arm_convolve_wrapper_s16 /
// arm_depthwise_conv_wrapper_s16). A group that a weightless int8-only
// pattern (a LUT activation, add, mul) reads or writes is a candidate with
// that pattern kept float: int16 cannot help a sum of squares or a sqrt, but
// float can, and it frees its neighbours.
import type { Graph, Node, Value } from "../ir/graph.js";
import type { QParams } from "../ir/quant.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import { annotate, type Annotation, type QGroup } from "./annotate.js";
import { calibrate, type CalibrateOptions, type Feeds, type FeedSource } from "./calibrate.js";
import { cloneGraph } from "./clone.js";
import { insertQDQ, type InsertOptions } from "./insert_qdq.js";
import { borderParams, nodeActivations, type PrecisionOptions, type PrecisionPlan } from "./precision.js";
import { precisionCost, type PrecisionCost } from "./precision_cost.js";
import { activationQParams, fixedQParams } from "./scheme.js";
import { activationQParams16 } from "./scheme16.js";

/** Steps without a new best before the search stops (Silero v5 front end: audio and STFT int16 alone are worse, with the magnitude they pay). */
const PATIENCE = 3;
/** A step must lower the error by this fraction to count as an improvement (measurement noise is far below it). */
const MIN_GAIN = 0.02;
const DEFAULT_BUDGET_PERCENT = 25;

interface Candidate {
  /** For reasons and reports: the node that writes the group (or its first member). */
  label: string;
  values: string[];
  keepFloat: string[];
  /** The float alternative: every quantized layer (anchor and tail) that writes or reads the group. */
  floatNodes: string[];
}

type Mode = "int16" | "float";

interface Config {
  int16: ReadonlySet<string>;
  keepFloat: ReadonlySet<string>;
}

export interface AutoStep {
  group: string;
  /** What the group became if taken: int16, or float when that measured better within budget. */
  mode: Mode;
  /** Output error with the group float instead of int16 (null when over budget, or no float alternative). */
  floatError: number | null;
  /** Output error with this group int8 and every other candidate int16 (its own damage). */
  damage: number;
  /** Output error once promoted with every group before it (null when not measured: budget). */
  error: number | null;
  cost: PrecisionCost;
  taken: boolean;
}

export interface AutoReport {
  /** Output error: Σ over graph outputs of noise / signal energy on the calibration data. */
  int8Error: number;
  floorError: number;
  chosenError: number;
  int8Cost: PrecisionCost;
  chosenCost: PrecisionCost;
  budget: PrecisionCost;
  steps: AutoStep[];
}

type Range = [number, number];

/** Conv kernels with an s16 form in the lowering; weightless patterns can be kept float instead. */
function candidateOf(g: Graph, ann: Annotation, grp: QGroup): Candidate | null {
  const members = new Set(grp.members);
  const keepFloat: string[] = [];
  for (const n of g.nodes) {
    const role = ann.roles.get(n);
    if (role?.kind !== "pattern") continue;
    if (!nodeActivations(n, ann).some((v) => members.has(v))) continue;
    if (n.op === CONVOLUTION.name && !n.attrs.transposed) continue;
    if (role.pattern.inputs.every((r) => r === "act")) {
      keepFloat.push(n.name);
      if (role.tail) keepFloat.push(role.tail.name);
      continue;
    }
    return null;
  }
  const floatNodes = new Set<string>();
  for (const n of g.nodes) {
    const role = ann.roles.get(n);
    if (role?.kind !== "pattern" || !nodeActivations(n, ann).some((v) => members.has(v))) continue;
    floatNodes.add(n.name);
    if (role.tail) floatNodes.add(role.tail.name);
  }
  const first = grp.members[0]!;
  return { label: first.producer?.name ?? first.name, values: grp.members.map((v) => v.name), keepFloat, floatNodes: [...floatNodes] };
}

function union(a: Range | null | undefined, b: Range | null | undefined): Range | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/**
 * The auto plan: `base` (the explicit options) plus the int16 groups and float
 * layers the search chose, each with its reason; and the figures it measured.
 */
export function autoPrecision(
  g: Graph, source: FeedSource, opts: CalibrateOptions & InsertOptions & PrecisionOptions, base: PrecisionPlan,
): { plan: PrecisionPlan; report: AutoReport } {
  // 1. One calibration of the base annotation: ranges by value name, float outputs of every run.
  const c0 = cloneGraph(g);
  const ann0 = annotate(c0.graph, { keepFloat: (n) => base.keepFloat.has(n.name) });
  const cal = calibrate(c0.graph, ann0, source, { ...opts, keep: { values: new Set(), runs: source.runs, bytes: 256 * 2 ** 20 } });
  const ranges = new Map<string, Range | null>();
  const fullRanges = new Map<string, Range | null>();
  const grids = new Map<string, number>();
  for (const grp of ann0.groups) {
    for (const v of grp.members) {
      ranges.set(v.name, cal.ranges.get(grp) ?? null);
      fullRanges.set(v.name, cal.fullRanges.get(grp) ?? null);
      const grid = cal.grids.get(grp);
      if (grid !== undefined) grids.set(v.name, grid);
    }
  }
  const reference = cal.kept.map((k) => k.outputs);
  // --int16 nodes given with auto: their values start (and stay) int16.
  const forced = new Map(base.int16Values);
  for (const name of opts.int16Nodes ?? []) {
    const n = c0.graph.nodes.find((x) => x.name === name);
    if (n) for (const v of nodeActivations(n, ann0)) if (!forced.has(v.name)) forced.set(v.name, `--int16 ${name}`);
  }

  const build = (cfg: Config): { graph: Graph; ann: Annotation; dtypes: Map<QGroup, "i8" | "i16"> } => {
    const c = cloneGraph(g);
    const ann = annotate(c.graph, { keepFloat: (n: Node) => cfg.keepFloat.has(n.name) });
    const qparams = new Map<QGroup, QParams>();
    const dtypes = new Map<QGroup, "i8" | "i16">();
    for (const grp of ann.groups) {
      const i16 = !grp.fixed && grp.members.some((v) => cfg.int16.has(v.name));
      dtypes.set(grp, i16 ? "i16" : "i8");
      if (grp.fixed) {
        qparams.set(grp, fixedQParams(grp.fixed));
        continue;
      }
      const pick = i16 ? fullRanges : ranges;
      const r = grp.members.reduce<Range | null>((acc, v) => union(acc, pick.get(v.name)), null) ?? [0, 0];
      // A grid holds only when every member was seen on it (the same group as in the calibration's annotation).
      const gs = grp.members.map((v) => grids.get(v.name));
      const grid = gs.every((x) => x !== undefined && x === gs[0]) ? gs[0]! : null;
      qparams.set(grp, i16 ? activationQParams16(r[0], r[1], grid) : activationQParams(r[0], r[1]));
    }
    const span = (grp: QGroup, pick: Map<string, Range | null>): Range =>
      grp.members.reduce<Range | null>((acc, v) => union(acc, pick.get(v.name)), null) ?? [0, 0];
    const borders = borderParams(ann, (grp) => dtypes.get(grp)!, (grp) => ({ range: span(grp, ranges), full: span(grp, fullRanges) }));
    insertQDQ(c.graph, ann, qparams, opts, borders);
    return { graph: c.graph, ann, dtypes };
  };
  const costOf = (cfg: Config): PrecisionCost => {
    const c = cloneGraph(g);
    const ann = annotate(c.graph, { keepFloat: (n: Node) => cfg.keepFloat.has(n.name) });
    const dtypes = new Map(ann.groups.map((grp) => [grp, !grp.fixed && grp.members.some((v) => cfg.int16.has(v.name)) ? "i16" as const : "i8" as const]));
    return precisionCost(c.graph, ann, dtypes, opts.costTarget);
  };
  const errorOf = (cfg: Config): number => {
    const { graph } = build(cfg);
    const sums = new Map<string, { signal: number; noise: number }>();
    const it = source.feeds(graph);
    const folded = new Map<Value, Tensor>();
    let r = it.next();
    for (let run = 0; !r.done && run < reference.length; run++) {
      const outs: Feeds = runFloat(graph, r.value, { folded });
      for (const [name, ref] of Object.entries(reference[run]!)) {
        const q = outs[name];
        if (!q) continue;
        const s = sums.get(name) ?? { signal: 0, noise: 0 };
        for (let i = 0; i < ref.data.length; i++) {
          const x = ref.data[i]!;
          const d = x - q.data[i]!;
          s.signal += x * x;
          s.noise += d * d;
        }
        sums.set(name, s);
      }
      r = it.next(outs);
    }
    let e = 0;
    for (const s of sums.values()) e += s.signal > 0 ? s.noise / s.signal : s.noise;
    return e;
  };

  // 2. Candidates, the int8 start and the all-int16 floor.
  const candidates = ann0.groups.filter((grp) => !grp.fixed).map((grp) => candidateOf(c0.graph, ann0, grp)).filter((c): c is Candidate => c !== null);
  const cfgOf = (chosen: readonly Candidate[], modes: ReadonlyMap<Candidate, Mode> = new Map()): Config => {
    const int16 = chosen.filter((c) => modes.get(c) !== "float");
    const float = chosen.filter((c) => modes.get(c) === "float");
    return {
      int16: new Set([...forced.keys(), ...int16.flatMap((c) => c.values)]),
      keepFloat: new Set([...base.keepFloat.keys(), ...int16.flatMap((c) => c.keepFloat), ...float.flatMap((c) => [...c.keepFloat, ...c.floatNodes])]),
    };
  };
  const start = cfgOf([]);
  const int8Error = errorOf(start);
  const int8Cost = costOf(start);
  const floorError = errorOf(cfgOf(candidates));
  const budget = {
    ramBytes: int8Cost.ramBytes * (1 + (opts.budgetRam ?? DEFAULT_BUDGET_PERCENT) / 100),
    instructions: int8Cost.instructions * (1 + (opts.budgetInstructions ?? DEFAULT_BUDGET_PERCENT) / 100),
    weightBytes: int8Cost.weightBytes * (1 + (opts.budgetWeights ?? DEFAULT_BUDGET_PERCENT) / 100),
  };

  // 3. Each candidate's own damage, then promotion in order of damage.
  const damage = new Map(candidates.map((c) => [c, errorOf(cfgOf(candidates.filter((o) => o !== c)))] as const));
  const order = [...candidates].sort((a, b) => damage.get(b)! - damage.get(a)!);
  const steps: AutoStep[] = [];
  const modes = new Map<Candidate, Mode>();
  let best = { error: int8Error, n: 0, cost: int8Cost };
  let stale = 0;
  const within = (cost: PrecisionCost): boolean =>
    cost.ramBytes <= budget.ramBytes && cost.instructions <= budget.instructions && cost.weightBytes <= budget.weightBytes;
  for (let k = 1; k <= order.length && stale < PATIENCE; k++) {
    const c = order[k - 1]!;
    const prefix = order.slice(0, k);
    modes.set(c, "int16");
    const cfg = cfgOf(prefix, modes);
    let cost = costOf(cfg);
    let error = within(cost) ? errorOf(cfg) : null;
    // The float alternative, measured when it fits the budget (it needs float layers beyond the int8-only ones).
    let floatError: number | null = null;
    if (c.floatNodes.some((n) => !c.keepFloat.includes(n))) {
      const fModes = new Map(modes).set(c, "float");
      const fCfg = cfgOf(prefix, fModes);
      const fCost = costOf(fCfg);
      if (within(fCost)) {
        floatError = errorOf(fCfg);
        if (error === null || floatError < error * (1 - MIN_GAIN)) {
          modes.set(c, "float");
          cost = fCost;
          error = floatError;
        }
      }
    }
    steps.push({ group: c.label, mode: modes.get(c)!, floatError, damage: damage.get(c)!, error, cost, taken: false });
    if (error === null) break;
    if (error < best.error * (1 - MIN_GAIN)) {
      best = { error, n: k, cost };
      stale = 0;
    } else stale++;
  }
  const chosen = order.slice(0, best.n);
  steps.forEach((s, i) => (s.taken = i < best.n));

  const plan: PrecisionPlan = { keepFloat: new Map(base.keepFloat), int16Values: forced, allInt16: false };
  const fmt = (e: number): string => `${(10 * Math.log10(1 / Math.max(e, 1e-30))).toFixed(1)} dB`;
  for (const c of chosen) {
    if (modes.get(c) === "float") {
      const step = steps.find((x) => x.group === c.label)!;
      const why = `auto: float here leaves the outputs at ${fmt(step.floatError!)}, better than int16; kept float`;
      for (const n of [...c.keepFloat, ...c.floatNodes]) if (!plan.keepFloat.has(n)) plan.keepFloat.set(n, why);
      continue;
    }
    const why = `auto: int8 here costs the outputs ${fmt(floorError)} → ${fmt(damage.get(c)!)}; promoted`;
    for (const v of c.values) if (!plan.int16Values.has(v)) plan.int16Values.set(v, why);
    for (const n of c.keepFloat) if (!plan.keepFloat.has(n)) plan.keepFloat.set(n, `auto: int8-only kernel next to int16 group ${c.label}`);
  }
  const report: AutoReport = { int8Error, floorError, chosenError: best.error, int8Cost, chosenCost: best.cost, budget, steps };
  return { plan, report };
}
