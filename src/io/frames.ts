// Per-frame outputs of a streamed model as files: one <output>.npy per output
// holding every frame ([frames, ...output shape]), and frames.csv with one row
// per frame (index, start time, and each output that has a single element,
// such as a speech probability).
import { UserError } from "../ir/errors.js";
import type { Tensor } from "../ir/tensor.js";
import { allocArray } from "../ir/dtype.js";
import { writeDirInterruptibly } from "./atomic_dir.js";
import { npyFileName } from "./feeds.js";
import { encodeNpy } from "./npy.js";

export const FRAMES_CSV = "frames.csv";

/** The frames of each output stacked along a new first axis. */
export function stackFrames(frames: Record<string, Tensor>[]): Record<string, Tensor> {
  const first = frames[0];
  if (!first) return {};
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(first)) {
    const data = allocArray(t.dtype, frames.length * t.data.length);
    frames.forEach((f, i) => data.set(f[name]!.data as never, i * t.data.length));
    out[name] = { dtype: t.dtype, shape: [frames.length, ...t.shape], data };
  }
  return out;
}

/** frames.csv: `frame,start_s,<output>...` for the single-element outputs, one row per frame. */
export function framesCsv(frames: Record<string, Tensor>[], frameSamples: number, sampleRate: number): string {
  const cols = Object.entries(frames[0] ?? {}).filter(([, t]) => t.data.length === 1).map(([k]) => k);
  const esc = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [["frame", "start_s", ...cols.map(esc)].join(",")];
  frames.forEach((f, i) => rows.push([String(i), String((i * frameSamples) / sampleRate), ...cols.map((c) => String(f[c]!.data[0]))].join(",")));
  return rows.join("\n") + "\n";
}

/** Write frames.csv and one stacked .npy per output under `dir`, all or nothing; returns the file names. */
export async function writeFrames(dir: string, frames: Record<string, Tensor>[], frameSamples: number, sampleRate: number): Promise<string[]> {
  const files = new Map<string, string | Uint8Array>([[FRAMES_CSV, framesCsv(frames, frameSamples, sampleRate)]]);
  for (const [name, t] of Object.entries(stackFrames(frames))) {
    const f = npyFileName(name);
    if (files.has(f)) throw new UserError(`two outputs map to the file name ${f} (${name})`);
    files.set(f, encodeNpy(t));
  }
  await writeDirInterruptibly(dir, files, { mode: "merge" });
  return [...files.keys()];
}
