// Resize (nearest) → aten.upsample_nearest2d, whose source index is floor(dst·in/out).
// For integer up-scaling factors k that is what ONNX computes with
// asymmetric+floor and with (pytorch_)half_pixel+round_prefer_floor/ceil, since
// (x+0.5)/k − 0.5 always lies strictly within 0.5 of floor(x/k). Other
// combinations would pick different pixels and are refused.
import { fmt } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { UPSAMPLE_NEAREST2D } from "../../../ops/resize/upsample.js";

const resize: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  if (x.rank !== 4) throw new ImportIssue(`only 4-D (NCHW) inputs are supported, got ${fmt(x.shape)}`);
  const mode = n.str("mode", "nearest");
  if (mode !== "nearest") throw new ImportIssue(`mode '${mode}' is not supported (only nearest)`);
  const coord = n.str("coordinate_transformation_mode", "half_pixel");
  const nearest = n.str("nearest_mode", "round_prefer_floor");
  const ok = coord === "asymmetric" ? nearest === "floor"
    : (coord === "half_pixel" || coord === "pytorch_half_pixel") && (nearest === "round_prefer_floor" || nearest === "round_prefer_ceil");
  if (!ok) throw new ImportIssue(`coordinate_transformation_mode '${coord}' with nearest_mode '${nearest}' is not supported`);
  if (n.has("axes")) throw new ImportIssue("the axes attribute is not supported");
  // Inputs (opset >= 11): X, roi (ignored by nearest), scales, sizes.
  const scalesV = ctx.input(n, 2);
  const sizesV = ctx.input(n, 3);
  let out: number[];
  const sizes = sizesV ? ctx.constInts(sizesV, "sizes") : [];
  if (sizes.length > 0) {
    out = sizes;
  } else {
    const scales = scalesV ? ctx.constInts(scalesV, "scales") : [];
    if (scales.length === 0) throw new ImportIssue("neither scales nor sizes is given");
    out = x.shape.map((d, i) => Math.floor(d * scales[i]!));
  }
  if (out.length !== 4) throw new ImportIssue(`scales/sizes have ${out.length} entries for a rank-4 input`);
  if (out[0] !== x.shape[0] || out[1] !== x.shape[1]) throw new ImportIssue(`resizing the batch or channel dims (${fmt(x.shape)} → ${fmt(out)}) is not supported`);
  for (const i of [2, 3]) {
    if (out[i]! < x.shape[i]! || out[i]! % x.shape[i]! !== 0) {
      throw new ImportIssue(`only integer up-scaling is supported, got ${fmt(x.shape)} → ${fmt(out)}`);
    }
  }
  return [ctx.emit1(UPSAMPLE_NEAREST2D.name, [x], { output_size: [out[2]!, out[3]!] })];
};

export const RESIZE_CONVERTERS: Record<string, Converter> = { Resize: resize };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const RESIZE_EMITS: readonly OpDef[] = [UPSAMPLE_NEAREST2D];
