// Encoding of CMSIS-NN JSON conformance vectors for csrc/test/vector_driver.c, and result decoding.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const FN_IDS: Record<string, number> = {
  arm_convolve_wrapper_s8: 1,
  arm_convolve_s8: 2,
  arm_convolve_1x1_s8_fast: 3,
  arm_convolve_1x1_s8: 4,
  arm_convolve_1_x_n_s8: 5,
  arm_depthwise_conv_wrapper_s8: 6,
  arm_depthwise_conv_s8: 7,
  arm_depthwise_conv_s8_opt: 8,
  arm_depthwise_conv_3x3_s8: 9,
  arm_fully_connected_s8: 10,
  arm_fully_connected_per_channel_s8: 11,
  arm_fully_connected_wrapper_s8: 12,
  arm_elementwise_add_s8: 13,
  arm_elementwise_mul_s8: 14,
  arm_softmax_s8: 15,
  arm_avgpool_s8: 16,
  arm_max_pool_s8: 17,
  arm_convolve_wrapper_s16: 18,
  arm_convolve_s16: 19,
  arm_depthwise_conv_wrapper_s16: 20,
  arm_depthwise_conv_s16: 21,
  arm_depthwise_conv_fast_s16: 22,
  arm_transpose_conv_wrapper_s8: 23,
  arm_maximum_s8: 24,
  arm_minimum_s8: 25,
};

export const STATUS_CODES: Record<string, number> = {
  ARM_CMSIS_NN_SUCCESS: 0,
  ARM_CMSIS_NN_ARG_ERROR: -1,
  ARM_CMSIS_NN_NO_IMPL_ERROR: -2,
  ARM_CMSIS_NN_FAILURE: -3,
};

/** buffer_sizes_bytes key → indices of the driver's sizes[] for (pure_c|all, dsp, mve). */
const SIZE_SLOTS: Record<string, number[]> = {
  arm_convolve_wrapper_s8_get_buffer_size: [0, 1, 2],
  arm_convolve_s8_get_buffer_size: [3, 4, 5],
  arm_depthwise_conv_wrapper_s8_get_buffer_size: [0, 1, 2],
  arm_fully_connected_s8_get_buffer_size: [0, 1, 2],
  arm_avgpool_s8_get_buffer_size: [0, 1, 2],
  arm_convolve_wrapper_s16_get_buffer_size: [0, 1, 2],
  arm_depthwise_conv_wrapper_s16_get_buffer_size: [0, 1, 2],
  arm_transpose_conv_s8_get_buffer_size: [0, 1, 2],
  arm_transpose_conv_s8_get_reverse_conv_buffer_size: [3, 3, 3],
};

export interface VectorCall {
  vector: string; // relative path
  fn: string;
  fnId: number;
  expectedStatus?: number;
  /** false for status-only calls (output not validated by the source test). */
  checkOutput: boolean;
  /** Expected buffer sizes: driver slot → value (checked on the first call of a vector). */
  expectedSizes: Array<{ slot: number; value: number; label: string }>;
  expectedOutput: number[];
  outElem: number;
  record: Buffer;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function listVectorFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.json') && e !== 'index.json') out.push(p);
    }
  };
  walk(root);
  return out;
}

const NP = 48;

function i32Array(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeInt32LE(v | 0, i * 4));
  return b;
}

function typedArray(type: string, values: number[]): { elem: number; data: Buffer } {
  switch (type) {
    case 'int8': {
      const b = Buffer.alloc(values.length);
      values.forEach((v, i) => b.writeInt8(v, i));
      return { elem: 1, data: b };
    }
    case 'int16': {
      const b = Buffer.alloc(values.length * 2);
      values.forEach((v, i) => b.writeInt16LE(v, i * 2));
      return { elem: 2, data: b };
    }
    case 'int32':
      return { elem: 4, data: i32Array(values) };
    case 'int64': {
      const b = Buffer.alloc(values.length * 8);
      values.forEach((v, i) => {
        if (!Number.isSafeInteger(v)) throw new Error(`int64 value not exact in JSON: ${v}`);
        b.writeBigInt64LE(BigInt(v), i * 8);
      });
      return { elem: 8, data: b };
    }
    default:
      throw new Error(`unknown type ${type}`);
  }
}

function arr(elem: number, data: Buffer): Buffer {
  const head = i32Array([elem, data.length / elem]);
  const pad = (4 - (data.length % 4)) % 4;
  return Buffer.concat([head, data, Buffer.alloc(pad)]);
}

function asList(v: unknown): number[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? (v as number[]) : [v as number];
}

export function encodeRecord(fnId: number, j: Json): { record: Buffer; outElem: number } {
  const P = new Array<number>(NP).fill(0);
  const family: string = j.family;
  const dims = j.dims ?? {};
  const input: number[] = dims.input ?? [1, 1, 1, 1];
  const filter: number[] = dims.filter ?? [];
  const output: number[] = dims.output ?? [];
  [P[0], P[1], P[2], P[3]] = input;
  if (family === 'fc_s8') {
    [P[4], P[5], P[6], P[7]] = [filter[1], 1, 1, filter[0]];
    [P[8], P[9], P[10], P[11]] = [output[0], 1, 1, output[1]];
  } else if (family === 'avgpool_s8' || family === 'maxpool_s8') {
    [P[4], P[5], P[6], P[7]] = [1, filter[0], filter[1], 1];
    [P[8], P[9], P[10], P[11]] = output;
  } else if (filter.length === 4) {
    [P[4], P[5], P[6], P[7]] = filter;
    [P[8], P[9], P[10], P[11]] = output;
  }
  const stride: number[] = j.stride ?? [1, 1];
  const padding: number[] = j.padding ?? [0, 0];
  const dilation: number[] = j.dilation ?? [1, 1];
  [P[12], P[13]] = stride;
  [P[14], P[15]] = padding;
  [P[16], P[17]] = dilation;
  P[18] = j.input_offset ?? 0;
  P[19] = j.output_offset ?? 0;
  P[20] = j.activation_min ?? -128;
  P[21] = j.activation_max ?? 127;
  P[22] = j.ch_mult ?? 1;
  P[23] = j.filter_offset ?? 0;
  P[24] = j.bias_null ? 1 : 0;
  P[25] = j.bias_type === 'int32' && family === 'conv_s16' ? 1 : 0;
  P[26] = j.per_channel_quant ? 1 : 0;
  const po: number[] = j.padding_offsets ?? [0, 0];
  [P[27], P[28]] = po;
  const cp: Json = j.cmsis_args?.params ?? {};
  let in1: number[] = j.input ?? [];
  let in2: number[] = [];
  if (family === 'add_s8') {
    const k = ['input_1_offset', 'input_1_mult', 'input_1_shift', 'input_2_offset', 'input_2_mult', 'input_2_shift', 'left_shift', 'out_offset', 'out_mult', 'out_shift', 'out_activation_min', 'out_activation_max', 'block_size'];
    k.forEach((name, i) => (P[30 + i] = cp[name]));
    in1 = j.input_1;
    in2 = j.input_2;
  } else if (family === 'mul_s8') {
    const k = ['input_1_offset', 'input_2_offset', 'out_offset', 'out_mult', 'out_shift', 'out_activation_min', 'out_activation_max', 'block_size'];
    k.forEach((name, i) => (P[30 + i] = cp[name]));
    in1 = j.input_1;
    in2 = j.input_2;
  } else if (family === 'minmax_s8') {
    // input_1 dims in P0..3, input_2 dims in P4..7 (the "filter" slot), output dims in P8..11
    in1 = j.input_1;
    in2 = j.input_2;
  } else if (family === 'softmax_s8') {
    ['num_rows', 'row_size', 'mult', 'shift', 'diff_min'].forEach((name, i) => (P[30 + i] = cp[name]));
  }
  for (const v of P) if (!Number.isInteger(v)) throw new Error(`bad param in ${family}: ${JSON.stringify(P)}`);
  const inT = typedArray(j.input_type, in1);
  const wT = typedArray('int8', j.weights ?? []);
  const bT = typedArray(j.bias_type ?? 'int32', j.bias ?? []);
  const mT = typedArray('int32', asList(j.output_multiplier));
  const sT = typedArray('int32', asList(j.output_shift));
  const in2T = typedArray('int8', in2);
  const outElem = j.output_type === 'int16' ? 2 : 1;
  const record = Buffer.concat([
    i32Array([fnId, ...P]),
    arr(inT.elem, inT.data),
    arr(1, wT.data),
    arr(bT.elem, bT.data),
    arr(4, mT.data),
    arr(4, sT.data),
    arr(1, in2T.data),
    i32Array([outElem, (j.expected_output as number[]).length]),
  ]);
  return { record, outElem };
}

/** All kernel calls of one vector file (validated calls + status-only calls). */
export function vectorCalls(file: string, root: string): VectorCall[] {
  const j: Json = JSON.parse(readFileSync(file, 'utf8'));
  const rel = file.slice(root.length + 1);
  const calls: VectorCall[] = [];
  const sizes: VectorCall['expectedSizes'] = [];
  for (const [key, v] of Object.entries((j.buffer_sizes_bytes ?? {}) as Json)) {
    const slots = SIZE_SLOTS[key];
    if (!slots || typeof v !== 'object') continue;
    const variants: Array<[string, number]> = [['pure_c', 0], ['all', 0], ['dsp', 1], ['mve', 2]];
    for (const [name, idx] of variants) {
      if (typeof (v as Json)[name] === 'number') sizes.push({ slot: slots[idx], value: (v as Json)[name], label: `${key}.${name}` });
    }
  }
  const add = (c: Json, checkOutput: boolean) => {
    const fnId = FN_IDS[c.function];
    if (fnId === undefined) throw new Error(`${rel}: unsupported function ${c.function}`);
    let status: number | undefined;
    const es = c.expected_status ?? (checkOutput ? j.expected_status : undefined);
    if (typeof es === 'string' && es in STATUS_CODES) status = STATUS_CODES[es];
    const { record, outElem } = encodeRecord(fnId, j);
    calls.push({ vector: rel, fn: c.function, fnId, expectedStatus: status, checkOutput, expectedSizes: calls.length === 0 ? sizes : [], expectedOutput: j.expected_output, outElem, record });
  };
  for (const c of j.validated_calls as Json[]) add(c, true);
  for (const c of (j.status_only_calls ?? []) as Json[]) add(c, false);
  return calls;
}

export function encodeBatch(calls: VectorCall[]): Buffer {
  return Buffer.concat([i32Array([0x31564c43, calls.length]), ...calls.map((c) => c.record)]);
}

export interface CallResult {
  fnId: number;
  status: number;
  sizes: number[];
  output: Buffer;
}

export function decodeResults(buf: Buffer): CallResult[] {
  const out: CallResult[] = [];
  let o = 0;
  while (o + 36 <= buf.length) {
    const fnId = buf.readInt32LE(o);
    const status = buf.readInt32LE(o + 4);
    const sizes: number[] = [];
    for (let i = 0; i < 6; i++) sizes.push(buf.readInt32LE(o + 8 + 4 * i));
    const n = buf.readInt32LE(o + 32);
    const output = buf.subarray(o + 36, o + 36 + n);
    out.push({ fnId, status, sizes, output });
    o += 36 + n + ((4 - (n % 4)) % 4);
  }
  return out;
}

/** Returns a list of mismatch descriptions (empty = pass). */
export function checkCall(call: VectorCall, res: CallResult | undefined): string[] {
  if (!res) return ['no result'];
  const errs: string[] = [];
  if (res.fnId !== call.fnId) errs.push(`record order mismatch (fn ${res.fnId} != ${call.fnId})`);
  if (call.expectedStatus !== undefined && res.status !== call.expectedStatus) errs.push(`status ${res.status}, expected ${call.expectedStatus}`);
  if (call.expectedStatus === undefined && call.checkOutput && res.status !== 0) errs.push(`status ${res.status}`);
  for (const s of call.expectedSizes) {
    if (res.sizes[s.slot] !== s.value) errs.push(`${s.label} = ${res.sizes[s.slot]}, expected ${s.value}`);
  }
  if (call.checkOutput) {
    const exp = call.expectedOutput;
    const got: number[] = [];
    for (let i = 0; i < exp.length; i++) got.push(call.outElem === 2 ? res.output.readInt16LE(i * 2) : res.output.readInt8(i));
    let bad = 0;
    let first = -1;
    for (let i = 0; i < exp.length; i++) {
      if (got[i] !== exp[i]) {
        bad++;
        if (first < 0) first = i;
      }
    }
    if (bad > 0) errs.push(`${bad}/${exp.length} output elements differ (first at ${first}: got ${got[first]}, expected ${exp[first]})`);
  }
  return errs;
}
