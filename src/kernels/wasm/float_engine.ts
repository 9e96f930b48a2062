/**
 * Loads the WebAssembly SIMD float GEMM (float.wat) on first use, in its own linear memory so the
 * float interpreter never disturbs the int8 kernels' resident filters. Null when SIMD is missing
 * or the wasm kernels are switched off for testing (the callers keep their TypeScript loops).
 */
import { instantiateSimd, sameSample, wasmKernelsEnabled } from './engine.js';
import { WASM_BASE64 } from './float_wasm.js';

export interface FloatKernels {
  memory: WebAssembly.Memory;
  /** (a, lda, b, n, c, bias, m, k): c = bias + a·b, byte addresses, see float.wat. */
  sgemm: (a: number, lda: number, b: number, n: number, c: number, bias: number, m: number, k: number) => void;
}

let loaded: FloatKernels | null | undefined;
let view: Float32Array | null = null;

export function floatKernels(): FloatKernels | null {
  if (!wasmKernelsEnabled()) return null;
  if (loaded === undefined) loaded = instantiateSimd(WASM_BASE64) as unknown as FloatKernels | null;
  return loaded;
}

/** Grows the memory to at least `bytes` and returns a float view of all of it (a grow detaches the old one). */
export function floatMemory(k: FloatKernels, bytes: number): Float32Array {
  const have = k.memory.buffer.byteLength;
  if (have < bytes) k.memory.grow(Math.ceil((bytes - have) / 65536));
  if (view === null || view.buffer !== k.memory.buffer) view = new Float32Array(k.memory.buffer);
  return view;
}

/**
 * Resident weights: a calibration runs the same graph 8–24 times, and Wav2Letter's 34 M weights
 * (twice: float and dequantized) would otherwise be copied into linear memory on every run. Found
 * again by array identity; as for the int8 filters, 64 sampled bytes are compared on every use
 * and the copy is refreshed when a caller rewrote the array in place.
 */
const RESIDENT_MIN_FLOATS = 1 << 14;
const RESIDENT_MAX_BYTES = 1 << 30;
interface Resident { at: number; sample: Int8Array }
let residents = new WeakMap<Float32Array, Resident>();
let residentEnd = 0;

const bytesOf = (w: Float32Array): Int8Array => new Int8Array(w.buffer, w.byteOffset, w.byteLength);

/** First byte free for per-call scratch (after the resident weights). */
export function scratchStart(): number {
  return residentEnd;
}

/**
 * Byte address of `w` kept in linear memory across calls, or -1 when it is too small to be worth
 * keeping (the caller copies it into its scratch). Call before laying out the scratch.
 */
export function residentWeights(k: FloatKernels, w: Float32Array): number {
  if (w.length < RESIDENT_MIN_FLOATS) return -1;
  const e = residents.get(w);
  if (e) {
    if (!sameSample(bytesOf(w), w.byteLength, e.sample)) floatMemory(k, residentEnd).set(w, e.at >> 2);
    return e.at;
  }
  const bytes = (w.byteLength + 15) & ~15;
  if (residentEnd + bytes > RESIDENT_MAX_BYTES) {
    residents = new WeakMap();
    residentEnd = 0;
  }
  const at = residentEnd;
  residentEnd += bytes;
  const sample = new Int8Array(64);
  sameSample(bytesOf(w), w.byteLength, sample);
  floatMemory(k, residentEnd).set(w, at >> 2);
  residents.set(w, { at, sample });
  return at;
}
