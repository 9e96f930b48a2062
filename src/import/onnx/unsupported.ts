// Before converting anything, list every operator of the model that no converter
// handles, so a user sees the whole gap in one line rather than one op per attempt.
// Ops inside If branches are named too, but only fail the import when their branch
// is imported: a branch that a constant condition never takes may hold anything.
import { CONVERTERS } from "./converters/table.js";
import { ImportIssue, OnnxImportError } from "./issue.js";
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

type Counts = Map<string, number>;

/** Count the unsupported ops of `body` itself into `own`, and those of its subgraphs (at any depth) into `nested`. */
function collect(body: GraphProto, own: Counts, nested: Counts): void {
  for (const n of body.node ?? []) {
    const domain = n.domain ?? "";
    const op = n.opType ?? "";
    if (!((domain === "" || domain === "ai.onnx") && CONVERTERS.has(op))) {
      const key = opKey(domain, op);
      own.set(key, (own.get(key) ?? 0) + 1);
    }
    for (const a of n.attribute ?? []) {
      for (const sub of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) collect(sub, nested, nested);
    }
  }
}

function describe(counts: Counts): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, k]) => `${op || "(empty op type)"} ×${k}${REASONS[op] ? ` (${REASONS[op]})` : ""}`)
    .join(", ");
}

/** The one-line message for `body`'s unsupported ops, or null when it has none. */
function unsupportedMessage(body: GraphProto): string | null {
  const own: Counts = new Map();
  const nested: Counts = new Map();
  collect(body, own, nested);
  if (own.size === 0) return null;
  const kinds = own.size === 1 ? "1 unsupported operator type" : `${own.size} unsupported operator types`;
  return `${kinds}: ${describe(own)}${nested.size > 0 ? `; inside If branches: ${describe(nested)}` : ""}`;
}

/** Throw one line naming every unsupported op type of the model's graph and how often it occurs. */
export function checkSupportedOps(body: GraphProto, file: string): void {
  const msg = unsupportedMessage(body);
  if (msg) throw new OnnxImportError(`${file}: ${msg}`);
}

/** The same for a subgraph about to be imported (the If node's name goes in front). */
export function checkSupportedBranch(body: GraphProto, branch: string): void {
  const msg = unsupportedMessage(body);
  if (msg) throw new ImportIssue(`${branch}: ${msg}`);
}
