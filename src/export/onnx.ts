// Graph → ONNX ModelProto bytes (IR version 8, opset 17), for running a built-in or
// transformed float/QDQ graph in ONNX Runtime or viewing it in Netron.
import type { DType } from "../ir/dtype.js";
import { UserError } from "../ir/errors.js";
import type { Graph, Value } from "../ir/graph.js";
import { emitterFor, type EmitContext } from "./onnx_ops.js";
import { attribute, onnx, tensor, valueInfo, type NodeProto, type OnnxAttr, type TensorProto } from "./proto.js";

export interface ExportOptions {
  /** Opset of the default domain (the emitters target 17). */
  opset?: number;
  producerName?: string;
  /** Write value_info (shape and dtype) for every intermediate value (default true). */
  valueInfo?: boolean;
}

/** ONNX names: printable, no spaces, unique within the model. */
class Names {
  private used = new Set<string>();
  private byValue = new Map<Value, string>();

  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.:\/-]/g, "_") || "v";
    let n = clean;
    for (let i = 1; this.used.has(n); i++) n = `${clean}_${i}`;
    this.used.add(n);
    return n;
  }

  of(v: Value): string {
    let n = this.byValue.get(v);
    if (!n) {
      n = this.fresh(v.name);
      this.byValue.set(v, n);
    }
    return n;
  }
}

export function exportOnnx(g: Graph, opts: ExportOptions = {}): Uint8Array {
  const names = new Names();
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];

  // Graph inputs, then constants, claim their names first so they stay as the user knows them.
  for (const v of g.inputs) names.of(v);
  for (const v of g.outputs) if (!v.isConst()) names.of(v);
  for (const c of g.constants) {
    if (c.uses.length === 0 && !g.outputs.includes(c)) continue;
    initializers.push(tensor(names.of(c), c.dtype, c.shape, c.data!));
  }

  for (const n of g.nodes) {
    const nodeName = names.fresh(n.name);
    let emitted = 0;
    const ctx: EmitContext = {
      node: n,
      input: (i) => {
        const v = n.inputs[i];
        return v ? names.of(v) : "";
      },
      output: (i) => names.of(n.outputs[i]!),
      emit: (opType, inputs, outputs, attrs = {}) => {
        nodes.push({
          name: emitted++ === 0 ? nodeName : names.fresh(nodeName),
          opType,
          input: inputs,
          output: outputs,
          attribute: Object.entries(attrs).map(([k, a]: [string, OnnxAttr]) => attribute(k, a)),
        });
      },
      temp: (suffix) => names.fresh(`${nodeName}/${suffix}`),
      constant: (dtype: DType, values, dims) => {
        const name = names.fresh(`${nodeName}/const`);
        initializers.push(tensor(name, dtype, dims ?? [values.length], values));
        return name;
      },
    };
    emitterFor(n)(ctx);
  }

  const graph: onnxProtoGraph = {
    name: g.name,
    node: nodes,
    initializer: initializers,
    input: g.inputs.map((v) => valueInfo(names.of(v), v.dtype, v.shape)),
    output: g.outputs.map((v) => valueInfo(names.of(v), v.dtype, v.shape)),
  };
  if (opts.valueInfo ?? true) {
    const boundary = new Set([...g.inputs, ...g.outputs]);
    graph.valueInfo = g.nodes.flatMap((n) => n.outputs).filter((v) => !boundary.has(v)).map((v) => valueInfo(names.of(v), v.dtype, v.shape));
  }
  for (const o of g.outputs) {
    if (g.inputs.includes(o)) throw new UserError(`export: graph output ${o.name} is a graph input; ONNX needs a node between them`);
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: opts.opset ?? 17 }],
    producerName: opts.producerName ?? "cmsis-lower",
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

type onnxProtoGraph = Parameters<typeof onnx.GraphProto.create>[0] & {};
