// Test support: run a graph through our float interpreter and, exported, through
// ONNX Runtime, and report the per-output relative error max|a−b| / max|b|
// (b = ONNX Runtime, the independent implementation). Imported by tests only,
// because onnxruntime-node is a dev dependency.
import * as ort from "onnxruntime-node";
import { randn } from "../../src/ir/prng.js";
import type { Graph } from "../../src/ir/graph.js";
import { makeTensor, numel, type Tensor } from "../../src/ir/tensor.js";
import { runFloat } from "../../src/interp/float.js";
import { exportOnnx } from "../../src/export/onnx.js";

export interface OutputDiff {
  name: string;
  shape: number[];
  maxAbsDiff: number;
  maxAbsRef: number;
  relError: number;
}

/** Seeded N(0, 1) feeds for every f32 graph input (integer inputs get zeros). */
export function seededFeeds(g: Graph, seed: number): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  g.inputs.forEach((v, i) => {
    feeds[v.name] = v.dtype === "f32" ? makeTensor("f32", v.shape, randn(seed + i, numel(v.shape))) : makeTensor(v.dtype, v.shape);
  });
  return feeds;
}

const ORT_TYPE: Record<string, string> = { f32: "float32", i8: "int8", u8: "uint8", i16: "int16", i32: "int32", bool: "bool" };

export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, { dims: readonly number[]; data: ArrayLike<number> }>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [k, t] of Object.entries(feeds)) {
      const type = t.dtype === "i64" ? "int64" : ORT_TYPE[t.dtype];
      const data = t.dtype === "i64" ? BigInt64Array.from(Array.from(t.data, (x) => BigInt(x))) : t.data;
      ortFeeds[k] = new ort.Tensor(type as "float32", data as Float32Array, t.shape);
    }
    const res = await session.run(ortFeeds);
    const out: Record<string, { dims: readonly number[]; data: ArrayLike<number> }> = {};
    for (const [k, v] of Object.entries(res)) out[k] = { dims: v.dims, data: v.data as ArrayLike<number> };
    return out;
  } finally {
    await session.release();
  }
}

/** Export `g`, run both engines on `feeds`, and diff every graph output. */
export async function compareWithOrt(g: Graph, feeds: Record<string, Tensor>): Promise<OutputDiff[]> {
  const bytes = exportOnnx(g);
  const ref = await runOrt(bytes, feeds);
  const ours = runFloat(g, feeds);
  return g.outputs.map((o) => {
    const a = ours[o.name];
    const b = ref[o.name];
    if (!a || !b) throw new Error(`output ${o.name} missing (ours: ${!!a}, ORT: ${!!b})`);
    if (a.shape.join() !== b.dims.join()) throw new Error(`output ${o.name}: shape [${a.shape}] vs ORT [${b.dims}]`);
    let maxAbsDiff = 0, maxAbsRef = 0;
    for (let i = 0; i < a.data.length; i++) {
      const x = Number(a.data[i]!), y = Number(b.data[i]!);
      if (Number.isNaN(x) !== Number.isNaN(y)) return { name: o.name, shape: a.shape, maxAbsDiff: NaN, maxAbsRef: NaN, relError: Infinity };
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
      maxAbsRef = Math.max(maxAbsRef, Math.abs(y));
    }
    return { name: o.name, shape: a.shape, maxAbsDiff, maxAbsRef, relError: maxAbsRef > 0 ? maxAbsDiff / maxAbsRef : maxAbsDiff };
  });
}

export function fmtDiffs(label: string, diffs: OutputDiff[]): string {
  return diffs.map((d) => `${label} ${d.name}[${d.shape}]: max|Δ| ${d.maxAbsDiff.toExponential(3)}, max|ref| ${d.maxAbsRef.toExponential(3)}, rel ${d.relError.toExponential(3)}`).join("\n");
}
