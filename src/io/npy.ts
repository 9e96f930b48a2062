// NumPy .npy reader/writer (format versions 1.0, 2.0, 3.0). Supports
// little-endian f4/f8/i1/u1/i2/i4/i8/b1 in C order. f8 is read into f32 (the
// IR has no f64); i8 (int64) is held in a Float64Array like IR i64 values.
// Layout: "\x93NUMPY", major, minor, header length (u16 for v1, u32 for v2/3),
// a Python dict literal padded with spaces and a final "\n" so the data starts
// at a multiple of 64 bytes.
import fs from "node:fs";
import { UserError } from "../ir/errors.js";
import { readUserFile } from "../ir/user_files.js";
import type { DType } from "../ir/dtype.js";
import { numel, type Tensor } from "../ir/tensor.js";
import { allocArray } from "../ir/dtype.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** numpy type code (without byte-order char) -> IR dtype it loads as. */
const FROM_DESCR: Record<string, DType> = { f4: "f32", f8: "f32", i1: "i8", u1: "u8", i2: "i16", i4: "i32", i8: "i64", b1: "bool" };
const TO_DESCR: Record<DType, string> = { f32: "<f4", i8: "|i1", u8: "|u1", i16: "<i2", i32: "<i4", i64: "<i8", bool: "|b1" };

/** Decode a .npy file's bytes; `name` (usually the path) prefixes every error. */
export function parseNpy(bytes: Uint8Array, name = "<npy>"): Tensor {
  const fail = (m: string): never => { throw new UserError(`${name}: ${m}`); };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail("not a .npy file (bad magic)");
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hlen: number, hstart: number;
  if (major === 1) { hlen = view.getUint16(8, true); hstart = 10; }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail("truncated header");
    hlen = view.getUint32(8, true); hstart = 12;
  } else return fail(`unsupported .npy format version ${major}.${bytes[7]}`);
  if (hstart + hlen > bytes.length) fail("truncated header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1] ?? fail(`header has no descr: ${header.trim()}`);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] ?? fail("header has no fortran_order");
  const shapeSrc = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? fail("header has no shape");
  if (fortran === "True") fail("fortran_order arrays are not supported (save with C order, e.g. np.ascontiguousarray)");
  const shape = shapeSrc.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) => {
    const n = Number(s.replace(/L$/, ""));
    if (!Number.isInteger(n) || n < 0) fail(`bad shape (${shapeSrc})`);
    return n;
  });
  const order = descr[0]!;
  const code = descr.slice(1);
  const dtype = FROM_DESCR[code] ?? fail(`unsupported dtype ${descr} (supported: f4 f8 i1 u1 i2 i4 i8 b1)`);
  const size = Number(code.slice(1));
  if (order === ">" && size > 1) fail(`big-endian dtype ${descr} is not supported`);
  if (order !== "<" && order !== "|" && order !== "=" && order !== ">") fail(`bad dtype ${descr}`);
  const n = numel(shape);
  const start = hstart + hlen;
  if (bytes.length < start + n * size) fail(`data is truncated: ${bytes.length - start} bytes for ${n} × ${size}`);
  // Copy into an aligned buffer before viewing it as a typed array.
  // (Buffer.slice would share the pool, so copy explicitly.)
  const rawBytes = new Uint8Array(n * size);
  rawBytes.set(bytes.subarray(start, start + n * size));
  const raw = rawBytes.buffer;
  const data = allocArray(dtype, n);
  switch (code) {
    case "f4": data.set(new Float32Array(raw)); break;
    case "f8": data.set(new Float64Array(raw)); break;
    case "i1": data.set(new Int8Array(raw)); break;
    case "u1": data.set(new Uint8Array(raw)); break;
    case "b1": { const u = new Uint8Array(raw); for (let i = 0; i < n; i++) data[i] = u[i] ? 1 : 0; break; }
    case "i2": data.set(new Int16Array(raw)); break;
    case "i4": data.set(new Int32Array(raw)); break;
    case "i8": { const b = new BigInt64Array(raw); for (let i = 0; i < n; i++) data[i] = Number(b[i]!); break; }
  }
  return { dtype, shape, data };
}

/** Encode a tensor as .npy bytes (version 1.0 unless the header needs 2.0). */
export function encodeNpy(t: Tensor): Uint8Array {
  const shapeStr = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(", ")})`;
  let dict = `{'descr': '${TO_DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  let major = 1;
  let pre = 10;
  if (dict.length + 1 + pre > 65535) { major = 2; pre = 12; }
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, " ") + "\n";
  const n = t.data.length;
  let payload: Uint8Array;
  switch (t.dtype) {
    case "i64": { const b = new BigInt64Array(n); for (let i = 0; i < n; i++) b[i] = BigInt(Math.trunc(t.data[i]!)); payload = new Uint8Array(b.buffer); break; }
    case "bool": { const u = new Uint8Array(n); for (let i = 0; i < n; i++) u[i] = t.data[i] ? 1 : 0; payload = u; break; }
    default: { const c = allocArray(t.dtype, n); c.set(t.data); payload = new Uint8Array(c.buffer, c.byteOffset, c.byteLength); }
  }
  const outb = new Uint8Array(total + payload.length);
  outb.set(MAGIC, 0);
  outb[6] = major;
  outb[7] = 0;
  const dv = new DataView(outb.buffer);
  if (major === 1) dv.setUint16(8, dict.length, true);
  else dv.setUint32(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) outb[pre + i] = dict.charCodeAt(i);
  outb.set(payload, total);
  return outb;
}

export function readNpy(path: string): Tensor {
  const bytes: Uint8Array = readUserFile(path);
  return parseNpy(bytes, path);
}

export function writeNpy(path: string, t: Tensor): void {
  fs.writeFileSync(path, encodeNpy(t));
}
