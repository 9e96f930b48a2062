// Exact C spellings of numbers and constant data. Floats are written as C99
// hexadecimal literals so the compiler reads back the very float32 the TS side
// holds; int8 tables are string literals (far faster for compilers to parse
// than brace lists of the same bytes, which matters for multi-megabyte weights).
import type { DType, TypedArray } from "../ir/dtype.js";

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The float32 nearest to x as an exact C99 hex float literal (e.g. 0x1.8p-3f). */
export function hexFloat(x: number): string {
  F32[0] = x;
  const bits = U32[0]!;
  const sign = bits >>> 31 ? "-" : "";
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) {
    if (mant !== 0) return "(0.0f / 0.0f)";
    return sign ? "(-1.0f / 0.0f)" : "(1.0f / 0.0f)";
  }
  if (exp === 0 && mant === 0) return `${sign}0.0f`;
  const frac = (mant << 1).toString(16).padStart(6, "0").replace(/0+$/, "");
  const lead = exp === 0 ? "0" : "1";
  const e = exp === 0 ? -126 : exp - 127;
  return `${sign}0x${lead}${frac ? "." + frac : ""}p${e}f`;
}

/** A double as an exact C literal (hex, no suffix). */
export function hexDouble(x: number): string {
  if (Number.isNaN(x)) return "(0.0 / 0.0)";
  if (!Number.isFinite(x)) return x > 0 ? "(1.0 / 0.0)" : "(-1.0 / 0.0)";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const sign = hi >>> 31 ? "-" : "";
  const exp = (hi >>> 20) & 0x7ff;
  const mant = ((hi & 0xfffff).toString(16).padStart(5, "0") + lo.toString(16).padStart(8, "0")).replace(/0+$/, "");
  const lead = exp === 0 ? "0" : "1";
  const e = exp === 0 ? -1022 : exp - 1023;
  return `${sign}0x${lead}${mant ? "." + mant : ""}p${e}`;
}

/** An int32 as a C expression of type int32_t (INT32_MIN needs the two-term form). */
export function cInt(x: number): string {
  if (!Number.isInteger(x)) throw new Error(`cInt: ${x} is not an integer`);
  if (x === -2147483648) return "(-2147483647 - 1)";
  return String(x);
}

export const C_TYPES: Record<DType, string> = {
  f32: "float", i8: "int8_t", u8: "uint8_t", bool: "uint8_t", i16: "int16_t", i32: "int32_t", i64: "int64_t",
};

const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const IS_HEX = Uint8Array.from({ length: 256 }, (_, c) => (/[0-9a-fA-F]/.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * The body of a byte-table initializer as latin1 bytes: a C string literal of
 * exactly n bytes (no terminating NUL is stored), 32 bytes per line. Written
 * straight into one buffer: Wav2Letter has 34 MB of tables.
 */
export function byteTableBytes(data: TypedArray | ArrayLike<number>, pad = 0, indent = "    "): Uint8Array {
  const n = data.length + pad;
  const PER = 32;
  const lines = Math.max(1, Math.ceil(n / PER));
  const ind = Buffer.from(indent, "latin1");
  const buf = new Uint8Array(lines * (ind.length + 3) + n * 4);
  const bytes = data instanceof Int8Array || data instanceof Uint8Array ? new Uint8Array(data.buffer, data.byteOffset, data.length) : Uint8Array.from(data as ArrayLike<number>, (x) => x & 0xff);
  const len = bytes.length;
  let p = 0;
  for (let i = 0; i < lines; i++) {
    if (i > 0) buf[p++] = 10; // "\n"
    buf.set(ind, p);
    p += ind.length;
    buf[p++] = 34; // '"'
    const end = Math.min(n, (i + 1) * PER);
    let afterHex = false;
    for (let j = i * PER; j < end; j++) {
      const b = j < len ? bytes[j]! : 0;
      // Printable bytes go in as themselves (a third of random weights); a hex escape
      // is needed for '"', '\\', '?' (trigraphs), non-printables, and a hex digit
      // right after an escape (it would extend the escape).
      if (b >= 32 && b <= 126 && b !== 34 && b !== 92 && b !== 63 && !(afterHex && IS_HEX[b])) {
        buf[p++] = b;
        afterHex = false;
        continue;
      }
      buf[p] = 92; // '\\'
      buf[p + 1] = 120; // 'x'
      buf[p + 2] = HEX_DIGITS[b >> 4]!;
      buf[p + 3] = HEX_DIGITS[b & 15]!;
      p += 4;
      afterHex = true;
    }
    buf[p++] = 34;
  }
  return buf.subarray(0, p);
}

/** Body lines of an initializer for `data` (padded with `pad` zero elements). */
export function initializerLines(dtype: DType, data: TypedArray | ArrayLike<number>, pad = 0, indent = "    "): string[] {
  const n = data.length + pad;
  const at = (i: number): number => (i < data.length ? data[i]! : 0);
  if (dtype === "i8" || dtype === "u8" || dtype === "bool") return [Buffer.from(byteTableBytes(data, pad, indent)).toString("latin1")];
  const fmt = dtype === "f32" ? hexFloat : dtype === "i64" ? (x: number) => `INT64_C(${Math.trunc(x)})` : cInt;
  const per = dtype === "f32" ? 6 : 12;
  const lines: string[] = [];
  for (let i = 0; i < n; i += per) {
    const row: string[] = [];
    for (let j = i; j < Math.min(n, i + per); j++) row.push(fmt(at(j)));
    lines.push(indent + row.join(", ") + ",");
  }
  return lines;
}

/** True when the initializer lines are a string literal (no braces around them). */
export function isByteTable(dtype: DType): boolean {
  return dtype === "i8" || dtype === "u8" || dtype === "bool";
}

// Model-controlled text (node, tensor and port names, file names) reaches C
// comments and string literals. Both escapes keep the text to printable ASCII,
// so no name can end a comment or a literal, splice a line, form a trigraph or
// carry bytes a compiler reads in another character set.

/** Text for inside a block comment: cannot close or open one, no trigraphs, no line breaks. */
export function commentSafe(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const last = out[out.length - 1];
    // A backslash between "*" and "/" (either order) and between two "?" breaks
    // "*/" (would end the comment), "/*" (-Wcomment) and trigraphs.
    if (((ch === "/" || ch === "*") && (last === "/" || last === "*")) || (ch === "?" && last === "?")) out += "\\";
    if (ch === "\\") out += "\\\\";
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += `\\u{${c.toString(16)}}`;
  }
  return out;
}

/**
 * A C string literal holding exactly the UTF-8 bytes of `s`: quotes, backslashes
 * and '?' (trigraphs) escaped, every byte outside printable ASCII as a 3-digit
 * octal escape (an octal escape never runs into the character after it).
 */
export function cString(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, "utf8")) {
    if (b === 0x22 || b === 0x5c || b === 0x3f) out += "\\" + String.fromCharCode(b);
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += "\\" + b.toString(8).padStart(3, "0");
  }
  return out + '"';
}
