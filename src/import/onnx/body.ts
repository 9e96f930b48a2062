// Import the nodes of a graph body (the main graph or an inlined If branch) in
// order, wrapping every failure in one line that names the file and the node.
import { IRError, UserError } from "../../ir/errors.js";
import type { Value } from "../../ir/graph.js";
import { ImportContext, Scope } from "./context.js";
import { CONVERTER_EMITS, CONVERTERS } from "./converters/table.js";
import { ImportIssue, OnnxImportError, oneLine } from "./issue.js";
import { OnnxNode, tensorFromProto, type GraphProto } from "./proto.js";

export function importBody(ctx: ImportContext, body: GraphProto): void {
  for (const init of body.initializer ?? []) {
    const name = init.name ?? "";
    try {
      ctx.scope.set(name, ctx.constant(name, tensorFromProto(init, "the tensor")));
    } catch (e) {
      throw wrap(e, `${ctx.file}: initializer '${name}'`);
    }
  }
  (body.node ?? []).forEach((p, i) => convertNode(ctx, new OnnxNode(p, i)));
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
