import type { Value } from "../../../ir/graph.js";
import type { ImportContext } from "../context.js";
import type { OnnxNode } from "../proto.js";

/** Converts one ONNX node to IR nodes/constants; returns a Value per ONNX output (null = not produced). */
export type Converter = (ctx: ImportContext, node: OnnxNode) => (Value | null)[];
