/**
 * Conformance runner: replays the CMSIS-NN JSON vectors through the TypeScript kernels and checks
 * outputs (element by element), return statuses, buffer sizes (scalar/dsp/mve, GCC and Arm Compiler
 * variants where given), wrapper dispatch traces and the MVE 1xN outcome predictor.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as K from '../kernels/index.js';
import type { Ctx, Dims, ConvParams, DwConvParams, PerChannelQuant, TargetClass, Compiler } from '../kernels/index.js';

export interface ConformanceFailure { file: string; kernel: string; reason: string }
export interface ConformanceResult {
  passed: number;
  failed: number;
  skipped: number;
  perKernel: Record<string, { passed: number; failed: number }>;
  failures: ConformanceFailure[];
}
export interface ConformanceOptions {
  /** only run files whose relative path contains this substring */
  filter?: string;
  /** also run the plain reference implementations and require them to agree (slower) */
  checkReference?: boolean;
}

class VectorError extends Error {}

type J = Record<string, unknown>;

function listJson(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function num(j: J, key: string): number {
  const v = j[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new VectorError(`field '${key}' missing or not a number`);
  return v;
}
function numArr(j: J, key: string, len?: number): number[] {
  const v = j[key];
  if (!Array.isArray(v)) throw new VectorError(`array '${key}' missing`);
  if (len !== undefined && v.length !== len) throw new VectorError(`array '${key}' has length ${v.length}, expected ${len}`);
  for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) throw new VectorError(`array '${key}' contains a non-number`);
  return v as number[];
}
function pair(j: J, key: string, dflt?: [number, number]): { h: number; w: number } {
  const v = j[key] ?? dflt;
  if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number')) throw new VectorError(`field '${key}' must be [h, w]`);
  return { h: v[0] as number, w: v[1] as number };
}
function dims4(j: J, which: string): Dims {
  const d = (j.dims as J | undefined)?.[which];
  if (!Array.isArray(d) || d.length !== 4 || d.some((x) => typeof x !== 'number' || x < 0)) throw new VectorError(`dims.${which} must be 4 non-negative numbers`);
  return { n: d[0], h: d[1], w: d[2], c: d[3] };
}
function dimsArr(j: J, which: string, n: number): number[] {
  const d = (j.dims as J | undefined)?.[which];
  if (!Array.isArray(d) || d.length !== n || d.some((x) => typeof x !== 'number' || x < 0)) throw new VectorError(`dims.${which} must be ${n} non-negative numbers`);
  return d as number[];
}
const prod = (d: Dims): number => d.n * d.h * d.w * d.c;

function convParams(j: J): ConvParams {
  return {
    inputOffset: num(j, 'input_offset'), outputOffset: num(j, 'output_offset'),
    stride: pair(j, 'stride'), padding: pair(j, 'padding'), dilation: pair(j, 'dilation', [1, 1]),
    activation: { min: num(j, 'activation_min'), max: num(j, 'activation_max') },
  };
}
function perChannel(j: J, cout: number): PerChannelQuant {
  return { multiplier: Int32Array.from(numArr(j, 'output_multiplier', cout)), shift: Int32Array.from(numArr(j, 'output_shift', cout)) };
}
function ctxOf(size: number): Ctx { return { buf: size > 0 ? new Int8Array(size) : null, size }; }
function bias32(j: J, cout: number): Int32Array | null {
  const b = numArr(j, 'bias', cout);
  return j.bias_null === true ? null : Int32Array.from(b);
}

function compare(got: ArrayLike<number>, expected: number[], what: string): void {
  if (got.length !== expected.length) throw new VectorError(`${what}: output length ${got.length} != expected ${expected.length}`);
  let bad = 0, first = -1;
  for (let i = 0; i < expected.length; i++) if (got[i] !== expected[i]) { if (first < 0) first = i; bad++; }
  if (bad) throw new VectorError(`${what}: ${bad}/${expected.length} elements differ (first at [${first}]: got ${got[first]}, expected ${expected[first]})`);
}
function expectStatus(st: number, expected: string | null | undefined, what: string): void {
  const want = expected ?? 'ARM_CMSIS_NN_SUCCESS';
  if (K.STATUS_NAMES[st] !== want) throw new VectorError(`${what}: returned ${K.STATUS_NAMES[st] ?? st}, expected ${want}`);
}

interface Call { function: string; expected_status: string | null }
function calls(j: J): Call[] {
  const v = j.validated_calls;
  if (!Array.isArray(v) || v.length === 0) return [{ function: String(j.kernel), expected_status: 'ARM_CMSIS_NN_SUCCESS' }];
  return v.map((c: J) => ({ function: String(c.function), expected_status: (c.expected_status as string | null) ?? null }));
}

const SIZE_KEYS: Array<[string, TargetClass, Compiler]> = [
  ['pure_c', 'scalar', 'gcc'], ['scalar', 'scalar', 'gcc'], ['dsp', 'dsp', 'gcc'], ['mve', 'mve', 'gcc'],
  ['dsp_armclang', 'dsp', 'armclang'], ['mve_armclang', 'mve', 'armclang'],
];

/** Checks `buffer_sizes_bytes` and `buffer_size` against the TS formulas. */
function checkBufferSizes(j: J, fns: Record<string, (t: TargetClass, c: Compiler) => number>, primary: string | null): void {
  const bsb = j.buffer_sizes_bytes as Record<string, Record<string, number>> | undefined;
  if (bsb && typeof bsb === 'object') {
    for (const [fn, vals] of Object.entries(bsb)) {
      if (fn.startsWith('_') || typeof vals !== 'object' || vals === null) continue;
      const f = fns[fn];
      if (!f) throw new VectorError(`no TS buffer-size function for ${fn}`);
      for (const [k, v] of Object.entries(vals)) {
        if (k === 'all') {
          for (const t of ['scalar', 'dsp', 'mve'] as TargetClass[]) if (f(t, 'gcc') !== v) throw new VectorError(`${fn}[${t}] = ${f(t, 'gcc')}, vector says ${v}`);
          continue;
        }
        const m = SIZE_KEYS.find((s) => s[0] === k);
        if (!m) continue;
        const got = f(m[1], m[2]);
        if (got !== v) throw new VectorError(`${fn}[${k}] = ${got}, vector says ${v}`);
      }
    }
  }
  const bs = j.buffer_size as Record<string, number> | undefined;
  if (bs && typeof bs === 'object') {
    const f = primary ? fns[primary] : undefined;
    for (const t of ['scalar', 'dsp', 'mve'] as TargetClass[]) {
      if (typeof bs[t] !== 'number') continue;
      const got = f ? f(t, 'gcc') : 0;
      if (got !== bs[t]) throw new VectorError(`buffer_size[${t}] = ${got}, vector says ${bs[t]}`);
    }
  }
}

function checkTrace(j: J, trace: (t: TargetClass) => string[]): void {
  const dt = j.dispatch_trace as Record<string, string[]> | undefined;
  if (dt) for (const t of ['scalar', 'dsp', 'mve'] as TargetClass[]) {
    if (!Array.isArray(dt[t])) continue;
    const got = trace(t);
    if (got.join('>') !== dt[t].join('>')) throw new VectorError(`dispatch trace [${t}] ${got.join('>')} != ${dt[t].join('>')}`);
  }
  const wd = j.wrapper_dispatch as Record<string, Record<string, string>> | undefined;
  if (wd) for (const [, m] of Object.entries(wd)) {
    for (const [k, v] of Object.entries(m)) {
      const t = k === 'pure_c' ? 'scalar' : k === 'dsp' ? 'dsp' : k === 'mve' ? 'mve' : null;
      if (!t) continue;
      const tr = trace(t);
      const got = tr[1] === 'arm_transpose_s8' ? tr[2] : tr[1];
      if (got !== v) throw new VectorError(`wrapper dispatch [${k}] ${got} != ${v}`);
    }
  }
}

/** Compares the MVE 1xN predictor with the recorded MVE outcome (only when the MVE build entered the 1xN kernel). */
function checkMveOutcome(j: J, predicted: () => 'ok' | 'failure' | 'wrong'): void {
  const tr = (j.dispatch_trace as Record<string, string[]> | undefined)?.mve;
  const mve = (j.target_results as Record<string, J> | undefined)?.mve;
  if (!tr || !mve || !tr.includes('arm_convolve_1_x_n_s8')) return;
  const actual = mve.status === 'ARM_CMSIS_NN_FAILURE' ? 'failure' : mve.matches_expected === false ? 'wrong' : 'ok';
  const p = predicted();
  if (p !== actual) throw new VectorError(`MVE 1xN predictor says '${p}', MVE build was '${actual}'`);
}

function runConvS8(j: J, checkRef: boolean): void {
  const p = convParams(j);
  const inD = dims4(j, 'input'), fD = dims4(j, 'filter'), outD = dims4(j, 'output');
  const input = Int8Array.from(numArr(j, 'input', prod(inD)));
  const filter = Int8Array.from(numArr(j, 'weights', prod(fD)));
  const q = perChannel(j, outD.c);
  const bias = bias32(j, outD.c);
  const expected = numArr(j, 'expected_output', prod(outD));
  const biasDims: Dims = { n: 1, h: 1, w: 1, c: outD.c };
  checkBufferSizes(j, {
    arm_convolve_wrapper_s8_get_buffer_size: (t, c) => K.convolveWrapperS8BufferSize(t, p, inD, fD, outD, c),
    arm_convolve_s8_get_buffer_size: (t) => K.convolveS8BufferSize(t, inD, fD),
  }, 'arm_convolve_wrapper_s8_get_buffer_size');
  checkTrace(j, (t) => K.convWrapperDispatchTrace(t, p, inD, fD, outD));
  checkMveOutcome(j, () => K.convWrapperOutcome('mve', p, inD, fD, outD));
  for (const c of calls(j)) {
    if (c.expected_status === null) continue;
    const out = new Int8Array(prod(outD));
    let st: number;
    switch (c.function) {
      case 'arm_convolve_s8': st = K.convolveS8(ctxOf(K.convolveS8BufferSize('scalar', inD, fD)), p, q, inD, input, fD, filter, biasDims, bias, null, outD, out); break;
      case 'arm_convolve_wrapper_s8': st = K.convolveWrapperS8(ctxOf(K.convolveWrapperS8BufferSize('scalar', p, inD, fD, outD)), p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      case 'arm_convolve_1x1_s8_fast': st = K.convolve1x1S8Fast(ctxOf(K.convolve1x1S8FastBufferSize('scalar', inD)), p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      case 'arm_convolve_1x1_s8': st = K.convolve1x1S8(ctxOf(0), p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      case 'arm_convolve_1_x_n_s8': st = K.convolve1xNS8(ctxOf(K.convolve1xNS8BufferSize('scalar', p, inD, fD, outD)), p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      default: throw new VectorError(`unsupported validated call ${c.function}`);
    }
    expectStatus(st, c.expected_status, c.function);
    if (st === K.Status.SUCCESS) compare(out, expected, c.function);
  }
  for (const c of (j.status_only_calls as Call[] | undefined) ?? []) {
    const out = new Int8Array(prod(outD));
    let st: number;
    if (c.function === 'arm_convolve_1x1_s8_fast') st = K.convolve1x1S8Fast(ctxOf(0), p, q, inD, input, fD, filter, biasDims, bias, outD, out);
    else if (c.function === 'arm_convolve_1_x_n_s8') st = K.convolve1xNS8(ctxOf(K.convolve1xNS8BufferSize('scalar', p, inD, fD, outD)), p, q, inD, input, fD, filter, biasDims, bias, outD, out);
    else if (c.function === 'arm_convolve_1x1_s8') st = K.convolve1x1S8(ctxOf(0), p, q, inD, input, fD, filter, biasDims, bias, outD, out);
    else throw new VectorError(`unsupported status-only call ${c.function}`);
    expectStatus(st, c.expected_status, `${c.function} (status only)`);
  }
  if (checkRef) {
    const out = new Int8Array(prod(outD));
    K.convolveS8Ref(p, q, inD, input, fD, filter, bias, null, outD, out);
    compare(out, expected, 'convolveS8Ref');
  }
}

function runDwS8(j: J, checkRef: boolean): void {
  const p: DwConvParams = { ...convParams(j), chMult: num(j, 'ch_mult') };
  const inD = dims4(j, 'input'), fD = dims4(j, 'filter'), outD = dims4(j, 'output');
  const input = Int8Array.from(numArr(j, 'input', prod(inD)));
  const filter = Int8Array.from(numArr(j, 'weights', prod(fD)));
  const q = perChannel(j, outD.c);
  const bias = bias32(j, outD.c);
  const expected = numArr(j, 'expected_output', prod(outD));
  const biasDims: Dims = { n: 1, h: 1, w: 1, c: outD.c };
  checkBufferSizes(j, {
    arm_depthwise_conv_wrapper_s8_get_buffer_size: (t, c) => K.depthwiseConvWrapperS8BufferSize(t, p, inD, fD, outD, c),
  }, 'arm_depthwise_conv_wrapper_s8_get_buffer_size');
  checkTrace(j, (t) => K.depthwiseWrapperDispatchTrace(t, p, inD, fD, outD));
  checkMveOutcome(j, () => K.depthwiseWrapperOutcome('mve', p, inD, fD, outD));
  for (const c of calls(j)) {
    if (c.expected_status === null) continue;
    const out = new Int8Array(prod(outD));
    const ctx = ctxOf(K.depthwiseConvWrapperS8BufferSize('scalar', p, inD, fD, outD));
    let st: number;
    switch (c.function) {
      case 'arm_depthwise_conv_s8': st = K.depthwiseConvS8(ctx, p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      case 'arm_depthwise_conv_3x3_s8': st = K.depthwiseConv3x3S8(ctx, p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      case 'arm_depthwise_conv_s8_opt': st = K.depthwiseConvS8Opt(ctx, p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      case 'arm_depthwise_conv_wrapper_s8': st = K.depthwiseConvWrapperS8(ctx, p, q, inD, input, fD, filter, biasDims, bias, outD, out); break;
      default: throw new VectorError(`unsupported validated call ${c.function}`);
    }
    expectStatus(st, c.expected_status, c.function);
    if (st === K.Status.SUCCESS) compare(out, expected, c.function);
  }
  // The MVE route (DW→conv conversion) must give the same numbers unless the MVE build fails.
  if (K.isMveDwToConv(inD, outD) && K.depthwiseWrapperOutcome('mve', p, inD, fD, outD) !== 'failure') {
    const out = new Int8Array(prod(outD));
    const st = K.depthwiseConvWrapperS8(ctxOf(K.depthwiseConvWrapperS8BufferSize('mve', p, inD, fD, outD)), p, q, inD, input, fD, filter, biasDims, bias, outD, out, { target: 'mve' });
    expectStatus(st, 'ARM_CMSIS_NN_SUCCESS', 'depthwise wrapper (mve route)');
    compare(out, expected, 'depthwise wrapper (mve route)');
  }
  if (checkRef) {
    const out = new Int8Array(prod(outD));
    K.depthwiseConvS8Ref(p, q, inD, input, fD, filter, bias, outD, out);
    compare(out, expected, 'depthwiseConvS8Ref');
  }
}

function runFc(j: J, checkRef: boolean): void {
  const inD = dims4(j, 'input');
  const [cout, depth] = dimsArr(j, 'filter', 2);
  const [on, oc] = dimsArr(j, 'output', 2);
  if (oc !== cout || on !== inD.n || depth !== inD.h * inD.w * inD.c) throw new VectorError('inconsistent FC dims');
  const params = {
    inputOffset: num(j, 'input_offset'), filterOffset: num(j, 'filter_offset'), outputOffset: num(j, 'output_offset'),
    activation: { min: num(j, 'activation_min'), max: num(j, 'activation_max') },
  };
  const input = Int8Array.from(numArr(j, 'input', prod(inD)));
  const filter = Int8Array.from(numArr(j, 'weights', cout * depth));
  const bias = bias32(j, cout);
  const expected = numArr(j, 'expected_output', on * cout);
  const fD = { n: depth, h: 1, w: 1, c: cout }, oD = { n: on, h: 1, w: 1, c: cout };
  const perCh = j.per_channel_quant === true;
  const multRaw = j.output_multiplier, shiftRaw = j.output_shift;
  const mult = typeof multRaw === 'number' ? [multRaw] : numArr(j, 'output_multiplier');
  const shift = typeof shiftRaw === 'number' ? [shiftRaw] : numArr(j, 'output_shift');
  if (perCh ? mult.length !== cout || shift.length !== cout : mult.length < 1 || shift.length < 1) throw new VectorError('output_multiplier/output_shift have the wrong length');
  checkBufferSizes(j, { arm_fully_connected_s8_get_buffer_size: (t) => K.fullyConnectedS8BufferSize(t, fD) }, 'arm_fully_connected_s8_get_buffer_size');
  const pcq = { multiplier: Int32Array.from(mult), shift: Int32Array.from(shift) };
  for (const c of calls(j)) {
    if (c.expected_status === null) continue;
    const out = new Int8Array(on * cout);
    let st: number;
    switch (c.function) {
      case 'arm_fully_connected_s8': st = K.fullyConnectedS8(null, params, { multiplier: mult[0], shift: shift[0] }, inD, input, fD, filter, null, bias, oD, out); break;
      case 'arm_fully_connected_per_channel_s8': st = K.fullyConnectedPerChannelS8(null, params, pcq, inD, input, fD, filter, null, bias, oD, out); break;
      case 'arm_fully_connected_wrapper_s8': st = K.fullyConnectedWrapperS8(null, params, { ...pcq, isPerChannel: perCh }, inD, input, fD, filter, null, bias, oD, out); break;
      default: throw new VectorError(`unsupported validated call ${c.function}`);
    }
    expectStatus(st, c.expected_status, c.function);
    if (st === K.Status.SUCCESS) compare(out, expected, c.function);
  }
  if (checkRef) {
    const out = new Int8Array(on * cout);
    if (perCh) K.fullyConnectedPerChannelS8Ref(params, pcq, inD, input, fD, filter, bias, oD, out);
    else K.fullyConnectedS8Ref(params, { multiplier: mult[0], shift: shift[0] }, inD, input, fD, filter, bias, oD, out);
    compare(out, expected, 'fullyConnectedRef');
  }
}

function runTransposeConv(j: J, checkRef: boolean): void {
  const p = { ...convParams(j), paddingOffsets: pair(j, 'padding_offsets', [0, 0]) };
  const inD = dims4(j, 'input'), fD = dims4(j, 'filter'), outD = dims4(j, 'output');
  const input = Int8Array.from(numArr(j, 'input', prod(inD)));
  const filter = Int8Array.from(numArr(j, 'weights', prod(fD)));
  const q = perChannel(j, outD.c);
  const bias = bias32(j, outD.c);
  const expected = numArr(j, 'expected_output', prod(outD));
  checkBufferSizes(j, {
    arm_transpose_conv_s8_get_buffer_size: (t) => K.transposeConvS8BufferSize(t, p, inD, fD, outD),
    arm_transpose_conv_s8_get_reverse_conv_buffer_size: () => K.transposeConvS8ReverseConvBufferSize(p, inD, fD),
  }, null);
  const out = new Int8Array(prod(outD));
  const st = K.transposeConvWrapperS8(ctxOf(K.transposeConvS8BufferSize('scalar', p, inD, fD, outD)),
    ctxOf(K.transposeConvS8ReverseConvBufferSize(p, inD, fD)), p, q, inD, input, fD, filter, null, bias, outD, out);
  expectStatus(st, calls(j)[0].expected_status, 'arm_transpose_conv_wrapper_s8');
  compare(out, expected, 'arm_transpose_conv_wrapper_s8');
  if (checkRef) {
    const o2 = new Int8Array(prod(outD));
    K.transposeConvS8Ref(p, q, inD, input, fD, filter, bias, outD, o2);
    compare(o2, expected, 'transposeConvS8Ref');
  }
}

function runConvS16(j: J, checkRef: boolean): void {
  const p = convParams(j);
  const inD = dims4(j, 'input'), fD = dims4(j, 'filter'), outD = dims4(j, 'output');
  const input = Int16Array.from(numArr(j, 'input', prod(inD)));
  const filter = Int8Array.from(numArr(j, 'weights', prod(fD)));
  const q = perChannel(j, outD.c);
  const braw = numArr(j, 'bias', outD.c);
  const is32 = j.bias_type === 'int32';
  const bias: K.BiasData = { data: j.bias_null === true ? null : is32 ? Int32Array.from(braw) : BigInt64Array.from(braw.map((x) => BigInt(x))), isInt32Bias: is32 };
  const expected = numArr(j, 'expected_output', prod(outD));
  checkBufferSizes(j, { arm_convolve_wrapper_s16_get_buffer_size: (t) => K.convolveWrapperS16BufferSize(t, inD, fD) }, null);
  for (const c of calls(j)) {
    if (c.expected_status === null) continue;
    const out = new Int16Array(prod(outD));
    if (c.function !== 'arm_convolve_s16' && c.function !== 'arm_convolve_wrapper_s16') throw new VectorError(`unsupported validated call ${c.function}`);
    const st = K.convolveS16(ctxOf(K.convolveWrapperS16BufferSize('scalar', inD, fD)), p, q, inD, input, fD, filter, null, bias, outD, out);
    expectStatus(st, c.expected_status, c.function);
    compare(out, expected, c.function);
  }
  if (checkRef) {
    const out = new Int16Array(prod(outD));
    K.convolveS16Ref(p, q, inD, input, fD, filter, bias, outD, out);
    compare(out, expected, 'convolveS16Ref');
  }
}

function runDwS16(j: J, checkRef: boolean): void {
  const p: DwConvParams = { ...convParams(j), chMult: num(j, 'ch_mult') };
  const inD = dims4(j, 'input'), fD = dims4(j, 'filter'), outD = dims4(j, 'output');
  const input = Int16Array.from(numArr(j, 'input', prod(inD)));
  const filter = Int8Array.from(numArr(j, 'weights', prod(fD)));
  const q = perChannel(j, outD.c);
  const braw = numArr(j, 'bias', outD.c);
  const bias = j.bias_null === true ? null : BigInt64Array.from(braw.map((x) => BigInt(x)));
  const expected = numArr(j, 'expected_output', prod(outD));
  checkBufferSizes(j, { arm_depthwise_conv_wrapper_s16_get_buffer_size: (t) => K.depthwiseConvWrapperS16BufferSize(t, p, inD, fD) }, null);
  for (const c of calls(j)) {
    if (c.expected_status === null) continue;
    const out = new Int16Array(prod(outD));
    const ctx = ctxOf(K.depthwiseConvWrapperS16BufferSize('scalar', p, inD, fD));
    let st: number;
    switch (c.function) {
      case 'arm_depthwise_conv_s16': st = K.depthwiseConvS16(ctx, p, q, inD, input, fD, filter, null, bias, outD, out); break;
      case 'arm_depthwise_conv_fast_s16': st = K.depthwiseConvFastS16(ctx, p, q, inD, input, fD, filter, null, bias, outD, out); break;
      case 'arm_depthwise_conv_wrapper_s16': st = K.depthwiseConvWrapperS16(ctx, p, q, inD, input, fD, filter, null, bias, outD, out); break;
      default: throw new VectorError(`unsupported validated call ${c.function}`);
    }
    expectStatus(st, c.expected_status, c.function);
    compare(out, expected, c.function);
  }
  if (checkRef) {
    const out = new Int16Array(prod(outD));
    K.depthwiseConvS16Ref(p, q, inD, input, fD, filter, bias, outD, out);
    compare(out, expected, 'depthwiseConvS16Ref');
  }
}

function cmsisParams(j: J): J {
  const p = (j.cmsis_args as J | undefined)?.params as J | undefined;
  if (!p || typeof p !== 'object') throw new VectorError('cmsis_args.params missing');
  return p;
}

function runPool(j: J, kind: 'avg' | 'max', checkRef: boolean): void {
  const inD = dims4(j, 'input'), outD = dims4(j, 'output');
  const [fh, fw] = dimsArr(j, 'filter', 2);
  const p = { stride: pair(j, 'stride'), padding: pair(j, 'padding'), activation: { min: num(j, 'activation_min'), max: num(j, 'activation_max') } };
  const input = Int8Array.from(numArr(j, 'input', prod(inD)));
  const expected = numArr(j, 'expected_output', prod(outD));
  if (kind === 'avg') checkBufferSizes(j, { arm_avgpool_s8_get_buffer_size: (t) => K.avgpoolS8BufferSize(t, outD.w, inD.c) }, 'arm_avgpool_s8_get_buffer_size');
  else checkBufferSizes(j, { arm_max_pool_s8_get_buffer_size: (t) => K.maxPoolS8BufferSize(t) }, 'arm_max_pool_s8_get_buffer_size');
  const out = new Int8Array(prod(outD));
  const f = { h: fh, w: fw };
  const st = kind === 'avg' ? K.avgpoolS8(ctxOf(0), p, inD, input, f, outD, out) : K.maxPoolS8(null, p, inD, input, f, outD, out);
  expectStatus(st, (j.expected_status as string | undefined) ?? 'ARM_CMSIS_NN_SUCCESS', kind + 'pool');
  compare(out, expected, kind === 'avg' ? 'arm_avgpool_s8' : 'arm_max_pool_s8');
  if (checkRef) {
    const o2 = new Int8Array(prod(outD));
    if (kind === 'avg') K.avgpoolS8Ref(p, inD, input, f, outD, o2); else K.maxPoolS8Ref(p, inD, input, f, outD, o2);
    compare(o2, expected, kind + 'poolRef');
  }
}

function runElementwise(j: J, kind: 'add' | 'mul', checkRef: boolean): void {
  const p = cmsisParams(j);
  const n = num(p, 'block_size');
  const in1 = Int8Array.from(numArr(j, 'input_1', n)), in2 = Int8Array.from(numArr(j, 'input_2', n));
  const expected = numArr(j, 'expected_output', n);
  const out = new Int8Array(n);
  if (kind === 'add') {
    const a: K.AddS8Params = {
      input1Offset: num(p, 'input_1_offset'), input1Mult: num(p, 'input_1_mult'), input1Shift: num(p, 'input_1_shift'),
      input2Offset: num(p, 'input_2_offset'), input2Mult: num(p, 'input_2_mult'), input2Shift: num(p, 'input_2_shift'),
      leftShift: num(p, 'left_shift'), outOffset: num(p, 'out_offset'), outMult: num(p, 'out_mult'), outShift: num(p, 'out_shift'),
      outActivationMin: num(p, 'out_activation_min'), outActivationMax: num(p, 'out_activation_max'),
    };
    K.elementwiseAddS8(in1, in2, a, out, n);
    compare(out, expected, 'arm_elementwise_add_s8');
    if (checkRef) { const o2 = new Int8Array(n); K.elementwiseAddS8Ref(in1, in2, a, o2, n); compare(o2, expected, 'addRef'); }
  } else {
    const m: K.MulS8Params = {
      input1Offset: num(p, 'input_1_offset'), input2Offset: num(p, 'input_2_offset'), outOffset: num(p, 'out_offset'),
      outMult: num(p, 'out_mult'), outShift: num(p, 'out_shift'),
      outActivationMin: num(p, 'out_activation_min'), outActivationMax: num(p, 'out_activation_max'),
    };
    K.elementwiseMulS8(in1, in2, m, out, n);
    compare(out, expected, 'arm_elementwise_mul_s8');
    if (checkRef) { const o2 = new Int8Array(n); K.elementwiseMulS8Ref(in1, in2, m, o2, n); compare(o2, expected, 'mulRef'); }
  }
}

function runSoftmax(j: J, checkRef: boolean): void {
  const p = cmsisParams(j);
  const rows = num(p, 'num_rows'), size = num(p, 'row_size');
  const input = Int8Array.from(numArr(j, 'input', rows * size));
  const expected = numArr(j, 'expected_output', rows * size);
  const out = new Int8Array(rows * size);
  K.softmaxS8(input, rows, size, num(p, 'mult'), num(p, 'shift'), num(p, 'diff_min'), out);
  compare(out, expected, 'arm_softmax_s8');
  if (checkRef) {
    const o2 = new Int8Array(rows * size);
    K.softmaxS8Ref(input, rows, size, num(p, 'mult'), num(p, 'shift'), num(p, 'diff_min'), o2);
    compare(o2, expected, 'softmaxS8Ref');
  }
}

/** Runs one parsed vector; throws VectorError (or any Error) on mismatch. */
export function runVector(j: J, checkRef = false): void {
  const kernel = j.kernel as string;
  switch (kernel) {
    case 'arm_convolve_s8': case 'arm_convolve_1x1_s8': case 'arm_convolve_1x1_s8_fast':
    case 'arm_convolve_1_x_n_s8': case 'arm_convolve_wrapper_s8':
      return runConvS8(j, checkRef);
    case 'arm_depthwise_conv_s8': case 'arm_depthwise_conv_3x3_s8': case 'arm_depthwise_conv_s8_opt': case 'arm_depthwise_conv_wrapper_s8':
      return runDwS8(j, checkRef);
    case 'arm_fully_connected_s8': case 'arm_fully_connected_per_channel_s8': case 'arm_fully_connected_wrapper_s8':
      return runFc(j, checkRef);
    case 'arm_transpose_conv_wrapper_s8': case 'arm_transpose_conv_s8':
      return runTransposeConv(j, checkRef);
    case 'arm_convolve_s16': case 'arm_convolve_wrapper_s16':
      return runConvS16(j, checkRef);
    case 'arm_depthwise_conv_s16': case 'arm_depthwise_conv_fast_s16': case 'arm_depthwise_conv_wrapper_s16':
      return runDwS16(j, checkRef);
    case 'arm_avgpool_s8': return runPool(j, 'avg', checkRef);
    case 'arm_max_pool_s8': return runPool(j, 'max', checkRef);
    case 'arm_elementwise_add_s8': return runElementwise(j, 'add', checkRef);
    case 'arm_elementwise_mul_s8': return runElementwise(j, 'mul', checkRef);
    case 'arm_softmax_s8': return runSoftmax(j, checkRef);
    default: throw new VectorError(`no TypeScript kernel for '${kernel}'`);
  }
}

export function runConformance(dir: string, opts: ConformanceOptions = {}): ConformanceResult {
  const res: ConformanceResult = { passed: 0, failed: 0, skipped: 0, perKernel: {}, failures: [] };
  let files: string[];
  try {
    files = listJson(dir);
  } catch (e) {
    res.failed++;
    res.failures.push({ file: dir, kernel: '?', reason: `cannot read directory: ${(e as Error).message}` });
    return res;
  }
  for (const file of files) {
    const rel = relative(dir, file) || file;
    if (opts.filter && !rel.includes(opts.filter)) continue;
    const base = rel.split(/[\\/]/).pop() ?? rel;
    if (base === 'index.json') { res.skipped++; continue; }
    let j: J;
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new VectorError('top level is not an object');
      j = parsed as J;
    } catch (e) {
      res.failed++;
      res.failures.push({ file: rel, kernel: '?', reason: `malformed JSON: ${oneLine((e as Error).message)}` });
      (res.perKernel['?'] ??= { passed: 0, failed: 0 }).failed++;
      continue;
    }
    if (typeof j.kernel !== 'string') { res.skipped++; continue; }
    const kernel = j.kernel;
    const pk = (res.perKernel[kernel] ??= { passed: 0, failed: 0 });
    try {
      runVector(j, opts.checkReference === true);
      res.passed++; pk.passed++;
    } catch (e) {
      res.failed++; pk.failed++;
      const msg = e instanceof VectorError ? e.message : `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;
      res.failures.push({ file: rel, kernel, reason: oneLine(msg) });
    }
  }
  return res;
}

function oneLine(s: string): string { return s.replace(/\s+/g, ' ').trim(); }
