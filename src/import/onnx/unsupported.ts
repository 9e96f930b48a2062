// Before converting anything, list every operator of the model (subgraphs of If
// included) that no converter handles, so a user sees the whole gap in one line
// rather than one op per attempt.
import { CONVERTERS } from "./converters/table.js";
import { OnnxImportError } from "./issue.js";
import type { GraphProto } from "./proto.js";

/** Op types no converter can handle, with why, where a reason is more useful than "unsupported". */
const REASONS: Readonly<Record<string, string>> = {
  Loop: "a static graph cannot hold a data-dependent loop",
  Scan: "a static graph cannot hold a data-dependent loop",
};

/** "domain.Op" for a foreign domain, else the op type. */
function opKey(domain: string, op: string): string {
  return domain === "" || domain === "ai.onnx" ? op : `${domain}.${op}`;
}

function collect(body: GraphProto, counts: Map<string, number>): void {
  for (const n of body.node ?? []) {
    const domain = n.domain ?? "";
    const op = n.opType ?? "";
    const known = (domain === "" || domain === "ai.onnx") && CONVERTERS.has(op) && !(op in REASONS);
    if (!known) {
      const key = opKey(domain, op);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const a of n.attribute ?? []) {
      if (a.g) collect(a.g, counts);
      for (const g of a.graphs ?? []) collect(g, counts);
    }
  }
}

/** Throw one line naming every unsupported op type of the model and how often it occurs. */
export function checkSupportedOps(body: GraphProto, file: string): void {
  const counts = new Map<string, number>();
  collect(body, counts);
  if (counts.size === 0) return;
  const list = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, k]) => `${op || "(empty op type)"} ×${k}${REASONS[op] ? ` (${REASONS[op]})` : ""}`);
  const kinds = counts.size === 1 ? "1 unsupported operator type" : `${counts.size} unsupported operator types`;
  throw new OnnxImportError(`${file}: ${kinds}: ${list.join(", ")}`);
}
