// Multiply-accumulates of a lowered program: its convolutions and linears
// (the work CMSIS-NN does; layout, elementwise and float tails are not counted).
import type { Graph, Node } from "../ir/graph.js";

/** MACs of one node (0 for ops that are not conv / linear). */
export function nodeMacs(n: Node): number {
  const y = n.outputs[0];
  if (!y) return 0;
  switch (n.op) {
    case "cortex_m.quantized_conv2d": {
      const [, kh, kw, cin] = n.input(1).shape as [number, number, number, number];
      return y.numel * kh * kw * cin;
    }
    case "cortex_m.quantized_depthwise_conv2d": {
      const [, kh, kw] = n.input(1).shape as [number, number, number, number];
      return y.numel * kh * kw;
    }
    case "cortex_m.quantized_linear":
      return y.numel * n.input(1).shape[1]!;
    default:
      return 0;
  }
}

export function countMacs(g: Graph): number {
  let s = 0;
  for (const n of g.nodes) s += nodeMacs(n);
  return s;
}
