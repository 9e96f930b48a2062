import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runConformance } from './run.js';
import * as K from '../kernels/index.js';
import { sharedMissing, sharedPath } from '../../test/fixtures/shared.js';
import type { Dims, TargetClass, Compiler } from '../kernels/index.js';

const VECTORS = sharedPath('cmsis-nn-vectors');
const skip = sharedMissing('cmsis-nn-vectors');

function vectorFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...vectorFiles(p));
    else if (n.endsWith('.json') && n !== 'index.json') out.push(p);
  }
  return out;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type V = any;
const load = (f: string): V => JSON.parse(readFileSync(f, 'utf8'));
const d4 = (a: number[]): Dims => ({ n: a[0], h: a[1], w: a[2], c: a[3] });
const tile = (a: number[] | undefined, d = [1, 1]) => ({ h: (a ?? d)[0], w: (a ?? d)[1] });

test('all CMSIS-NN conformance vectors pass', { skip }, () => {
  const files = vectorFiles(VECTORS).filter((f) => typeof load(f).kernel === 'string');
  assert.equal(files.length, 196);
  const r = runConformance(VECTORS);
  assert.deepEqual(r.failures, []);
  assert.equal(r.failed, 0);
  assert.equal(r.passed, files.length);
});

test('reference implementations also reproduce every vector', { skip }, () => {
  const r = runConformance(VECTORS, { checkReference: true });
  assert.deepEqual(r.failures, []);
  assert.equal(r.passed, 196);
});

test('malformed files give clean one-line failures, never a throw', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'conf-'));
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'bad.json'), '{ "kernel": "arm_convolve_s8", ');
    writeFileSync(join(dir, 'sub', 'missing.json'), JSON.stringify({ kernel: 'arm_convolve_s8', dims: { input: [1, 2, 2, 1], filter: [1, 1, 1, 1], output: [1, 2, 2, 1] } }));
    const good = load(join(VECTORS, 'arm_convolve_s8', 'basic.json'));
    good.expected_output = good.expected_output.slice(1);
    writeFileSync(join(dir, 'short.json'), JSON.stringify(good));
    writeFileSync(join(dir, 'unknown.json'), JSON.stringify({ kernel: 'arm_no_such_kernel' }));
    writeFileSync(join(dir, 'README.md'), '# not a vector');
    writeFileSync(join(dir, 'index.json'), '{}');
    writeFileSync(join(dir, 'notvector.json'), '{"hello": 1}');
    const r = runConformance(dir);
    assert.equal(r.passed, 0);
    assert.equal(r.failed, 4);
    assert.equal(r.skipped, 2);
    for (const f of r.failures) {
      assert.ok(!f.reason.includes('\n'), f.reason);
      assert.ok(!/at \S+ \(.*:\d+:\d+\)/.test(f.reason), 'no stack trace');
    }
    const byFile = Object.fromEntries(r.failures.map((f) => [f.file.replace(/\\/g, '/'), f.reason]));
    assert.match(byFile['bad.json'], /malformed JSON/);
    assert.match(byFile['sub/missing.json'], /missing/);
    assert.match(byFile['short.json'], /expected_output.*length/);
    assert.match(byFile['unknown.json'], /no TypeScript kernel/);
    const r2 = runConformance(join(dir, 'does-not-exist'));
    assert.equal(r2.failed, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const KEYMAP: Record<string, [TargetClass, Compiler]> = {
  pure_c: ['scalar', 'gcc'], scalar: ['scalar', 'gcc'], dsp: ['dsp', 'gcc'], mve: ['mve', 'gcc'],
  dsp_armclang: ['dsp', 'armclang'], mve_armclang: ['mve', 'armclang'],
};

test('buffer sizes equal every vector\'s buffer-size fields (scalar/dsp/mve)', { skip }, () => {
  let checked = 0;
  for (const f of vectorFiles(VECTORS)) {
    const j = load(f);
    if (typeof j.kernel !== 'string') continue;
    const fam: string = j.family;
    const p = { stride: tile(j.stride), padding: tile(j.padding, [0, 0]), dilation: tile(j.dilation), chMult: j.ch_mult ?? 1 };
    const fns: Record<string, (t: TargetClass, c: Compiler) => number> = {};
    let primary: string | null = null;
    if (fam === 'conv_s8') {
      const [i, w, o] = [d4(j.dims.input), d4(j.dims.filter), d4(j.dims.output)];
      fns.arm_convolve_wrapper_s8_get_buffer_size = (t, c) => K.convolveWrapperS8BufferSize(t, p, i, w, o, c);
      fns.arm_convolve_s8_get_buffer_size = (t) => K.convolveS8BufferSize(t, i, w);
      primary = 'arm_convolve_wrapper_s8_get_buffer_size';
    } else if (fam === 'dw_s8') {
      const [i, w, o] = [d4(j.dims.input), d4(j.dims.filter), d4(j.dims.output)];
      fns.arm_depthwise_conv_wrapper_s8_get_buffer_size = (t, c) => K.depthwiseConvWrapperS8BufferSize(t, p, i, w, o, c);
      primary = 'arm_depthwise_conv_wrapper_s8_get_buffer_size';
    } else if (fam === 'fc_s8') {
      fns.arm_fully_connected_s8_get_buffer_size = (t) => K.fullyConnectedS8BufferSize(t, { c: j.dims.filter[0] });
      primary = 'arm_fully_connected_s8_get_buffer_size';
    } else if (fam === 'conv_s16') {
      fns.arm_convolve_wrapper_s16_get_buffer_size = (t) => K.convolveWrapperS16BufferSize(t, d4(j.dims.input), d4(j.dims.filter));
    } else if (fam === 'dw_s16') {
      fns.arm_depthwise_conv_wrapper_s16_get_buffer_size = (t) => K.depthwiseConvWrapperS16BufferSize(t, p, d4(j.dims.input), d4(j.dims.filter));
    } else if (fam === 'tconv_s8') {
      const [i, w] = [d4(j.dims.input), d4(j.dims.filter)];
      fns.arm_transpose_conv_s8_get_buffer_size = (t) => K.transposeConvS8BufferSize(t, p, i, w);
      fns.arm_transpose_conv_s8_get_reverse_conv_buffer_size = () => K.transposeConvS8ReverseConvBufferSize(p, i, w);
    } else if (j.kernel === 'arm_avgpool_s8') {
      fns.arm_avgpool_s8_get_buffer_size = (t) => K.avgpoolS8BufferSize(t, j.dims.output[2], j.dims.input[3]);
      primary = 'arm_avgpool_s8_get_buffer_size';
    } else if (j.kernel === 'arm_max_pool_s8') {
      fns.max = (t) => K.maxPoolS8BufferSize(t);
      primary = 'max';
    }
    for (const [fn, vals] of Object.entries((j.buffer_sizes_bytes ?? {}) as Record<string, Record<string, number>>)) {
      if (fn.startsWith('_')) continue;
      assert.ok(fns[fn], `${f}: no function for ${fn}`);
      for (const [k, v] of Object.entries(vals)) {
        if (k === 'all') { for (const t of ['scalar', 'dsp', 'mve'] as const) assert.equal(fns[fn](t, 'gcc'), v, `${f} ${fn} ${t}`); checked++; continue; }
        const m = KEYMAP[k];
        if (!m) continue;
        assert.equal(fns[fn](m[0], m[1]), v, `${f} ${fn} ${k}`);
        checked++;
      }
    }
    for (const [k, v] of Object.entries((j.buffer_size ?? {}) as Record<string, number>)) {
      assert.ok(primary, `${f}: buffer_size without primary function`);
      assert.equal(fns[primary](KEYMAP[k][0], 'gcc'), v, `${f} buffer_size ${k}`);
      checked++;
    }
  }
  assert.ok(checked > 500, `checked ${checked}`);
});

test('MVE 1xN predictor agrees with every vector that entered arm_convolve_1_x_n_s8 on MVE', { skip }, () => {
  let n = 0;
  const seen = { ok: 0, failure: 0, wrong: 0 };
  for (const f of vectorFiles(VECTORS)) {
    const j = load(f);
    const trace: string[] | undefined = j.dispatch_trace?.mve;
    if (!trace || !trace.includes('arm_convolve_1_x_n_s8')) continue;
    const p = { stride: tile(j.stride), padding: tile(j.padding, [0, 0]), dilation: tile(j.dilation) };
    const i = d4(j.dims.input), o = d4(j.dims.output);
    const w = j.family === 'dw_s8' ? K.dwToConvFilterDims(d4(j.dims.filter)) : d4(j.dims.filter);
    const mve = j.target_results.mve;
    const actual = mve.status === 'ARM_CMSIS_NN_FAILURE' ? 'failure' : mve.matches_expected === false ? 'wrong' : 'ok';
    assert.equal(K.mve1xNOutcome(p, i, w, o), actual, f);
    const wrapper = j.family === 'dw_s8' ? K.depthwiseWrapperOutcome('mve', p, i, d4(j.dims.filter), o) : K.convWrapperOutcome('mve', p, i, w, o);
    assert.equal(wrapper, actual, f);
    assert.equal(K.STATUS_NAMES[actual === 'failure' ? -3 : 0], j.target_status.mve, f);
    const a = j.mve_1xn_analysis;
    if (a) {
      const s = K.mve1xNSegmentation(p, i, w, o);
      assert.equal(s.totalPad, a.total_pad, f);
      assert.equal(s.asymPad, a.asym_pad, f);
      assert.equal(s.paddingCheckPasses, a.padding_check_passes, f);
      assert.equal(s.leftPadNum, a.left_pad_num, f);
      assert.equal(s.noPadNum, a.no_pad_num, f);
      assert.equal(s.rightPadNum, a.right_pad_num, f);
      if (a.taps_reading_past_input_row !== undefined) {
        assert.equal(s.tapsReadingPastInputRow, a.taps_reading_past_input_row, f);
        assert.equal(s.tapsPaddingInsteadOfInput, a.taps_padding_instead_of_input, f);
        assert.equal(s.tapsReadingStaleScratch, a.taps_reading_stale_scratch, f);
      }
    }
    seen[actual]++;
    n++;
  }
  assert.ok(n >= 20, `only ${n} vectors entered the MVE 1xN kernel`);
  assert.ok(seen.ok > 0 && seen.failure > 0 && seen.wrong > 0, JSON.stringify(seen));
  // the documented examples of silently wrong TFLite SAME cases
  const pp = (s: number, pw: number) => ({ stride: { h: 1, w: s }, padding: { h: 0, w: pw }, dilation: { h: 1, w: 1 } });
  const same = (W: number, KW: number, s: number) => Math.ceil(W / s);
  for (const [W, KW, s, pw] of [[46, 6, 2, 2], [46, 15, 4, 6], [7, 4, 3, 1]]) {
    const Wo = same(W, KW, s);
    assert.equal(K.mve1xNOutcome(pp(s, pw), { n: 1, h: 1, w: W, c: 4 }, { n: 4, h: 1, w: KW, c: 4 }, { n: 1, h: 1, w: Wo, c: 4 }), 'wrong', `W=${W} K=${KW} s=${s}`);
  }
  // stride 1 TF-SAME is always fine
  assert.equal(K.mve1xNOutcome(pp(1, 2), { n: 1, h: 1, w: 20, c: 4 }, { n: 4, h: 1, w: 5, c: 4 }, { n: 1, h: 1, w: 20, c: 4 }), 'ok');
});
