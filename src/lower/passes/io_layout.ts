import { isContiguous } from "../../ir/layout.js";
import type { Pass } from "../../ir/pass.js";
import type { LowerOptions } from "../options.js";
import { CLONE, VIEW } from "./view_chain.js";

/** Channels-last order of a rank-r logical NC… tensor: [0, 2, …, r−1, 1]. */
function channelsLast(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/**
 * `--io-layout nhwc`: graph inputs and outputs of rank ≥ 3 are exchanged in
 * channels-last order, so the wraps at the model boundary disappear:
 *   input → quantize → [view to 4-D] → clone(NHWC)   ⇒ the input is NHWC already
 *   clone(NCHW) → [view to 3-D] → dequantize → output ⇒ the output stays NHWC
 * Values keep their logical shapes; only their dim_order records the bytes.
 */
export const ioLayoutNhwc: Pass<LowerOptions> = {
  name: "IoLayoutNhwc",
  run(g, opts) {
    if (opts.ioLayout !== "nhwc") return { changed: false };
    let changed = false;
    for (const input of g.inputs) {
      if (input.rank < 3) continue;
      const chain = [];
      let v = input;
      for (;;) {
        const us = v.users();
        if (us.length !== 1 || v.uses.length !== 1) break;
        const n = us[0]!;
        if (n.op === "cortex_m.quantize_per_tensor" || n.op === VIEW) {
          chain.push(n);
          v = n.output;
          continue;
        }
        if (n.op === CLONE && (n.attrs.dim_order as number[]).join() === channelsLast(v.rank).join()) chain.push(n);
        break;
      }
      const clone = chain[chain.length - 1];
      if (!clone || clone.op !== CLONE) continue;
      // Every value from the input up to the clone holds channels-last bytes.
      input.type = { ...input.type, dimOrder: channelsLast(input.rank) };
      for (const n of chain.slice(0, -1)) n.output.type = { ...n.output.type, dimOrder: channelsLast(n.output.rank) };
      g.replaceAllUses(clone.output, clone.input(0));
      g.eraseNode(clone);
      changed = true;
    }
    for (const [k, out] of g.outputs.entries()) {
      if (out.rank < 3) continue;
      const chain = [];
      let v = out;
      while (v.producer && (v.producer.op === "cortex_m.dequantize_per_tensor" || v.producer.op === VIEW) && v.producer.input(0).uses.length === 1) {
        chain.push(v.producer);
        v = v.producer.input(0);
      }
      const clone = v.producer;
      if (!clone || clone.op !== CLONE || !isContiguous(clone.attrs.dim_order as number[]) || clone.input(0).uses.length !== 1) continue;
      const src = clone.input(0);
      if (src.rank !== 4 && chain.length === 0) continue;
      g.replaceAllUses(clone.output, src);
      g.eraseNode(clone);
      for (const n of chain.reverse()) n.output.type = { ...n.output.type, dimOrder: channelsLast(n.output.rank) };
      g.outputs[k] = g.outputs[k]!;
      changed = true;
    }
    return { changed };
  },
};
