// <name>_weights.c / .h: every constant the program reads, as an aligned
// const array (flash), with the layer names that use it beside it. Placement is
// configurable with <NAME>_WEIGHTS_ATTR (e.g. a section for external flash).
import type { TypedArray } from "../ir/dtype.js";
import { fmtShape } from "../ir/tensor.js";
import { byteTableBytes, C_TYPES, commentSafe, initializerLines, isByteTable } from "./cfmt.js";
import type { WeightUse } from "./context.js";

export interface WeightFiles {
  header: string;
  source: string;
  bytes: number;
}

// Byte tables are string literals: one more byte holds the literal's NUL, so
// no compiler warns about an unterminated initializer (GCC 15 -Wextra does).
function arrayLength(w: WeightUse): number {
  return Math.max(1, w.value.numel + w.pad) + (isByteTable(w.value.dtype) ? 1 : 0);
}

export function emitWeights(prefix: string, weights: readonly WeightUse[], banner: string): WeightFiles {
  const P = prefix.toUpperCase();
  const guard = `${P}_WEIGHTS_H`;
  const h: string[] = [
    banner,
    `#ifndef ${guard}`,
    `#define ${guard}`,
    "",
    "#include <stdint.h>",
    "",
    "/* Attributes of every weight array: alignment by default; define it (e.g. with a section) to place the weights. */",
    `#ifndef ${P}_WEIGHTS_ATTR`,
    "#if defined(__GNUC__) || defined(__clang__)",
    `#define ${P}_WEIGHTS_ATTR __attribute__((aligned(16)))`,
    "#else",
    `#define ${P}_WEIGHTS_ATTR`,
    "#endif",
    "#endif",
    "",
  ];
  // The source is assembled as latin1 bytes in one pass: byte tables are tens of
  // megabytes for big models, and joining them as strings copies them twice.
  const parts: Uint8Array[] = [];
  const text = (...lines: string[]): void => {
    parts.push(Buffer.from(lines.join("\n") + "\n", "latin1"));
  };
  text(banner, `#include "${prefix}_weights.h"`, "");
  let bytes = 0;
  for (const w of weights) {
    const v = w.value;
    const ct = C_TYPES[v.dtype];
    const len = arrayLength(w);
    bytes += len * (v.dtype === "f32" || v.dtype === "i32" ? 4 : v.dtype === "i16" ? 2 : v.dtype === "i64" ? 8 : 1);
    h.push(`extern const ${ct} ${w.symbol}[${len}];`);
    text(`/* ${commentSafe(v.name)}: ${v.dtype}${fmtShape(v.shape)}${w.pad ? ` + ${w.pad} zero (kernel over-read)` : ""}; used by ${commentSafe(w.users.join(", "))} */`);
    const data = (v.data ?? new Int8Array(0)) as TypedArray;
    if (isByteTable(v.dtype)) {
      text(`${P}_WEIGHTS_ATTR const ${ct} ${w.symbol}[${len}] =`);
      parts.push(byteTableBytes(data, len - v.numel - 1));
      text(";", "");
    } else {
      text(`${P}_WEIGHTS_ATTR const ${ct} ${w.symbol}[${len}] = {`, ...initializerLines(v.dtype, data, len - v.numel), "};", "");
    }
  }
  h.push("", `#endif /* ${guard} */`, "");
  const source = Buffer.concat(parts).toString("latin1").replace(/\n$/, "");
  return { header: h.join("\n"), source, bytes };
}
