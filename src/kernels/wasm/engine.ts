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
  lut_s8: Fn;
  lstm_gates: Fn;
  max_pool: Fn;
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

/** Instantiates a generated SIMD module (base64 from scripts/build-wasm.mjs); null when the engine lacks SIMD. */
export function instantiateSimd(base64: string): WebAssembly.Exports | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(base64)), {}).exports;
  } catch {
    return null;
  }
}

function load(): WasmKernels | null {
  if (loaded === undefined) loaded = instantiateSimd(WASM_BASE64) as unknown as WasmKernels | null;
  return loaded;
}

/** The test switch below, for the other SIMD modules (the float GEMM) that follow it. */
export function wasmKernelsEnabled(): boolean {
  return enabled;
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
export interface Views { i8: Int8Array; i16: Int16Array; i32: Int32Array; f64: Float64Array }
let views: Views | null = null;
let viewBuffer: ArrayBuffer | null = null;

/** Makes the memory at least `bytes` long and returns fresh views. */
export function reserve(k: WasmKernels, bytes: number): Views {
  const mem = k.memory;
  const have = mem.buffer.byteLength;
  if (have < bytes) mem.grow(Math.ceil((bytes - have) / 65536));
  if (views === null || viewBuffer !== mem.buffer) {
    const b = mem.buffer;
    views = { i8: new Int8Array(b), i16: new Int16Array(b), i32: new Int32Array(b), f64: new Float64Array(b) };
    viewBuffer = b;
  }
  return views;
}

/**
 * Per-call scratch layout, placed after the resident filters: each region 16-byte aligned
 * (v128 loads, int16/int32 views). Take every region before calling `reserve`.
 */
export class Layout {
  end = residentEnd;
  take(bytes: number): number {
    const at = this.end;
    this.end = (at + bytes + 15) & ~15;
    return at;
  }
}

/**
 * Resident filters: large filters are copied into linear memory once and found again by array
 * identity, so a model's weights are not re-copied on every inference. Filters are constants in
 * CMSIS-NN (they live in flash); as a guard against a caller rewriting a filter array in place,
 * 64 sampled bytes plus both ends are compared on every use and the copy is refreshed on a mismatch.
 * Call `clearWasmFilterCache()` after an in-place edit that those samples could miss.
 */
const RESIDENT_MIN_BYTES = 1 << 16;
const RESIDENT_MAX_BYTES = 1 << 28;
const SAMPLES = 64;
interface Resident { gen: number; at: number; len: number; sample: Int8Array }
let residents = new WeakMap<Int8Array, Resident>();
let residentGen = 0;
let residentEnd = 0;

/**
 * Compares 64 bytes of `src[0, len)` (both ends and evenly spaced ones) with `into`, overwriting
 * `into` with the current values; true when nothing changed.
 */
export function sameSample(src: Int8Array, len: number, into: Int8Array): boolean {
  let same = true;
  for (let i = 0; i < SAMPLES; i++) {
    const j = i < SAMPLES - 2 ? Math.floor((i * len) / (SAMPLES - 2)) : i === SAMPLES - 2 ? 0 : len - 1;
    const v = src[j];
    if (into[i] !== v) { same = false; into[i] = v; }
  }
  return same;
}

/** Drops every resident filter (they are re-copied on next use). */
export function clearWasmFilterCache(): void {
  residents = new WeakMap();
  blocks = new WeakMap();
  residentGen++;
  residentEnd = 0;
}

/**
 * Address of the first `len` bytes of `filter` in linear memory, followed by at least 16 readable
 * bytes; -1 when the filter is too small to keep resident (the caller copies it into its scratch).
 * Must be called before the call's `Layout` is created.
 */
export function residentFilter(k: WasmKernels, filter: Int8Array, len: number): number {
  if (len < RESIDENT_MIN_BYTES) return -1;
  let e = residents.get(filter);
  if (e && e.gen === residentGen && e.len === len) {
    if (!sameSample(filter, len, e.sample)) reserve(k, residentEnd).i8.set(filter.subarray(0, len), e.at);
    return e.at;
  }
  const bytes = (len + 16 + 15) & ~15;
  if (residentEnd + bytes > RESIDENT_MAX_BYTES) clearWasmFilterCache();
  const at = residentEnd;
  residentEnd += bytes;
  e = { gen: residentGen, at, len, sample: new Int8Array(SAMPLES) };
  sameSample(filter, len, e.sample);
  reserve(k, residentEnd).i8.set(filter.subarray(0, len), at);
  residents.set(filter, e);
  return at;
}

let blocks = new WeakMap<object, { gen: number; at: number; bytes: number }>();

/**
 * Address of `bytes` of constant data owned by `owner` (a prepared kernel's private object),
 * written once by `fill` and kept resident like the filters; refilled only after the cache was
 * cleared. Must be called before the call's `Layout` is created.
 */
export function residentBlock(k: WasmKernels, owner: object, bytes: number, fill: (v: Views, at: number) => void): number {
  const e = blocks.get(owner);
  if (e && e.gen === residentGen && e.bytes === bytes) return e.at;
  const size = (bytes + 16 + 15) & ~15;
  if (residentEnd + size > RESIDENT_MAX_BYTES) clearWasmFilterCache();
  const at = residentEnd;
  residentEnd += size;
  fill(reserve(k, residentEnd), at);
  blocks.set(owner, { gen: residentGen, at, bytes });
  return at;
}
