// Pattern annotation: decides, for a float graph, which nodes are quantized
// and how, and which float values carry int8 (and with which parameters they
// share). The only rewrite here gives each parameter-sharing reader of a
// shared constant its own copy (so the constant cannot merge their groups);
// insert_qdq.ts turns the result into the explicit Q/DQ graph. Rules (lowering.md §4):
// - pattern anchors (table in patterns.ts) quantize their inputs by role and
//   their output (the tail's output when a tail follows: one range for both);
// - data-movement ops share one parameter set with their float inputs and
//   outputs, but only when something quantized is on either side;
// - everything else stays float and is quantized/dequantized only where it
//   meets a quantized neighbour.
import type { Graph, Node, Value } from "../ir/graph.js";
import { getOp, hasOp } from "../ir/registry.js";
import { isMagnitudeSum } from "../ops/elementwise/magnitude.js";
import { findPattern, isSharedOp, isTablePattern, tailName, tailRoleOf, type FixedOutput, type PatternDef, type TailName } from "./patterns.js";

export type NodeRole =
  | { kind: "pattern"; pattern: PatternDef; tail: Node | null; tailName: TailName | null }
  | { kind: "tail"; anchor: Node }
  | { kind: "shared" }
  | { kind: "float" };

/** A set of values that carry int8 with one parameter set. */
export interface QGroup {
  id: number;
  members: Value[];
  /** Fixed output parameters (softmax/sigmoid/tanh), when every member derives from that one output. */
  fixed: FixedOutput | null;
  /** An LSTM's cell state (QuantPattern.recurrentState): int16 at a power-of-two scale. */
  recurrentCell?: true;
}

export interface Annotation {
  roles: Map<Node, NodeRole>;
  /** Every int8-carrying float value (activations, and constants read as activations) → its group. */
  groupOf: Map<Value, QGroup>;
  groups: QGroup[];
  /** Integer-only recurrent state: inputs read on another group's grid than their own (insert_qdq requantizes them). */
  stateReads?: StateRead[];
}

/** Input `index` of `node` is read on the grid of `grid`'s group (a quantize → dequantize more before it). */
export interface StateRead {
  node: Node;
  index: number;
  grid: Value;
}

const isF32 = (v: Value | null | undefined): v is Value => !!v && v.dtype === "f32";

/** The tail after `anchor`, if its only reader is an allowed activation. */
function findTail(g: Graph, anchor: Node, p: PatternDef): [Node, TailName] | null {
  if (anchor.outputs.length !== 1) return null;
  const out = anchor.output;
  if (out.uses.length !== 1 || g.outputs.includes(out)) return null;
  const user = out.uses[0]!.node;
  if (out.uses[0]!.index !== 0 || user.outputs.length !== 1 || !isF32(user.output)) return null;
  return p.tails.includes(user.op) && tailRoleOf(user) ? [user, tailName(user.op)] : null;
}

/** The activation inputs of a pattern anchor (float tensors quantized per tensor). */
export function activationInputs(n: Node, p: PatternDef): Value[] {
  const out: Value[] = [];
  p.inputs.forEach((role, i) => {
    const v = n.inputs[i];
    if (isF32(v) && (role === "act" || (role === "act_or_weight" && !v.isConst()))) out.push(v);
  });
  return out;
}

/** The value a pattern's output parameters belong to: the tail's output if fused, else the anchor's. */
export function patternOutput(n: Node, role: Extract<NodeRole, { kind: "pattern" }>): Value {
  return (role.tail ?? n).output;
}

/**
 * Activation operands the int8 elementwise kernels take: each of the output's
 * shape, or an [N,C,1,1] factor of an [N,C,H,W] output (repeated by the lowering).
 * Other broadcasts stay float between their dequantize and quantize.
 */
function kernelShapes(n: Node, ins: readonly Value[]): boolean {
  const y = n.output.shape;
  return ins.length < 2 || ins.every((v) => v.shape.join() === y.join() ||
    (v.rank === 4 && y.length === 4 && v.shape[0] === y[0] && v.shape[1] === y[1] && v.shape[2] === 1 && v.shape[3] === 1));
}

export interface AnnotateOptions {
  /** Nodes forced to stay float (e.g. a sensitive front end). */
  keepFloat?: (n: Node) => boolean;
  /** An integer-only build: integer-only patterns apply, and no int8 island is left float. */
  integerOnly?: boolean;
  /** Integer-only patterns (by name, e.g. "lstm") that apply in this build even without integerOnly. */
  integerPatterns?: readonly string[];
}

export function annotate(g: Graph, opts: AnnotateOptions = {}): Annotation {
  const roles = new Map<Node, NodeRole>();
  /** The role of `n` from its op's patterns (without the scalar-table ones when `noTables`). */
  const assign = (n: Node, noTables: boolean): void => {
    if (opts.keepFloat?.(n)) {
      roles.set(n, { kind: "float" });
      return;
    }
    const p = findPattern(n, opts.integerOnly === true, opts.integerPatterns, noTables ? isTablePattern : undefined);
    const ok = p && (n.outputs.length === 1 || p.recurrentState !== undefined) && isF32(n.output) && p.inputs.every((r, i) => r !== "act" || !n.inputs[i] || isF32(n.inputs[i]));
    if (p && ok) {
      const tail = findTail(g, n, p);
      roles.set(n, { kind: "pattern", pattern: p, tail: tail?.[0] ?? null, tailName: tail?.[1] ?? null });
      if (tail) roles.set(tail[0], { kind: "tail", anchor: n });
    } else if (isSharedOp(n)) {
      roles.set(n, { kind: "shared" });
    } else {
      roles.set(n, { kind: "float" });
    }
  };
  for (const n of g.nodes) {
    if (roles.has(n)) continue; // already claimed as a tail
    // An integer-only build has its own patterns for x op c (constants written out at full shape).
    assign(n, opts.integerOnly === true);
  }

  // A table of x op c (a pattern that leaves its constant float, "ignore") is kept only strictly
  // inside the int8 region: its input made by a pattern the lowering turns into an int8 kernel,
  // and every reader such a pattern. At a border it would only round a float value onto a grid
  // (a detector's box decoding before its float output, an audio front end's scaling, the scale
  // of an attention product a float matmul computes); there, and along chains of such ops that
  // reach a border, the op takes the role it had without tables (the next of its op's patterns,
  // else float), so models without such chains quantize exactly as before.
  const isFloatRole = (n: Node | null): boolean => !!n && roles.get(n)?.kind === "float";
  const noTable = new Set<Node>();
  const lowersToInt8 = (n: Node): boolean => {
    const r = roles.get(n);
    if (r?.kind === "tail") return lowersToInt8(r.anchor);
    return r?.kind === "pattern" && r.pattern.notLowered === undefined && kernelShapes(n, activationInputs(n, r.pattern));
  };
  // An op sharing its input's grid (a pool, a byte move) is inside when what it leads to is:
  // readers for a reader, the producer for a producer (a few steps at most).
  const insideReader = (n: Node, depth = 0): boolean =>
    (lowersToInt8(n) && !noTable.has(n)) || (depth < 4 && roles.get(n)?.kind === "shared" && n.outputs.every((o) =>
      !g.outputs.includes(o) && o.uses.length > 0 && o.users().every((u) => insideReader(u, depth + 1))));
  const insideProducer = (n: Node | null, depth = 0): boolean =>
    !!n && ((lowersToInt8(n) && !noTable.has(n)) || (depth < 4 && roles.get(n)?.kind === "shared" &&
      n.inputs.every((x) => !x || x.isConst() || insideProducer(x.producer, depth + 1))));
  for (let again = !opts.integerOnly; again;) {
    again = false;
    for (const n of g.nodes) {
      const r = roles.get(n)!;
      if (r.kind !== "pattern" || !isTablePattern(r.pattern)) continue;
      const out = patternOutput(n, r);
      const atBorder = g.outputs.includes(out) || out.uses.length === 0 || !out.users().every((u) => insideReader(u)) ||
        !activationInputs(n, r.pattern).every((v) => insideProducer(v.producer));
      if (!atBorder) continue;
      noTable.add(n);
      if (r.tail) roles.delete(r.tail);
      assign(n, true);
      if (r.tail && !roles.has(r.tail)) assign(r.tail, true);
      again = true;
    }
  }

  // Recurrent state (the LSTM's h and c). The hidden state is written on the output's grid: h0 and Y_h
  // join Y's group (byte moves around them share it as usual). The byte moves that carry the cell state
  // — back from c0 to where it enters, and on from Y_c to where it leaves — stay float, as does every
  // move reading what they carry, so the cell's int16 grid is never tied to another group (Silero keeps
  // h and c in one [2,1,128] tensor, split by index_select and joined by cat: both ends stay float, and
  // the state is quantized / dequantized at the LSTM). The state values join their groups below.
  // An integer-only build has no float to carry them in: there those moves are integer and every value
  // they carry is one int16 group with the cell, at its power-of-two scale (Silero's h ∈ [-1, 1] fits
  // beside c; the calibrated range covers both), so the state is int16 model I/O. What crosses between
  // that group and another — h0 read by the kernel on Y's grid, Y_h joined into the state — is read on
  // the other grid (stateReads: an integer requantize once lowered).
  const hiddenState = new Map<Value, Value>(); // state value → the anchor's main output
  const cellState = new Map<Value, Value>(); // state value → the anchor's cell output
  for (const n of g.nodes) {
    const r = roles.get(n)!;
    const st = r.kind === "pattern" ? r.pattern.recurrentState : undefined;
    if (!st) continue;
    for (const v of [n.inputs[st.hiddenIn], n.outputs[st.hiddenOut]]) if (isF32(v)) hiddenState.set(v, n.output);
    const cell = n.outputs[st.cellOut]!;
    for (const v of [n.inputs[st.cellIn], cell]) if (isF32(v)) cellState.set(v, cell);
  }
  const carriesCell = new Set<Value>();
  for (const [n, r] of roles) {
    const st = r.kind === "pattern" ? r.pattern.recurrentState : undefined;
    if (st && isF32(n.inputs[st.cellIn])) carriesCell.add(n.inputs[st.cellIn]!);
  }
  const moves = g.nodes.filter((n) => roles.get(n)!.kind === "shared");
  const stateMoves = new Set<Node>();
  for (const n of [...moves].reverse()) {
    if (!n.outputs.some((v) => carriesCell.has(v))) continue;
    stateMoves.add(n);
    for (const v of n.inputs) if (isF32(v)) carriesCell.add(v);
  }
  for (const v of cellState.keys()) carriesCell.add(v);
  for (const n of moves) {
    if (!n.inputs.some((v) => !!v && carriesCell.has(v))) continue;
    stateMoves.add(n);
    for (const v of n.outputs) if (isF32(v)) carriesCell.add(v);
  }
  const stateReads: StateRead[] = [];
  if (!opts.integerOnly) {
    for (const n of stateMoves) roles.set(n, { kind: "float" });
  } else {
    // Each carried value joins a cell it is connected to (through the moves, unioned below); a hidden
    // state carried there leaves Y's group and is read on Y's grid by the kernel.
    for (const n of g.nodes) {
      const r = roles.get(n)!;
      const st = r.kind === "pattern" ? r.pattern.recurrentState : undefined;
      const h0 = st ? n.inputs[st.hiddenIn] : undefined;
      if (!st || !isF32(h0) || !carriesCell.has(h0)) continue;
      hiddenState.delete(h0);
      stateReads.push({ node: n, index: st.hiddenIn, grid: n.output });
    }
    for (const n of stateMoves) {
      const carried = n.outputs.find((v) => carriesCell.has(v))!;
      n.inputs.forEach((v, index) => {
        if (isF32(v) && !carriesCell.has(v)) stateReads.push({ node: n, index, grid: carried });
      });
    }
  }

  // A weightless pattern (add, mul, LUT activations) with float ops on every side is an island:
  // int8 there gains the lowering nothing and costs precision (e.g. Silero's |STFT|² = re² + im²
  // between float pow and sqrt, whose dynamic range int8 cannot hold). It stays float. An integer-only
  // build quantizes every island but that one: the lowering replaces the whole magnitude chain, from the
  // dequantized parts to the quantized result, by one integer kernel (ops/elementwise/magnitude.ts).
  const isFloat = isFloatRole;
  for (const n of g.nodes) {
    const r = roles.get(n)!;
    if ((opts.integerOnly && !isMagnitudeSum(g, n)) || r.kind !== "pattern" || r.tail || r.pattern.inputs.some((x) => x !== "act")) continue;
    const ins = activationInputs(n, r.pattern);
    const out = n.output;
    if (ins.length > 0 && ins.every((v) => isFloat(v.producer)) && !g.outputs.includes(out) && out.uses.length > 0 && out.users().every(isFloat)) {
      roles.set(n, { kind: "float" });
    }
  }

  // A table of x op c (a pattern with a constant it leaves float, "ignore") is int8 only strictly
  // inside the int8 region: its input made by an int8 op and every reader int8. At a border it
  // would only round a float value onto a grid (a detector's box decoding before its float output,
  // an audio front end's scaling); there, and in chains of such ops that reach a border, it stays float.
  const bordersFloat = (v: Value): boolean => !v.producer || isFloat(v.producer);
  for (let demoted = true; demoted && !opts.integerOnly;) {
    demoted = false;
    for (const n of g.nodes) {
      const r = roles.get(n)!;
      // (a recurrent kernel's "ignore" inputs are its weights and state, not a table's constant; its state
      // values are already grouped with it above, so demoting it would leave them without their anchor)
      if (r.kind !== "pattern" || !r.pattern.inputs.includes("ignore") || r.pattern.recurrentState) continue;
      const out = patternOutput(n, r);
      const floatOut = g.outputs.includes(out) || out.uses.length === 0 || out.users().some(isFloat);
      if (!floatOut && !activationInputs(n, r.pattern).some(bordersFloat)) continue;
      roles.set(n, { kind: "float" });
      if (r.tail) roles.set(r.tail, { kind: "float" });
      demoted = true;
    }
  }

  // Union-find over int8-carrying values.
  const parent = new Map<Value, Value>();
  const find = (v: Value): Value => {
    let r = v;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = v;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const add = (v: Value): boolean => {
    if (parent.has(v)) return false;
    parent.set(v, v);
    return true;
  };
  const union = (a: Value, b: Value): void => {
    const ra = find(a);
    const rb = find(b);
    // Keep the earlier-defined value as the root so group order is deterministic.
    if (ra !== rb) (ra.id < rb.id ? parent.set(rb, ra) : parent.set(ra, rb));
  };

  const fixedOf = new Map<Value, FixedOutput>();
  const outputsOfPatterns = new Set<Value>();
  for (const n of g.nodes) {
    const r = roles.get(n)!;
    if (r.kind !== "pattern") continue;
    const o = patternOutput(n, r);
    add(o);
    outputsOfPatterns.add(o);
    if (typeof r.pattern.output === "object") fixedOf.set(o, r.pattern.output.fixed);
    for (const v of activationInputs(n, r.pattern)) add(v);
  }
  // The state values are int8 / int16 like the pattern's output; the hidden output feeds byte moves as it does.
  for (const v of [...hiddenState.keys(), ...cellState.keys()]) add(v);
  for (const v of hiddenState.keys()) if (v.producer && roles.get(v.producer)?.kind === "pattern") outputsOfPatterns.add(v);

  // Shared ops are int8 when their input is: forward from quantized producers...
  // (an integer-only build's state moves join the cell's group on their own: see the union below)
  const sharedNodes = g.nodes.filter((n) => roles.get(n)!.kind === "shared" && !stateMoves.has(n));
  const f32In = (n: Node): Value[] => n.inputs.filter(isF32);
  const f32Out = (n: Node): Value[] => n.outputs.filter(isF32);
  const qShared = new Set<Node>();
  const produced = new Set<Value>(outputsOfPatterns);
  // (an op that shares only inside the int8 region also needs its result to reach a quantized pattern,
  // possibly through other shared ops: see QuantRole.sharesOnlyInside)
  const insideOnly = (n: Node): boolean => hasOp(n.op) && getOp(n.op).quant?.sharesOnlyInside === true;
  const reachesPattern = (v: Value, seen: Set<Node>): boolean => v.users().some((u) => {
    const kind = roles.get(u)!.kind;
    if (kind === "pattern" || kind === "tail") return true;
    if (kind !== "shared" || seen.has(u)) return false;
    seen.add(u);
    return f32Out(u).some((o) => reachesPattern(o, seen));
  });
  for (const n of sharedNodes) {
    if (!f32In(n).some((v) => produced.has(v))) continue;
    // (an integer-only build has no float end: there the op takes its input's parameters all the same)
    if (insideOnly(n) && !opts.integerOnly && !f32Out(n).some((v) => reachesPattern(v, new Set()))) continue;
    qShared.add(n);
    for (const v of f32Out(n)) produced.add(v);
  }
  // ...and backward from a quantized reader through chains that start at graph inputs or
  // constants, so the input is quantized right where it enters. A chain that starts at a
  // float op (e.g. the LSTM's state outputs) stays float, and the Q goes where it is needed.
  const chain = new Set<Value>([...g.inputs.filter(isF32), ...g.constants.filter(isF32)]);
  for (const n of sharedNodes) {
    const ins = f32In(n);
    if (!qShared.has(n) && ins.length > 0 && ins.every((v) => chain.has(v))) for (const v of f32Out(n)) chain.add(v);
  }
  for (const n of [...sharedNodes].reverse()) {
    if (qShared.has(n) || !f32Out(n).every((v) => chain.has(v)) || !f32Out(n).some((v) => parent.has(v))) continue;
    qShared.add(n);
    for (const v of f32In(n)) add(v);
  }
  // A constant read by several parameter-sharing nodes would tie their groups into one (Silero's
  // 19 `Max(x, -0.4)` read one initializer: one scale for all 19 layers). Each such reader gets a
  // private copy of the constant, so every group keeps its own range. Nothing is unioned yet, so
  // each value in `parent` is still its own root and may be dropped.
  for (const c of [...g.constants]) {
    if (!isF32(c)) continue;
    const sharing = c.uses.filter((u) => qShared.has(u.node));
    if (sharing.length === 0 || (sharing.length === 1 && c.uses.length === 1)) continue;
    // The first sharing reader keeps `c` when nothing else reads it; otherwise every sharing reader gets a copy.
    const keep = c.uses.length === sharing.length ? sharing[0] : undefined;
    for (const u of sharing) {
      if (u === keep) continue;
      const copy = g.addConst(c.name, c.dtype, [...c.shape], c.data!.slice());
      g.setInput(u.node, u.index, copy);
      add(copy);
    }
    // `c` was added as a sharing reader's input; it stays in a group only if a pattern still reads it as an activation.
    if (!keep && parent.has(c) && !c.users().some((n) => roles.get(n)!.kind === "pattern" && activationInputs(n, (roles.get(n) as Extract<NodeRole, { kind: "pattern" }>).pattern).includes(c))) {
      parent.delete(c);
    }
  }
  for (const [v, main] of [...hiddenState, ...cellState]) union(main, v);
  // (integer-only) what a state move carries is one group with the values it moves.
  for (const n of opts.integerOnly ? stateMoves : []) {
    const vs = [...n.inputs, ...n.outputs].filter((v): v is Value => isF32(v) && carriesCell.has(v));
    for (const v of vs) add(v);
    for (const v of vs.slice(1)) union(vs[0]!, v);
  }

  for (const n of qShared) {
    const vs = [...f32In(n), ...f32Out(n)];
    for (const v of vs) add(v);
    for (const v of vs.slice(1)) union(vs[0]!, v);
  }

  // Groups in order of their root's definition.
  const byRoot = new Map<Value, QGroup>();
  const groupOf = new Map<Value, QGroup>();
  const ordered = [...parent.keys()].sort((a, b) => a.id - b.id);
  for (const v of ordered) {
    const root = find(v);
    let grp = byRoot.get(root);
    if (!grp) {
      grp = { id: byRoot.size, members: [], fixed: null };
      byRoot.set(root, grp);
    }
    grp.members.push(v);
    groupOf.set(v, grp);
    if (cellState.has(v) || (opts.integerOnly && carriesCell.has(v))) grp.recurrentCell = true;
  }
  // A group keeps fixed parameters only if its one range source is that fixed output; a cat of a
  // sigmoid with anything else takes the observed union range instead.
  for (const grp of byRoot.values()) {
    const sources = grp.members.filter((v) => !(v.producer && qShared.has(v.producer)));
    const kinds = new Set(sources.map((v) => fixedOf.get(v) ?? null));
    if (kinds.size === 1 && sources.length === 1) grp.fixed = [...kinds][0]!;
  }
  return { roles, groupOf, groups: [...byRoot.values()], ...(stateReads.length > 0 ? { stateReads } : {}) };
}
