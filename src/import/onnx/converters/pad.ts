// Pad → aten.pad (same ONNX pad order: begins of every dim, then ends).
import { fmt, normAxis } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { PAD_OP } from "../../../ops/shape/pad.js";

const pad: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "data");
  const r = x.rank;
  const mode = n.str("mode", "constant");
  if (mode !== "constant" && mode !== "reflect") throw new ImportIssue(`pad mode '${mode}' is not supported (constant, reflect)`);
  // Before opset 11, pads and value are attributes.
  if (ctx.opset < 11) {
    const attrPads = n.ints("pads");
    if (!attrPads) throw new ImportIssue("missing pads");
    if (attrPads.length !== 2 * r) throw new ImportIssue(`pads has ${attrPads.length} entries, input ${fmt(x.shape)} needs ${2 * r}`);
    if (attrPads.every((p) => p === 0)) return [x];
    return [ctx.emit1(PAD_OP.name, [x], { pads: attrPads, mode, value: n.float("value", 0) })];
  }
  // Inputs since opset 11: pads, optional constant_value, optional axes (opset 18).
  let pads = ctx.constInts(ctx.need(n, 1, "pads"), "pads");
  let value = 0;
  const cv = ctx.input(n, 2);
  if (cv) {
    const t = ctx.constData(cv, "constant_value");
    if (t.data.length !== 1) throw new ImportIssue(`constant_value must be a scalar, got ${fmt(t.shape)}`);
    value = t.data[0]!;
  }
  const av = ctx.input(n, 3);
  if (av) {
    // pads only name the listed axes; spread them over all dims.
    const axes = ctx.constInts(av, "axes").map((a) => normAxis(a, r));
    if (pads.length !== 2 * axes.length) throw new ImportIssue(`${pads.length} pads for ${axes.length} axes`);
    const full = new Array<number>(2 * r).fill(0);
    axes.forEach((a, i) => {
      full[a] = pads[i]!;
      full[r + a] = pads[axes.length + i]!;
    });
    pads = full;
  }
  if (pads.length !== 2 * r) throw new ImportIssue(`pads has ${pads.length} entries, input ${fmt(x.shape)} needs ${2 * r}`);
  if (pads.every((p) => p === 0)) return [x];
  return [ctx.emit1(PAD_OP.name, [x], { pads, mode, value })];
};

export const PAD_CONVERTERS: Record<string, Converter> = { Pad: pad };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const PAD_EMITS: readonly OpDef[] = [PAD_OP];
