import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeNpy, parseNpy, readNpy, writeNpy } from "./npy.js";
import { makeTensor } from "../ir/tensor.js";
import { UserError } from "../ir/errors.js";
import type { DType } from "../ir/dtype.js";

function rawNpy(major: number, header: string, payload: Uint8Array): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  const h = header.padEnd(total - pre - 1, " ") + "\n";
  const b = new Uint8Array(total + payload.length);
  b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(b.buffer);
  if (major === 1) dv.setUint16(8, h.length, true); else dv.setUint32(8, h.length, true);
  for (let i = 0; i < h.length; i++) b[pre + i] = h.charCodeAt(i);
  b.set(payload, total);
  return b;
}

test("npy round-trip for every dtype", () => {
  const cases: [DType, number[]][] = [
    ["f32", [1.5, -2.25, 3e-8]], ["i8", [-128, 0, 127]], ["u8", [0, 200, 255]], ["i16", [-32768, 5, 32767]],
    ["i32", [-2147483648, 7, 2147483647]], ["i64", [-(2 ** 40), 0, 2 ** 50]], ["bool", [1, 0, 1]],
  ];
  for (const [dtype, vals] of cases) {
    const t = makeTensor(dtype, [1, 3], vals);
    const back = parseNpy(encodeNpy(t));
    assert.equal(back.dtype, dtype);
    assert.deepEqual(back.shape, [1, 3]);
    assert.deepEqual([...back.data], [...t.data], dtype);
  }
  const s = parseNpy(encodeNpy(makeTensor("f32", [], [4])));
  assert.deepEqual(s.shape, []);
  const one = encodeNpy(makeTensor("f32", [5]));
  assert.match(new TextDecoder().decode(one.subarray(10, 80)), /'shape': \(5,\)/);
});

test("npy header is padded to 64 bytes, ends with newline, and uses numpy's dict", () => {
  const b = encodeNpy(makeTensor("f32", [2, 3]));
  const hlen = b[8]! | (b[9]! << 8);
  assert.equal((10 + hlen) % 64, 0);
  assert.equal(b[10 + hlen - 1], 0x0a);
  const header = new TextDecoder().decode(b.subarray(10, 10 + hlen));
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  assert.equal(b.length, 10 + hlen + 24);
});

test("npy v2/v3 headers and f8 data are read (f8 -> f32)", () => {
  const f64 = new Uint8Array(Float64Array.from([0.5, -1]).buffer);
  const t2 = parseNpy(rawNpy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f64));
  assert.equal(t2.dtype, "f32");
  assert.deepEqual([...t2.data], [0.5, -1]);
  const i2 = new Uint8Array(Int16Array.from([3, -4]).buffer);
  const t3 = parseNpy(rawNpy(3, "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 2), }", i2));
  assert.deepEqual([...t3.data], [3, -4]);
});

test("npy rejects fortran order and big-endian with a UserError naming the file", () => {
  const f = new Uint8Array(8);
  assert.throws(() => parseNpy(rawNpy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", f), "a.npy"),
    (e: Error) => e instanceof UserError && /^a\.npy: fortran_order/.test(e.message));
  assert.throws(() => parseNpy(rawNpy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f), "b.npy"),
    (e: Error) => e instanceof UserError && /^b\.npy: big-endian/.test(e.message));
  assert.throws(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "c.npy"), /c\.npy: not a \.npy file/);
  assert.throws(() => parseNpy(rawNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f), "d.npy"), /d\.npy: data is truncated/);
  assert.throws(() => parseNpy(rawNpy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", f), "e.npy"), /e\.npy: unsupported dtype/);
});

test("readNpy/writeNpy through a file; missing file is a UserError", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "npy-"));
  const p = path.join(dir, "x.npy");
  writeNpy(p, makeTensor("i32", [2, 2], [1, 2, 3, 4]));
  assert.deepEqual([...readNpy(p).data], [1, 2, 3, 4]);
  assert.throws(() => readNpy(path.join(dir, "nope.npy")), /nope\.npy: cannot read/);
  fs.rmSync(dir, { recursive: true });
});
