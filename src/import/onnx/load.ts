// Read and decode an ONNX file, and check the opset before anything else.
import { UserError } from "../../ir/errors.js";
import { readUserFile } from "../../ir/user_files.js";
import { oneLine } from "./issue.js";
import { onnx, toNum, type ModelProto } from "./proto.js";

// Opsets 7–10 are read with their own attribute forms (converters check ctx.opset) and
// mapped to the current semantics at import time.
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

export function readModelBytes(path: string): Uint8Array {
  return readUserFile(path);
}

export function decodeModel(bytes: Uint8Array, file: string): ModelProto {
  let m: ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UserError(`${file}: not a valid ONNX model (${oneLine((e as Error).message)})`);
  }
  // Random bytes can decode as a protobuf message; a model needs at least an IR version and a graph.
  if (!m.graph || toNum(m.irVersion) <= 0) throw new UserError(`${file}: not a valid ONNX model (no graph or IR version)`);
  return m;
}

/** The ai.onnx opset version the model imports, checked against the supported range. */
export function defaultOpset(m: ModelProto, file: string): number {
  const entry = (m.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
  if (!entry) throw new UserError(`${file}: not a valid ONNX model (no ai.onnx opset import)`);
  const v = toNum(entry.version);
  if (v < MIN_OPSET || v > MAX_OPSET) throw new UserError(`${file}: opset ${v} is not supported (the importer handles ai.onnx opsets ${MIN_OPSET}–${MAX_OPSET})`);
  return v;
}
