// Mutations of an ONNX model: byte-level (bit flips, interesting bytes, cut and
// repeated chunks) on the encoded file, and structure-aware ones on the decoded
// ModelProto (dims, dtypes, attributes, initializer data, names, op types, graph
// wiring, graph inputs/outputs, opset). Pure functions of the random stream, so
// a case is reproducible from (campaign seed, case index) alone.
import { tensor } from "../export/proto.js";
import { supportedOnnxOps } from "../import/onnx/index.js";
import { onnx, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type ValueInfoProto } from "../import/onnx/proto.js";
import { mulberry32 } from "../ir/prng.js";

export class Rand {
  private next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** The random stream of case `index` of a campaign seeded with `seed` (a 32-bit mix of both). */
export function caseSeed(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

// Small values dominate so that a mutated model still gets past shape inference and
// exercises the later stages; the extremes probe limits.
const INTERESTING_INTS = [0, 1, 1, 2, 2, 3, 3, 4, 5, 7, 8, 16, 64, -1, -2, 255, 4096, 65535, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 1e9];
const INTERESTING_FLOATS = [0, -0, 1, -1, 0.5, 1e-30, 1e30, -1e30, 3.4e38, NaN, Infinity, -Infinity, 1e-45];
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x10, 0x1a, 0x22, 0x3a];

function smallOrInteresting(r: Rand): number {
  return r.chance(0.5) ? 1 + r.int(8) : r.pick(INTERESTING_INTS);
}

// ---- byte level --------------------------------------------------------------

export function mutateBytes(src: Uint8Array, r: Rand): Uint8Array {
  let b = new Uint8Array(src);
  const rounds = 1 + r.int(4);
  for (let k = 0; k < rounds && b.length > 0; k++) {
    // Half the edits land in a short window at a random place, half anywhere: the
    // framing bytes of nodes and attributes are few next to weight data.
    const at = r.int(b.length);
    switch (r.int(6)) {
      case 0: b[at] = b[at]! ^ (1 << r.int(8)); break;
      case 1: b[at] = r.pick(INTERESTING_BYTES); break;
      case 2: for (let i = 0; i < 1 + r.int(8) && at + i < b.length; i++) b[at + i] = r.int(256); break;
      case 3: { // cut a chunk
        const len = Math.min(1 + r.int(64), b.length - at);
        const out = new Uint8Array(b.length - len);
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + len), at);
        b = out;
        break;
      }
      case 4: { // repeat a chunk
        const len = Math.min(1 + r.int(32), b.length - at);
        const out = new Uint8Array(b.length + len);
        out.set(b.subarray(0, at + len));
        out.set(b.subarray(at, at + len), at + len);
        out.set(b.subarray(at + len), at + 2 * len);
        b = out;
        break;
      }
      default: b = b.slice(0, at); // truncate
    }
  }
  return b;
}

// ---- structure aware ---------------------------------------------------------

/** The main graph and every subgraph in attributes (If branches, Loop bodies). */
function allGraphs(g: GraphProto): GraphProto[] {
  const out = [g];
  for (const n of g.node ?? []) {
    for (const a of n.attribute ?? []) {
      if (a.g) out.push(...allGraphs(a.g));
      for (const s of a.graphs ?? []) out.push(...allGraphs(s));
    }
  }
  return out;
}

function allNodes(m: ModelProto): NodeProto[] {
  return allGraphs(m.graph!).flatMap((g) => g.node ?? []);
}

function valueNames(m: ModelProto): string[] {
  const g = m.graph!;
  const names = [...(g.input ?? []).map((v) => v.name ?? ""), ...(g.initializer ?? []).map((t) => t.name ?? "")];
  for (const n of allNodes(m)) names.push(...(n.output ?? []));
  return names.length > 0 ? names : ["x"];
}

function valueInfos(m: ModelProto): ValueInfoProto[] {
  const g = m.graph!;
  return [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])];
}

type Mutator = (m: ModelProto, r: Rand) => void;

const mutateDim: Mutator = (m, r) => {
  const infos = valueInfos(m).filter((v) => v.type?.tensorType?.shape);
  if (infos.length === 0) return;
  const shape = r.pick(infos).type!.tensorType!.shape!;
  const dims = shape.dim ?? (shape.dim = []);
  const op = r.int(6);
  if (op === 0 || dims.length === 0) dims.splice(r.int(dims.length + 1), 0, { dimValue: smallOrInteresting(r) });
  else if (op === 1) dims.splice(r.int(dims.length), 1);
  else if (op === 2) dims[r.int(dims.length)] = { dimParam: r.pick(["N", "batch", "", "?"]) };
  else dims[r.int(dims.length)] = { dimValue: smallOrInteresting(r) };
};

const mutateInitDims: Mutator = (m, r) => {
  const inits = m.graph!.initializer ?? [];
  if (inits.length === 0) return;
  const t = r.pick(inits);
  const dims = [...(t.dims ?? [])];
  const op = r.int(4);
  if (op === 0) dims.push(smallOrInteresting(r));
  else if (op === 1 && dims.length > 0) dims.splice(r.int(dims.length), 1);
  else if (dims.length > 0) dims[r.int(dims.length)] = smallOrInteresting(r);
  t.dims = dims;
};

const mutateDtype: Mutator = (m, r) => {
  if (r.chance(0.5)) {
    const infos = valueInfos(m).filter((v) => v.type?.tensorType);
    if (infos.length > 0) r.pick(infos).type!.tensorType!.elemType = r.int(17);
  } else {
    const inits = m.graph!.initializer ?? [];
    if (inits.length > 0) r.pick(inits).dataType = r.int(17);
  }
};

function mutateAttrValue(a: AttributeProto, r: Rand): void {
  switch (r.int(8)) {
    case 0: a.i = r.pick(INTERESTING_INTS); a.type = 2; break;
    case 1: a.f = r.pick(INTERESTING_FLOATS); a.type = 1; break;
    case 2: { // edit, drop or add an element of a list
      const ints = [...(a.ints ?? [])].map(Number);
      if (ints.length > 0 && r.chance(0.6)) ints[r.int(ints.length)] = smallOrInteresting(r) * (r.chance(0.2) ? -1 : 1);
      else if (ints.length > 0 && r.chance(0.5)) ints.splice(r.int(ints.length), 1);
      else ints.push(smallOrInteresting(r));
      a.ints = ints;
      a.type = 7;
      break;
    }
    case 3: a.floats = [r.pick(INTERESTING_FLOATS), r.pick(INTERESTING_FLOATS)].slice(0, 1 + r.int(2)); a.type = 6; break;
    case 4: a.s = new TextEncoder().encode(r.pick(["NOTSET", "SAME_UPPER", "VALID", "constant", "reflect", "edge", "nearest", "linear", "", "bogus"])); a.type = 3; break;
    case 5: a.type = r.int(15); break; // type tag disagrees with the value
    case 6: a.i = smallOrInteresting(r); break;
    default: if (a.ints && a.ints.length > 0) a.ints = a.ints.map((x) => Number(x) + (r.chance(0.5) ? 1 : -1));
  }
}

const ATTR_NAMES = ["axis", "axes", "pads", "strides", "kernel_shape", "dilations", "group", "perm", "to", "keepdims", "mode", "auto_pad", "value", "alpha", "beta", "transB", "hidden_size", "direction", "split", "num_outputs"];

const mutateAttribute: Mutator = (m, r) => {
  const nodes = allNodes(m);
  if (nodes.length === 0) return;
  const n = r.pick(nodes);
  const attrs = n.attribute ?? (n.attribute = []);
  const op = r.int(10);
  if (op === 0 && attrs.length > 0) attrs.splice(r.int(attrs.length), 1);
  else if (op === 1 || attrs.length === 0) {
    const a: AttributeProto = { name: r.pick(ATTR_NAMES) };
    mutateAttrValue(a, r);
    attrs.push(a);
  } else if (op === 2) attrs.push({ ...r.pick(attrs) }); // the same attribute twice
  else {
    const a = r.pick(attrs);
    if (!a.g) mutateAttrValue(a, r);
  }
};

/** Write interesting values into a float initializer (a copy: decoded raw data aliases the seed's bytes). */
const mutateInitData: Mutator = (m, r) => {
  const inits = (m.graph!.initializer ?? []).filter((t) => (t.rawData?.length ?? 0) > 0 || (t.floatData?.length ?? 0) > 0 || (t.int64Data?.length ?? 0) > 0);
  if (inits.length === 0) return;
  const t = r.pick(inits);
  const op = r.int(4);
  if (op === 0 && t.rawData) { // cut or pad the raw bytes: data length disagrees with dims
    if (r.chance(0.5)) t.rawData = t.rawData.slice(0, r.int(t.rawData.length));
    else {
      const longer = new Uint8Array(t.rawData.length + 1 + r.int(8));
      longer.set(t.rawData);
      t.rawData = longer;
    }
  } else if (t.rawData && t.rawData.length >= 4) {
    const raw = new Uint8Array(t.rawData);
    const view = new DataView(raw.buffer);
    const count = op === 1 ? Math.max(1, raw.length >> 2) : 1 + r.int(4);
    for (let k = 0; k < count; k++) {
      const at = 4 * r.int(raw.length >> 2);
      if (t.dataType === 7 && at + 8 <= raw.length) view.setBigInt64(at, BigInt(r.pick(INTERESTING_INTS)) * (r.chance(0.3) ? -1n : 1n), true);
      else if (t.dataType === 1) view.setFloat32(at, r.pick(INTERESTING_FLOATS), true);
      else view.setInt32(at, r.pick(INTERESTING_INTS) | 0, true);
    }
    t.rawData = raw;
  } else if (t.floatData && t.floatData.length > 0) {
    t.floatData = [...t.floatData];
    t.floatData[r.int(t.floatData.length)] = r.pick(INTERESTING_FLOATS);
  } else if (t.int64Data && t.int64Data.length > 0) {
    t.int64Data = [...t.int64Data];
    t.int64Data[r.int(t.int64Data.length)] = r.pick(INTERESTING_INTS);
  }
};

const mutateName: Mutator = (m, r) => {
  const nodes = allNodes(m);
  if (nodes.length === 0) return;
  const n = r.pick(nodes);
  const list = r.chance(0.6) && (n.input?.length ?? 0) > 0 ? n.input! : n.output ?? (n.output = []);
  if (list.length === 0) return;
  list[r.int(list.length)] = r.chance(0.6) ? r.pick(valueNames(m)) : r.pick(["", "x", "fresh_name", "a/b:0"]);
};

const mutateOpType: Mutator = (m, r) => {
  const nodes = allNodes(m);
  if (nodes.length === 0) return;
  const n = r.pick(nodes);
  n.opType = r.chance(0.85) ? r.pick(supportedOnnxOps()) : r.pick(["Foo", "", "conv", "Loop", "Scan"]);
  if (r.chance(0.1)) n.domain = r.pick(["com.microsoft", "ai.onnx.ml", "bogus"]);
};

const mutateWiring: Mutator = (m, r) => {
  const graphs = allGraphs(m.graph!).filter((g) => (g.node?.length ?? 0) > 0);
  if (graphs.length === 0) return;
  const g = r.pick(graphs);
  const nodes = g.node!;
  const n = r.pick(nodes);
  const inputs = n.input ?? (n.input = []);
  switch (r.int(7)) {
    case 0: if (inputs.length > 1) { const i = r.int(inputs.length), j = r.int(inputs.length); [inputs[i], inputs[j]] = [inputs[j]!, inputs[i]!]; } break;
    case 1: if (inputs.length > 0) inputs[r.int(inputs.length)] = r.pick(valueNames(m)); break;
    case 2: nodes.splice(nodes.indexOf(n), 1); break; // its readers lose their producer
    case 3: nodes.splice(r.int(nodes.length + 1), 0, { ...n, name: `${n.name ?? ""}_dup` }); break; // outputs defined twice
    case 4: if (inputs.length > 0) inputs.splice(r.int(inputs.length), 1); else inputs.push(r.pick(valueNames(m))); break;
    case 5: inputs.push(r.chance(0.5) ? "" : r.pick(valueNames(m))); break;
    default: { // move a node: breaks topological order
      const [x] = nodes.splice(nodes.indexOf(n), 1);
      nodes.splice(r.int(nodes.length + 1), 0, x!);
    }
  }
};

const mutateGraphIO: Mutator = (m, r) => {
  const g = m.graph!;
  const ins = g.input ?? (g.input = []);
  const outs = g.output ?? (g.output = []);
  switch (r.int(6)) {
    case 0: if (outs.length > 0) outs.splice(r.int(outs.length), 1); break;
    case 1: outs.push({ ...(outs[0] ?? {}), name: r.pick(valueNames(m)) }); break;
    case 2: if (ins.length > 0) ins.splice(r.int(ins.length), 1); break;
    case 3: if (outs.length > 0 && ins.length > 0) outs[r.int(outs.length)] = { ...outs[0], name: r.pick(ins).name }; break;
    case 4: ins.push({ ...(ins[0] ?? {}), name: r.pick(valueNames(m)) }); break; // an input shadowing a node output or initializer
    default: if (outs.length > 1) outs.push({ ...r.pick(outs) }); // the same output twice
  }
};

const mutateOpset: Mutator = (m, r) => {
  const imports = m.opsetImport ?? (m.opsetImport = []);
  const op = r.int(4);
  if (op === 0) m.opsetImport = [];
  else if (op === 1) imports.push({ domain: r.pick(["", "ai.onnx", "com.microsoft"]), version: r.int(26) });
  else if (imports.length > 0) imports[0] = { domain: imports[0]!.domain ?? "", version: r.chance(0.7) ? 11 + r.int(11) : r.pick(INTERESTING_INTS) };
  if (r.chance(0.2)) m.irVersion = r.pick([0, 1, 3, 7, 8, 9, 10, 99]);
};

/** A random permutation of 0..n-1. */
function permutation(n: number, r: Rand): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * A new node (mostly valid for the value's rank) on a float value, built from
 * the ops the importer converts, with its constant operands as i64 / f32
 * initializers. Returns the node; its output is `out`.
 */
function newNode(g: GraphProto, r: Rand, v: string, out: string, dims: number[]): NodeProto {
  const rank = dims.length;
  const axis = r.chance(0.8) ? r.int(Math.max(rank, 1)) - (r.chance(0.3) ? rank : 0) : r.pick([rank, -rank - 1, 7]);
  const konst = (dtype: "i64" | "f32", values: number[], shape = [values.length]): string => {
    const name = `${out}_c${g.initializer?.length ?? 0}`;
    (g.initializer ??= []).push(tensor(name, dtype, shape, values));
    return name;
  };
  const n = (opType: string, input: string[], attribute: AttributeProto[] = []): NodeProto => ({ name: out, opType, input, output: [out], attribute });
  const spatial = Math.max(rank - 2, 1);
  const ints = (name: string, xs: number[]): AttributeProto => ({ name, type: 7, ints: xs });
  switch (r.int(16)) {
    case 0: return n(r.pick(["Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp", "HardSwish", "Identity", "Sqrt", "Log"]), [v]);
    case 1: return n(r.pick(["LeakyRelu", "HardSigmoid"]), [v], [{ name: "alpha", type: 1, f: r.pick([0.01, 0.2, 0, -1, 5]) }]);
    case 2: return n(r.pick(["Softmax", "LogSoftmax"]), [v], [{ name: "axis", type: 2, i: axis }]);
    case 3: return n(r.pick(["Add", "Mul", "Sub", "Div", "Max", "Min"]), [v, r.chance(0.5) ? v : konst("f32", [r.pick([0.5, 2, -1, 0, 1e-3])], [])]);
    case 4: return n("Transpose", [v], [ints("perm", permutation(rank, r))]);
    case 5: return n("Concat", [v, v], [{ name: "axis", type: 2, i: axis }]);
    case 6: { // slice one axis
      const d = dims[((axis % Math.max(rank, 1)) + rank) % Math.max(rank, 1)] ?? 1;
      const start = r.int(Math.max(d, 1));
      return n("Slice", [v, konst("i64", [start]), konst("i64", [r.chance(0.8) ? start + 1 + r.int(Math.max(d - start, 1)) : r.pick([2 ** 31 - 1, -1, 0])]), konst("i64", [axis]), konst("i64", [r.pick([1, 1, 2, 3, -1])])]);
    }
    case 7: { // pad the last axes
      const pads = new Array(2 * rank).fill(0);
      pads[rank - 1] = r.int(3);
      pads[2 * rank - 1] = r.int(3);
      return n("Pad", [v, konst("i64", pads)], [{ name: "mode", type: 3, s: new TextEncoder().encode(r.pick(["constant", "reflect", "edge"])) }]);
    }
    case 8: return n("Unsqueeze", [v, konst("i64", [r.int(rank + 1)])]);
    case 9: return n("Reshape", [v, konst("i64", r.pick([[-1], [1, -1], [dims[0] ?? 1, -1, 1], [0, -1]]))]);
    case 10: return n("Flatten", [v], [{ name: "axis", type: 2, i: r.int(rank + 1) }]);
    case 11: return n(r.pick(["ReduceMean", "ReduceMax"]), [v], [ints("axes", [axis]), { name: "keepdims", type: 2, i: r.int(2) }]);
    case 12: { // pooling over the spatial axes
      const k = Array.from({ length: spatial }, () => 1 + r.int(3));
      return n(r.pick(["MaxPool", "AveragePool"]), [v], [ints("kernel_shape", k), ints("strides", k.map(() => 1 + r.int(2))), ints("pads", [...k, ...k].map((x) => r.int(x)))]);
    }
    case 13: return n(r.pick(["GlobalAveragePool", "GlobalMaxPool"]), [v]);
    case 14: { // a conv on the channel axis
      const c = dims[1] ?? 1;
      const k = Array.from({ length: spatial }, () => r.pick([1, 1, 3, 5]));
      const group = r.chance(0.3) ? c : 1;
      const o = group === c && r.chance(0.5) ? c : 1 + r.int(6);
      const w = Array.from({ length: o * (c / group) * k.reduce((a, b) => a * b, 1) }, () => r.float() - 0.5);
      return n("Conv", [v, konst("f32", w, [o, c / group, ...k])], [ints("kernel_shape", k), ints("pads", [...k, ...k].map((x) => x >> 1)), ints("strides", k.map(() => 1 + r.int(2))), { name: "group", type: 2, i: group }]);
    }
    default: { // a matmul against a constant of fitting inner size
      const inner = dims[rank - 1] ?? 1;
      const o = 1 + r.int(6);
      return n("MatMul", [v, konst("f32", Array.from({ length: inner * o }, () => r.float() - 0.5), [inner, o])]);
    }
  }
}

/** Insert a node after a float value of known shape and move one of its readers (or a graph output) onto it. */
const mutateInsert: Mutator = (m, r) => {
  const g = m.graph!;
  const nodes = g.node ?? (g.node = []);
  const shapes = new Map<string, number[]>();
  for (const v of valueInfos(m)) {
    const t = v.type?.tensorType;
    if (t?.elemType === 1 && t.shape?.dim && t.shape.dim.every((d) => d.dimValue !== undefined && d.dimValue !== null)) {
      shapes.set(v.name ?? "", t.shape.dim.map((d) => Number(d.dimValue)));
    }
  }
  const candidates = [...shapes.keys()].filter((name) => nodes.some((n) => n.output?.includes(name)) || (g.input ?? []).some((i) => i.name === name));
  if (candidates.length === 0) return;
  const v = r.pick(candidates);
  const out = `fuzz_${r.int(1e9)}`;
  const node = newNode(g, r, v, out, shapes.get(v)!);
  const producer = nodes.findIndex((n) => n.output?.includes(v));
  nodes.splice(producer + 1, 0, node);
  const readers = nodes.filter((n) => n !== node && n.input?.includes(v));
  const outputs = (g.output ?? []).filter((o) => o.name === v);
  if (readers.length > 0 && (outputs.length === 0 || r.chance(0.7))) {
    const n = r.pick(readers);
    n.input![n.input!.indexOf(v)] = out;
  } else if (outputs.length > 0) {
    outputs[0]!.name = out;
    outputs[0]!.type = { tensorType: { elemType: 1 } }; // shape unknown: the importer infers it
  } else {
    (g.output ??= []).push({ name: out, type: { tensorType: { elemType: 1 } } });
  }
};

const MUTATORS: [Mutator, number][] = [
  [mutateInsert, 6],
  [mutateDim, 3], [mutateInitDims, 2], [mutateDtype, 2], [mutateAttribute, 4], [mutateInitData, 2],
  [mutateName, 2], [mutateOpType, 2], [mutateWiring, 3], [mutateGraphIO, 1], [mutateOpset, 1],
];
const TOTAL_WEIGHT = MUTATORS.reduce((s, [, w]) => s + w, 0);

function pickMutator(r: Rand): Mutator {
  let x = r.float() * TOTAL_WEIGHT;
  for (const [f, w] of MUTATORS) {
    if ((x -= w) < 0) return f;
  }
  return MUTATORS[0]![0];
}

export function mutateStructure(src: Uint8Array, r: Rand): Uint8Array {
  const m = onnx.ModelProto.decode(src);
  if (!m.graph) return mutateBytes(src, r);
  const rounds = 1 + r.int(3);
  for (let k = 0; k < rounds; k++) pickMutator(r)(m, r);
  try {
    return onnx.ModelProto.encode(m).finish();
  } catch {
    return mutateBytes(src, r); // a value the encoder refuses: fall back to a byte-level case
  }
}

/** One mutated model: 30% byte-level, 70% structure-aware (1–3 edits), a few both. */
export function mutateModel(src: Uint8Array, r: Rand): Uint8Array {
  if (r.chance(0.3)) return mutateBytes(src, r);
  const out = mutateStructure(src, r);
  return r.chance(0.1) ? mutateBytes(out, r) : out;
}

export interface FuzzCase {
  index: number;
  seedName: string;
  bytes: Uint8Array;
}

/** Case `index` of the campaign `seed`: which seed model, and how it is mutated. */
export function fuzzCase(seeds: readonly { name: string; bytes: Uint8Array; weight: number }[], seed: number, index: number): FuzzCase {
  const r = new Rand(caseSeed(seed, index));
  let x = r.float() * seeds.reduce((t, s) => t + s.weight, 0);
  const s = seeds.find((c) => (x -= c.weight) < 0) ?? seeds[seeds.length - 1]!;
  return { index, seedName: s.name, bytes: mutateModel(s.bytes, r) };
}
