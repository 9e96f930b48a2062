// Conformance of the portable CMSIS-NN library (csrc/cmsis_nn_portable) against the
// CMSIS-NN JSON vectors, on the host (ASan/UBSan) and on emulated Cortex-M boards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, exec, warningFlags } from './build.js';
import { COMPILE_CPU_FLAGS, type BoardName } from './boards.js';
import { runProgram } from './run.js';
import { csrcDir, detectToolchain, hasArmToolchain } from './toolchain.js';
import { sharedMissing, sharedPath } from '../../test/fixtures/shared.js';
import { checkCall, decodeResults, encodeBatch, listVectorFiles, vectorCalls, type VectorCall } from './cmsisVectors.js';

const VECTOR_ROOT = process.env.CMSIS_NN_VECTORS ?? sharedPath('cmsis-nn-vectors');
const LIB = join(csrcDir(), 'cmsis_nn_portable');
const LIB_SOURCES = readdirSync(join(LIB, 'Source'))
  .filter((f) => f.endsWith('.c'))
  .map((f) => join(LIB, 'Source', f));
const DRIVER = join(csrcDir(), 'test', 'vector_driver.c');

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cmsis-lower-${prefix}-`));
}

function loadCalls(): VectorCall[] {
  return listVectorFiles(VECTOR_ROOT).flatMap((f) => vectorCalls(f, VECTOR_ROOT));
}

async function runBatch(target: 'host' | BoardName, calls: VectorCall[], timeoutMs: number) {
  const dir = tmp(`vec-${target}`);
  try {
    const build = await buildProgram({
      sources: [DRIVER, ...LIB_SOURCES],
      includeDirs: [join(LIB, 'Include')],
      outDir: dir,
      target,
      sanitize: target === 'host',
      optLevel: target === 'host' ? 'O1' : 'O2',
      name: 'vector_driver',
    });
    writeFileSync(join(dir, 'vectors.bin'), encodeBatch(calls));
    const run = await runProgram(build, { cwd: dir, timeoutMs });
    assert.equal(run.timedOut, false, `${target}: timed out`);
    assert.equal(run.exitCode, 0, `${target}: exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`);
    const results = decodeResults(readFileSync(join(dir, 'results.bin')));
    return { build, run, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noVectors = sharedMissing('cmsis-nn-vectors', VECTOR_ROOT);

test('manifest.json covers every declared CMSIS-NN function and lists files that resolve its symbols', async () => {
  const man = JSON.parse(readFileSync(join(LIB, 'manifest.json'), 'utf8')) as { functions: Record<string, string[]>; supportFile: string };
  const header = readFileSync(join(LIB, 'Include', 'arm_nnfunctions.h'), 'utf8');
  const declared = [...header.matchAll(/^(?:arm_cmsis_nn_status|int32_t|void)\s+(arm_\w+)\(/gm)].map((m) => m[1]);
  assert.ok(declared.length >= 50);
  for (const f of declared) assert.ok(man.functions[f], `manifest lacks ${f}`);
  const tc = detectToolchain();
  if (!tc.hostCc) return;
  const dir = tmp('manifest');
  try {
    // every function: link a stub referencing it against exactly the listed files
    const stub = join(dir, 'stub.c');
    writeFileSync(stub, `#include "arm_nnfunctions.h"\nextern void *cl_ref;\nint main(void) { return cl_ref != 0; }\n`);
    const groups = new Map<string, string[]>();
    for (const [fn, files] of Object.entries(man.functions)) groups.set(files.join(' '), [...(groups.get(files.join(' ')) ?? []), fn]);
    let i = 0;
    for (const [files, fns] of groups) {
      const ref = join(dir, `ref${i}.c`);
      writeFileSync(ref, `#include "arm_nnfunctions.h"\nvoid *cl_ref_tab[] = {${fns.map((f) => `(void *)${f}`).join(', ')}};\nvoid *cl_ref = cl_ref_tab;\n`);
      const r = await exec(tc.hostCc.path, ['-std=c99', `-I${join(LIB, 'Include')}`, stub, ref, ...files.split(' ').map((f) => join(LIB, f)), '-o', join(dir, `m${i}`)]);
      assert.equal(r.code, 0, `${fns.join(',')} with ${files}: ${r.stderr}`);
      i++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CMSIS-NN vectors: host gcc -O1 ASan/UBSan, byte-exact outputs, status and buffer sizes', { skip: noVectors }, async (t) => {
  const files = listVectorFiles(VECTOR_ROOT);
  assert.equal(files.length, 196, 'expected 196 vector files');
  const calls = loadCalls();
  const { results } = await runBatch('host', calls, 120_000);
  assert.equal(results.length, calls.length);
  const byVector = new Map<string, string[]>();
  calls.forEach((c, i) => {
    const errs = checkCall(c, results[i]).map((e) => `${c.fn}: ${e}`);
    byVector.set(c.vector, [...(byVector.get(c.vector) ?? []), ...errs]);
  });
  for (const [vector, errs] of byVector) {
    await t.test(vector, () => {
      assert.deepEqual(errs, []);
    });
  }
});

/** One call per kernel function, smallest vector first (keeps emulation fast). */
function sampleCalls(calls: VectorCall[], perFn: number): VectorCall[] {
  const byFn = new Map<string, VectorCall[]>();
  for (const c of calls) {
    if (!c.checkOutput) continue;
    byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  }
  const out: VectorCall[] = [];
  for (const list of byFn.values()) {
    list.sort((a, b) => a.record.length - b.record.length);
    // spread the pick across sizes: smallest, then median-ish
    const picks = perFn === 1 ? [list[0]] : [list[0], list[Math.floor(list.length / 2)]].slice(0, perFn);
    for (const p of new Set(picks)) out.push(p);
  }
  return out;
}

const EMULATED: Array<{ board: BoardName; perFn: number }> = [
  { board: 'mps3-an547', perFn: 2 },
  { board: 'mps2-an386', perFn: 2 },
  { board: 'mps2-an385', perFn: 1 },
];

test('CMSIS-NN vectors on emulated Cortex-M55 / M4 / M3 (QEMU, byte-exact)', { skip: noVectors, concurrency: true }, async (parent) => {
  if (!hasArmToolchain()) {
    if (process.env.CI) assert.fail('arm-none-eabi-gcc / qemu-system-arm not found (CI set)');
    parent.skip('arm-none-eabi-gcc not found');
    return;
  }
  await Promise.all(EMULATED.map(({ board, perFn }) => parent.test(`${board}`, async (t) => {
    let calls = sampleCalls(loadCalls(), perFn);
    if (board === 'mps2-an385') calls = calls.filter((c) => /conv|fully/.test(c.fn)).slice(0, 8);
    const { run, results, build } = await runBatch(board, calls, 100_000);
    assert.equal(results.length, calls.length);
    const failures: string[] = [];
    calls.forEach((c, i) => {
      for (const e of checkCall(c, results[i])) failures.push(`${c.vector} ${c.fn}: ${e}`);
    });
    t.diagnostic(`${board}: ${calls.length} calls, ${new Set(calls.map((c) => c.fn)).size} kernels, text=${build.textBytes} rodata=${build.rodataBytes}`);
    const conv = calls.findIndex((c) => c.fn === 'arm_convolve_s8');
    if (conv >= 0 && run.instructionRegions) {
      t.diagnostic(`${board}: ${calls[conv].vector} arm_convolve_s8 ≈ ${run.instructionRegions[`fn${calls[conv].fnId}.rec${conv}`]} instructions`);
    }
    assert.ok(run.instructions !== undefined && run.instructions > 0, 'instruction counts reported');
    assert.deepEqual(failures, []);
  })));
});

test('portable CMSIS-NN compiles warning-free (host, M0+, M3, M4, M7, M33, M55)', async (t) => {
  const tc = detectToolchain();
  const targets: Array<[string, string, string[]]> = [['host', tc.hostCc?.path ?? 'gcc', ['-O2']]];
  if (tc.armCc) {
    for (const [cpu, flags] of Object.entries(COMPILE_CPU_FLAGS)) targets.push([cpu, tc.armCc.path, [...flags, '-O2', '-ffunction-sections']]);
  } else if (process.env.CI) {
    assert.fail('arm-none-eabi-gcc not found (CI set)');
  } else {
    t.diagnostic('arm-none-eabi-gcc not found: host only');
  }
  const dir = tmp('compile');
  try {
    await Promise.all(
      targets.map(async ([name, cc, flags]) => {
        const out = join(dir, name);
        const r = await exec('sh', ['-c', `mkdir -p "${out}" && cd "${out}" && "${cc}" ${[...warningFlags(true, 'c99'), '-pedantic', ...flags, `-I${join(LIB, 'Include')}`, '-c', ...LIB_SOURCES].map((a) => `'${a}'`).join(' ')}`]);
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        assert.equal(r.stderr.trim(), '', `${name}: warnings:\n${r.stderr}`);
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
