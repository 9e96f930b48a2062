import { test } from "node:test";
import assert from "node:assert/strict";
import { tableLines } from "./text_table.js";

test("tableLines pads each column to its widest cell, two spaces apart, trailing blanks cut", () => {
  const lines = tableLines([["op", "count"], ["cortex_m.quantized_conv2d", "12"], ["aten.view_copy", "3"]]);
  assert.deepEqual(lines, [
    "op                         count",
    "cortex_m.quantized_conv2d  12",
    "aten.view_copy             3",
  ]);
});

test("tableLines: indent, a rule under the header, right-aligned columns, missing cells", () => {
  const lines = tableLines([["step", "", "instructions"], ["conv", "", "1200"], ["glue"]], { indent: "  ", rule: true, rightAligned: (i) => i === 2 });
  assert.deepEqual(lines, [
    "  step    instructions",
    "  ----    ------------",
    "  conv            1200",
    "  glue",
  ]);
  assert.deepEqual(tableLines([]), []);
});
