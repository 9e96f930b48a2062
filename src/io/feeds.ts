// Building input tensors for a graph: from files named on the command line
// (.npy or .wav), or deterministic random data; and writing result tensors as
// .npy files atomically.
import nodePath from "node:path";
import { UserError } from "../ir/errors.js";
import type { Graph, TensorType } from "../ir/graph.js";
import { allocArray } from "../ir/dtype.js";
import { mulberry32 } from "../ir/prng.js";
import { fmtShape, numel, type Tensor } from "../ir/tensor.js";
import { castTensor } from "../ops/shape/cast.js";
import { writeDirInterruptibly } from "./atomic_dir.js";
import { encodeNpy, readNpy } from "./npy.js";
import { readWav } from "./wav.js";

export interface InputSpec {
  /** Graph input name; null for a bare path (allowed when the graph has one input). */
  name: string | null;
  path: string;
}

/** Parse "name=file" (or a bare "file"). */
export function parseInputSpec(spec: string): InputSpec {
  const eq = spec.indexOf("=");
  if (eq < 0) {
    if (spec === "") throw new UserError("empty input spec: expected name=file");
    return { name: null, path: spec };
  }
  const name = spec.slice(0, eq).trim();
  const path = spec.slice(eq + 1).trim();
  if (!name || !path) throw new UserError(`input spec "${spec}": expected name=file`);
  return { name, path };
}

export interface LoadFeedOptions {
  /** For .wav files: the model's rate (other rates are resampled to it; see readWav). */
  expectRate?: number;
  /** Input name for messages. */
  inputName?: string;
}

/**
 * Load a .npy or .wav file as a tensor of `type` (reshaped when the element
 * counts match; numeric .npy data is converted to the input's dtype).
 */
export function loadFeed(path: string, type: TensorType, opts: LoadFeedOptions = {}): Tensor {
  const ext = nodePath.extname(path).toLowerCase();
  let t: Tensor;
  if (ext === ".npy") t = readNpy(path);
  else if (ext === ".wav") {
    const { samples } = readWav(path, opts.expectRate !== undefined ? { expectRate: opts.expectRate } : {});
    t = { dtype: "f32", shape: [samples.length], data: samples };
  } else throw new UserError(`${path}: unknown input file type "${ext}" (expected .npy or .wav)`);
  const want = numel(type.shape);
  const who = opts.inputName ? `input ${opts.inputName}` : "the input";
  if (t.data.length !== want) {
    throw new UserError(`${path}: ${t.data.length} elements ${fmtShape(t.shape)}, ${who} expects ${fmtShape(type.shape)} (${want} elements)`);
  }
  if (t.dtype !== type.dtype) {
    if (t.dtype === "bool" || type.dtype === "bool") throw new UserError(`${path}: dtype ${t.dtype}, ${who} expects ${type.dtype}`);
    t = castTensor(t, type.dtype);
  }
  return { dtype: type.dtype, shape: [...type.shape], data: t.data };
}

/** Load feeds for `g` from specs; every graph input must be given exactly once. */
export function loadFeeds(g: Graph, specs: InputSpec[], opts: { expectRate?: number } = {}): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const s of specs) {
    let name = s.name;
    if (name === null) {
      if (g.inputs.length !== 1) throw new UserError(`${s.path}: the model has ${g.inputs.length} inputs (${g.inputs.map((v) => v.name).join(", ")}); use name=file`);
      name = g.inputs[0]!.name;
    }
    const v = g.inputs.find((i) => i.name === name);
    if (!v) throw new UserError(`input spec ${name}=${s.path}: no input named ${name} (inputs: ${g.inputs.map((i) => i.name).join(", ")})`);
    if (feeds[name]) throw new UserError(`input ${name} is given twice`);
    feeds[name] = loadFeed(s.path, v.type, { ...opts, inputName: name });
  }
  for (const v of g.inputs) {
    if (!feeds[v.name]) throw new UserError(`missing input ${v.name}: expected ${v.dtype}${fmtShape(v.shape)} (give ${v.name}=file.npy)`);
  }
  return feeds;
}

/** Uniform [-1, 1) data for f32 inputs (inputs in order share one stream); other dtypes get zeros. */
export function randomFeeds(g: Graph, seed = 0): Record<string, Tensor> {
  const rnd = mulberry32(seed);
  const feeds: Record<string, Tensor> = {};
  for (const v of g.inputs) {
    const data = allocArray(v.dtype, v.numel);
    if (v.dtype === "f32") for (let i = 0; i < data.length; i++) data[i] = rnd() * 2 - 1;
    feeds[v.name] = { dtype: v.dtype, shape: [...v.shape], data };
  }
  return feeds;
}

/** A value name made safe as a file name. */
export function npyFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, "_") || "tensor"}.npy`;
}

/**
 * Write each tensor as <dir>/<name>.npy, all or nothing: the files go to a
 * temporary directory beside `dir` and are moved into place only after all
 * were written (see writeDirInterruptibly: a signal removes them). Returns
 * the written paths.
 */
export async function atomicWriteNpyFiles(dir: string, tensors: Record<string, Tensor>): Promise<string[]> {
  const files = new Map<string, Uint8Array>();
  for (const [k, t] of Object.entries(tensors)) {
    const f = npyFileName(k);
    if (files.has(f)) throw new UserError(`two outputs map to the file name ${f} (${k})`);
    files.set(f, encodeNpy(t));
  }
  await writeDirInterruptibly(dir, files, { mode: "merge" });
  return [...files.keys()].map((f) => nodePath.join(nodePath.resolve(dir), f));
}

/** Load the feeds the specs name (a bare path when the graph has one input); other inputs are left out. */
export function loadFeedsPartial(g: Graph, specs: InputSpec[], opts: { expectRate?: number } = {}): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const s of specs) {
    let name = s.name;
    if (name === null) {
      if (g.inputs.length !== 1) throw new UserError(`--input ${s.path}: the model has ${g.inputs.length} inputs (${g.inputs.map((v) => v.name).join(", ")}); use name=file`);
      name = g.inputs[0]!.name;
    }
    const v = g.inputs.find((i) => i.name === name);
    if (!v) throw new UserError(`--input ${name}=${s.path}: no input named ${name} (inputs: ${g.inputs.map((i) => i.name).join(", ")})`);
    if (feeds[name]) throw new UserError(`--input ${name} is given twice`);
    feeds[name] = loadFeed(s.path, v.type, { ...opts, inputName: name });
  }
  return feeds;
}
