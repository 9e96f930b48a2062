/**
 * Loads the WebAssembly SIMD kernels (kernels.wat, embedded as base64 by scripts/build-wasm.mjs) once,
 * synchronously, and manages their single linear memory. Returns null — and the callers keep their
 * plain TypeScript paths — when WebAssembly or its fixed-width SIMD proposal is unavailable.
 */
import { WASM_BASE64 } from './kernels_wasm.js';

type Fn = (...args: number[]) => void;
export interface WasmKernels {
  memory: WebAssembly.Memory;
  gemm_r4c2: Fn;
  gemm_r1c4: Fn;
  depthwise: Fn;
  im2col: Fn;
  add_s8: Fn;
  mul_s8: Fn;
}

/** Smallest module using a v128 instruction: `(func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)`. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

let loaded: WasmKernels | null | undefined;
let enabled = true;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function load(): WasmKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) return null;
    const mod = new WebAssembly.Module(decodeBase64(WASM_BASE64));
    loaded = new WebAssembly.Instance(mod, {}).exports as unknown as WasmKernels;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** The kernels, or null (no SIMD support, or disabled for testing). */
export function wasmKernels(): WasmKernels | null {
  return enabled ? load() : null;
}

/** True when the SIMD kernels can run on this engine (regardless of the test switch). */
export function wasmSimdAvailable(): boolean {
  return load() !== null;
}

/**
 * Test / benchmarking switch: false forces every kernel onto its plain TypeScript optimized path.
 * Returns the previous setting.
 */
export function setWasmKernelsEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

/** Byte views of the memory, refreshed after every grow (growing detaches the old buffer). */
export interface Views { i8: Int8Array; i16: Int16Array; i32: Int32Array }
let views: Views | null = null;
let viewBuffer: ArrayBuffer | null = null;

/** Makes the memory at least `bytes` long and returns fresh views. */
export function reserve(k: WasmKernels, bytes: number): Views {
  const mem = k.memory;
  const have = mem.buffer.byteLength;
  if (have < bytes) mem.grow(Math.ceil((bytes - have) / 65536));
  if (views === null || viewBuffer !== mem.buffer) {
    const b = mem.buffer;
    views = { i8: new Int8Array(b), i16: new Int16Array(b), i32: new Int32Array(b) };
    viewBuffer = b;
  }
  return views;
}

/** Bump layout helper: each region 16-byte aligned (v128 loads, int16/int32 views). */
export class Layout {
  end = 0;
  take(bytes: number): number {
    const at = this.end;
    this.end = (at + bytes + 15) & ~15;
    return at;
  }
}
