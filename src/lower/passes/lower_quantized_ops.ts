import type { Graph } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import type { LowerOptions } from "../options.js";
import { UserError } from "../../ir/errors.js";
import { RequantRangeError } from "../qmath.js";
import { substitutionFor } from "../substitutions/index.js";

/**
 * Rewrites every quantized pattern into cortex_m ops by the substitution
 * registered for its anchor op (src/lower/substitutions). A node that stays
 * float records why in `node.meta.notLowered`, which `inspect` reports.
 */
export const lowerQuantizedOps: Pass<LowerOptions> = {
  name: "LowerQuantizedOps",
  run(g: Graph, opts) {
    let changed = false;
    for (const node of [...g.nodes]) {
      if (!g.nodes.includes(node)) continue;
      const live = node.outputs.some((o) => o.uses.length > 0 || g.outputs.includes(o));
      if (!live) continue;
      const sub = substitutionFor(node.op);
      if (!sub) continue;
      let reason: string | null;
      try {
        reason = sub(g, node, opts);
      } catch (e) {
        if (e instanceof RequantRangeError) throw new UserError(`lower: node ${node.name} (${node.op}): ${e.message}`);
        throw e;
      }
      if (reason === null) changed = true;
      else node.meta.notLowered = reason;
    }
    return { changed };
  },
};
