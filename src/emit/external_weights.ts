// External-weights mode: large int8 constants are not compiled into the image
// but live in <name>_weights.bin; the generated code fetches the ones a step
// reads, through the application's <name>_read_weights callback, into one
// static staging buffer just before that step. The buffer is sized statically
// for the largest constant group of a single step (every step reuses it from
// offset 0), so an MCU needs RAM for one layer's weights, not the model's.
import { bytesPerElement } from "../ir/dtype.js";
import { IRError } from "../ir/errors.js";
import type { Value } from "../ir/graph.js";
import { errorCode } from "./c_api.js";

/** Blob entries and staging slots start at multiples of this (SIMD loads, any C type). */
export const EXTERNAL_ALIGN = 16;
/**
 * Zero bytes after every blob entry: a fetch may include the zero elements a
 * kernel over-reads (ctx.ptr's `pad`), which must come from the blob as zeros.
 */
const TRAILING_ZEROS = 16;
/** Default smallest constant moved out of the image (smaller ones stay in <name>_weights.c). */
export const DEFAULT_EXTERNAL_MIN_BYTES = 1024;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export interface BlobEntry {
  value: Value;
  offset: number;
  bytes: number;
}

/** A constant fetched for the step being emitted. */
export interface StagedConst {
  value: Value;
  blobOffset: number;
  stageOffset: number;
  /** Bytes fetched: the data and the step's over-read padding. */
  bytes: number;
}

export interface Staging {
  minBytes: number;
  /** Every external constant, in first-use order (deterministic: the schedule's order). */
  blob: Map<Value, BlobEntry>;
  blobBytes: number;
  /** Constants the current step reads; null outside the schedule's steps (they keep image constants). */
  step: StagedConst[] | null;
  stepBytes: number;
  /** Largest stepBytes seen: the staging buffer's size. */
  stageBytes: number;
}

export function newStaging(minBytes = DEFAULT_EXTERNAL_MIN_BYTES): Staging {
  return { minBytes, blob: new Map(), blobBytes: 0, step: null, stepBytes: 0, stageBytes: 0 };
}

/** Only the big tables (int8 filters) go out; multipliers, shifts, biases, sums and LUTs stay. */
export function isExternal(s: Staging, v: Value): boolean {
  return v.dtype === "i8" && v.numel >= s.minBytes;
}

export function beginStep(s: Staging): void {
  s.step = [];
  s.stepBytes = 0;
}

/** The staging-buffer pointer expression of constant v for the current step, or null (v stays in the image). */
export function stageConst(s: Staging, v: Value, pad: number): string | null {
  if (!s.step || !isExternal(s, v)) return null;
  const el = bytesPerElement(v.dtype);
  const bytes = (v.numel + pad) * el;
  if (pad * el > TRAILING_ZEROS) throw new IRError(`emit: constant ${v.name}: over-read padding of ${pad} elements exceeds the external blob's ${TRAILING_ZEROS} zero bytes`);
  let entry = s.blob.get(v);
  if (!entry) {
    entry = { value: v, offset: s.blobBytes, bytes: v.numel * el };
    s.blob.set(v, entry);
    s.blobBytes = alignUp(s.blobBytes + entry.bytes + TRAILING_ZEROS, EXTERNAL_ALIGN);
  }
  let staged = s.step.find((x) => x.value === v);
  if (staged && staged.bytes < bytes) {
    throw new IRError(`emit: constant ${v.name} is read with more over-read padding after its slot was placed`);
  }
  if (!staged) {
    staged = { value: v, blobOffset: entry.offset, stageOffset: s.stepBytes, bytes };
    s.step.push(staged);
    s.stepBytes = alignUp(s.stepBytes + bytes, EXTERNAL_ALIGN);
    s.stageBytes = Math.max(s.stageBytes, s.stepBytes);
  }
  return `STAGE(${v.dtype === "i8" ? "int8_t" : "void"}, ${staged.stageOffset})`;
}

/** Ends the step: the C lines fetching its constants (to go before its kernel calls). */
export function endStep(s: Staging, prefix: string, step: number, comment: (t: string) => string): string[] {
  const staged = s.step ?? [];
  s.step = null;
  const out: string[] = [];
  for (const c of staged) {
    out.push(comment(`fetch ${c.value.name}: ${c.bytes} B at ${c.blobOffset} of ${prefix}_weights.bin`));
    out.push(`if (${prefix}_read_weights(${c.blobOffset}u, STAGE(void, ${c.stageOffset}), ${c.bytes}u) != 0)`);
    out.push(`    return ${errorCode(prefix, "WEIGHTS_READ_FAILED", step)};`);
  }
  return out;
}

/** <name>_weights.bin: the entries at their offsets, zeros between (and after the last). */
export function weightsBlob(s: Staging): Uint8Array {
  const out = new Uint8Array(s.blobBytes);
  for (const e of s.blob.values()) {
    const d = e.value.data;
    if (!d) throw new IRError(`emit: constant ${e.value.name} has no data`);
    out.set(new Uint8Array(d.buffer, d.byteOffset, e.bytes), e.offset);
  }
  return out;
}
