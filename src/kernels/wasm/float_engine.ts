/**
 * Loads the WebAssembly SIMD float GEMM (float.wat) on first use, in its own linear memory so the
 * float interpreter never disturbs the int8 kernels' resident filters. Null when SIMD is missing
 * or the wasm kernels are switched off for testing (the callers keep their TypeScript loops).
 */
import { instantiateSimd, wasmKernelsEnabled } from './engine.js';
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
