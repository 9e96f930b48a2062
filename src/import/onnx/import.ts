// importOnnx: ONNX file or bytes → verified IR graph in the float dialect.
import { basename } from "node:path";
import { Graph } from "../../ir/graph.js";
import { checkGraphMemory } from "../../ir/limits.js";
import { verifyGraph } from "../../ir/verify.js";
import { importBody, inlineSubgraph, wrap } from "./body.js";
import { ImportContext } from "./context.js";
import { addGraphInputs, type InputOptions } from "./inputs.js";
import { OnnxImportError } from "./issue.js";
import { decodeModel, defaultOpset, readModelBytes } from "./load.js";
import { checkSupportedOps } from "./unsupported.js";
import { fuseHardswish } from "./fuse_hardswish.js";
import "../../ops/index.js";

export interface ImportOptions extends InputOptions {
  /** Graph name, and the file label in errors when importing from bytes. */
  name?: string;
}

export function importOnnx(source: string | Uint8Array, opts: ImportOptions = {}): Graph {
  const file = typeof source === "string" ? source : (opts.name ?? "model.onnx");
  const bytes = typeof source === "string" ? readModelBytes(source) : source;
  const model = decodeModel(bytes, file);
  const opset = defaultOpset(model, file);
  const body = model.graph!;
  checkSupportedOps(body, file);
  const g = new Graph(opts.name ?? (typeof source === "string" ? basename(source).replace(/\.onnx$/i, "") : body.name || "model"));
  const ctx = new ImportContext(g, file, opset, inlineSubgraph);
  ctx.countReaders(body);
  addGraphInputs(ctx, body, opts);
  importBody(ctx, body);
  // A model without outputs would compile to `int model_run(void)`, which computes nothing.
  if ((body.output ?? []).length === 0) throw new OnnxImportError(`${file}: the model has no outputs`);
  for (const o of body.output ?? []) {
    const name = o.name ?? "";
    const v = ctx.scope.get(name);
    if (!v) throw new OnnxImportError(`${file}: graph output '${name}' is not produced by any node`);
    // A graph input listed as an output has nothing to compute, and its C parameter would need a second name.
    if (g.inputs.includes(v)) throw new OnnxImportError(`${file}: graph output '${name}' is the graph input itself (nothing computes it); remove it from the outputs`);
    if (g.outputs.includes(v)) throw new OnnxImportError(`${file}: graph output '${name}' is listed twice`);
    g.outputs.push(v);
  }
  // Multi-node patterns of exporters that lack the op, as the one op (before naming, so outputs keep their ONNX names).
  fuseHardswish(g);
  nameOutputs(g, (body.output ?? []).map((o) => o.name ?? ""));
  g.dce();
  try {
    verifyGraph(g, "onnx import");
  } catch (e) {
    throw wrap(e, file);
  }
  checkGraphMemory(g, file, ctx.limits);
  return g;
}

/**
 * Give graph outputs their ONNX names (runtimes and the Silero stream descriptor
 * look outputs up by name). Node outputs get the names the renamed values freed.
 */
function nameOutputs(g: Graph, names: string[]): void {
  g.outputs.forEach((v, i) => {
    const want = names[i]!;
    if (v.name === want || v.producer === null) return;
    const clash = g.values().find((x) => x.name === want);
    if (clash) return;
    v.name = g.uniqueName(want);
  });
}
