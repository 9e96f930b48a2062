import type { Pass } from "../../ir/pass.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import { soleUser } from "../match.js";

/**
 * FoldTableChain: two int8 tables in a row, t1 then t2, are one table
 * t[i] = t2[t1[i] + 128] — the same bytes for every input, so the program's
 * results do not change and one pass over the tensor is saved. Exporters
 * write chains of one-input ops (PP-LCNetV3: a·x + b, hardswish, a·x + b
 * between two convs), each of which became its own table.
 */
export const foldTableChain: Pass = {
  name: "FoldTableChain",
  run(g) {
    let changed = false;
    for (const second of [...g.nodes]) {
      if (second.op !== QUANTIZED_ACTIVATION.name || !g.nodes.includes(second)) continue;
      const first = second.input(0).producer;
      if (!first || first.op !== QUANTIZED_ACTIVATION.name || soleUser(g, first.output) !== second) continue;
      const t1 = first.input(1).data!, t2 = second.input(1).data!;
      const t = new Int8Array(256);
      for (let i = 0; i < 256; i++) t[i] = t2[Number(t1[i]) + 128]!;
      const table = g.addConst(`${second.name}_lut`, "i8", [256], t);
      const fns = [first.attrs.function, second.attrs.function].map((f) => (typeof f === "string" ? f : "table"));
      g.setInput(second, 0, first.input(0));
      g.setInput(second, 1, table);
      second.attrs = { function: fns.join("_then_") };
      g.eraseNode(first);
      changed = true;
    }
    if (changed) g.dce();
    return { changed };
  },
};
