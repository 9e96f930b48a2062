// The model's inputs and outputs as the generated API sees them. An input
// read only by a float→int8 quantize (and an output written only by an
// int8→float dequantize) is an int8 port: `<name>_run` takes / gives the int8
// bytes, `<name>_run_float` quantizes / dequantizes at the same schedule step.
// Any other input or output keeps its dtype in both functions. A port is named
// for the model's own input / output (the float graph's, by position), not for
// the value quantization put there (`dequantize_probs_1_1` → `probs`).
import { decoderOf } from "../ir/bindings.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/cortex_m/quant.js";
import { storesRowMajor } from "../ir/layout.js";
import { NameTable, portIdentifier } from "./names.js";

export interface Port {
  index: number;
  /** The model's own name of the port (any text: escape it for C). */
  name: string;
  /** C parameter name: `name` sanitised, unique among the ports. */
  param: string;
  /** The graph input / output value (logical, row-major for the caller). */
  value: Value;
  /** Quantize (inputs) / dequantize (outputs) node the API replaces; null for plain ports. */
  border: Node | null;
  /** The int8 value in the arena for border ports, else `value`. */
  arenaValue: Value;
  scale?: number;
  zeroPoint?: number;
}

export interface Ports {
  inputs: Port[];
  outputs: Port[];
  borderNodes: Set<Node>;
}

/** Words the generated functions use beside the ports. */
const TAKEN = ["arena", "in", "out", "float_io", "ctx", "size"];

/**
 * `modelNames`: the model's input and output names in graph order (default: the values' names).
 * `int16Ports`: an int16 border is a port too (integer-only builds, where a conversion in a step would be float
 * arithmetic on every call: e.g. a recurrent state carried as int16); otherwise it stays an op of the program.
 */
export function findPorts(g: Graph, modelNames?: { inputs: readonly string[]; outputs: readonly string[] }, int16Ports = false): Ports {
  const portDtype = (d: string): boolean => d === "i8" || (int16Ports && d === "i16");
  const names = new NameTable(TAKEN);
  const own = (list: readonly string[] | undefined, all: readonly Value[], i: number): string =>
    list && list.length === all.length ? list[i]! : all[i]!.name;
  const borderNodes = new Set<Node>();
  const inputs = g.inputs.map((v, index): Port => {
    const name = own(modelNames?.inputs, g.inputs, index);
    const param = names.unique(name, "", 63, portIdentifier);
    const users = v.users();
    const q = users.length === 1 && v.uses.length === 1 ? users[0]! : null;
    // An int16 border stays an op of the program unless int16Ports (the API's quantized ports are int8).
    if (q && q.op === QUANTIZE_PER_TENSOR.name && v.dtype === "f32" && portDtype(q.output.dtype) && !g.outputs.includes(v) &&
        storesRowMajor(v.type) && storesRowMajor(q.output.type)) {
      borderNodes.add(q);
      const r = decoderOf(QUANTIZE_PER_TENSOR)(q);
      return { index, name, param, value: v, border: q, arenaValue: q.output, scale: r.scale, zeroPoint: r.zeroPoint };
    }
    return { index, name, param, value: v, border: null, arenaValue: v };
  });
  const outputs = g.outputs.map((v, index): Port => {
    const name = own(modelNames?.outputs, g.outputs, index);
    const param = names.unique(name, "", 63, portIdentifier);
    const d = v.producer;
    if (d && d.op === DEQUANTIZE_PER_TENSOR.name && portDtype(d.input(0).dtype) && v.uses.length === 0 && g.outputs.indexOf(v) === index &&
        !d.input(0).isConst() && storesRowMajor(v.type) && storesRowMajor(d.input(0).type)) {
      borderNodes.add(d);
      const r = decoderOf(DEQUANTIZE_PER_TENSOR)(d);
      return { index, name, param, value: v, border: d, arenaValue: d.input(0), scale: r.scale, zeroPoint: r.zeroPoint };
    }
    return { index, name, param, value: v, border: null, arenaValue: v };
  });
  return { inputs, outputs, borderNodes };
}
