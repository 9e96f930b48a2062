// Import the nodes of a graph body (the main graph or an inlined If branch) in
// order, wrapping every failure in one line that names the file and the node.
import { IRError, UserError } from "../../ir/errors.js";
import type { Value } from "../../ir/graph.js";
import { ImportContext, Scope } from "./context.js";
import { CONVERTER_EMITS, CONVERTERS } from "./converters/table.js";
import { ImportIssue, OnnxImportError, oneLine } from "./issue.js";
import { OnnxNode, tensorFromProto, type GraphProto } from "./proto.js";

/** How many times each name is read by the nodes of `body`, subgraphs included. */
function readCounts(body: GraphProto, counts = new Map<string, number>()): Map<string, number> {
  for (const n of body.node ?? []) {
    for (const name of n.input ?? []) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const a of n.attribute ?? []) for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) readCounts(g, counts);
  }
  return counts;
}

/**
 * Exporters write a one-sided clamp (torch.clamp(x, min=a)) as a Clip with an
 * infinite initializer on the other side. −Inf as a Clip's min or +Inf as its
 * max is no bound: those inputs are dropped (`drop`: node index → input
 * positions), and an initializer no other node reads is not loaded, so a
 * stored infinity anywhere else is still refused.
 */
function infiniteClipBounds(body: GraphProto): { drop: Map<number, number[]>; unused: Set<string> } {
  const inits = new Map((body.initializer ?? []).map((t) => [t.name ?? "", t]));
  const drop = new Map<number, number[]>();
  const dropped = new Map<string, number>();
  (body.node ?? []).forEach((n, k) => {
    if (n.opType !== "Clip" || (n.domain ?? "") !== "") return;
    for (const i of [1, 2]) {
      const init = inits.get(n.input?.[i] ?? "");
      if (!init) continue;
      let t;
      try {
        t = tensorFromProto(init, "", { infinite: true });
      } catch {
        continue; // loading it below names the problem
      }
      if (t.data.length !== 1 || t.data[0] !== (i === 1 ? -Infinity : Infinity)) continue;
      drop.set(k, [...(drop.get(k) ?? []), i]);
      dropped.set(init.name!, (dropped.get(init.name!) ?? 0) + 1);
    }
  });
  const reads = readCounts(body);
  const unused = new Set([...dropped].filter(([name, c]) => reads.get(name) === c).map(([name]) => name));
  return { drop, unused };
}

export function importBody(ctx: ImportContext, body: GraphProto): void {
  const { drop, unused } = infiniteClipBounds(body);
  for (const init of body.initializer ?? []) {
    const name = init.name ?? "";
    if (unused.has(name)) continue;
    try {
      ctx.scope.set(name, ctx.constant(name, tensorFromProto(init, "the tensor")));
    } catch (e) {
      throw wrap(e, `${ctx.file}: initializer '${name}'`);
    }
  }
  (body.node ?? []).forEach((p, i) => {
    const node = new OnnxNode(p, i);
    for (const k of drop.get(i) ?? []) node.inputs[k] = "";
    convertNode(ctx, node);
  });
}

/** Inline a subgraph in a child scope (outer names stay visible) and return its outputs. */
export function inlineSubgraph(ctx: ImportContext, body: GraphProto): Value[] {
  const outer = ctx.scope;
  const saved = ctx.node;
  const savedEmits = ctx.mayEmit;
  ctx.scope = new Scope(outer);
  try {
    importBody(ctx, body);
    return (body.output ?? []).map((o) => {
      const v = ctx.scope.get(o.name ?? "");
      if (!v) throw new ImportIssue(`subgraph output '${o.name}' is not defined`);
      return v;
    });
  } finally {
    ctx.scope = outer;
    ctx.node = saved;
    ctx.mayEmit = savedEmits;
  }
}

function convertNode(ctx: ImportContext, node: OnnxNode): void {
  try {
    if (node.domain !== "" && node.domain !== "ai.onnx") throw new ImportIssue(`operator domain '${node.domain}' is not supported`);
    const conv = CONVERTERS.get(node.opType);
    if (!conv) throw new ImportIssue("unsupported operator");
    ctx.node = node;
    ctx.mayEmit = CONVERTER_EMITS.get(node.opType) ?? null;
    // ONNX graphs are single-assignment: a second definition of a name (often a
    // graph input) would silently rename the first in the C API.
    for (const name of node.outputs) {
      if (name && ctx.scope.hasOwn(name)) throw new ImportIssue(`output '${name}' is already defined (by a graph input, an initializer or an earlier node)`);
    }
    const outs = conv(ctx, node);
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const v = outs[i];
      if (!v) throw new ImportIssue(`output ${i} ('${name}') is not supported`);
      ctx.scope.set(name, v);
    });
  } catch (e) {
    throw wrap(e, `${ctx.file}: node '${node.name}' (${node.opType})`);
  }
}

/**
 * Turn a failure into a one-line UserError with `where` in front. Errors already
 * formatted (from a nested If body) pass unchanged; TypeError/ReferenceError are
 * bugs in the importer and keep their stack.
 */
export function wrap(e: unknown, where: string): Error {
  if (e instanceof OnnxImportError) return e;
  if (e instanceof ImportIssue || e instanceof UserError || e instanceof IRError || (e instanceof Error && e.constructor === Error) || e instanceof RangeError) {
    return new OnnxImportError(`${where}: ${oneLine(e.message)}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
