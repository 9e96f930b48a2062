// Multiply-accumulates of a lowered program: the work CMSIS-NN does in its
// convolutions, fully-connected layers, batch matmuls and integer LSTMs, read from their records (layout,
// elementwise and float tails are not counted).
import { decoderOf } from "../../ir/bindings.js";
import type { Graph, Node } from "../../ir/graph.js";
import { dimsCount } from "../../kernels/types.js";
import { QUANTIZED_CONV2D, QUANTIZED_DEPTHWISE_CONV2D } from "./conv.js";
import { QUANTIZED_LINEAR } from "./linear.js";
import { QUANTIZED_BATCH_MATMUL } from "./batch_matmul.js";
import { QUANTIZED_LSTM } from "./lstm.js";

/** MACs of one node (0 for ops that are not conv / linear / batch matmul / LSTM). */
export function nodeMacs(n: Node): number {
  switch (n.op) {
    case QUANTIZED_CONV2D.name: {
      const p = decoderOf(QUANTIZED_CONV2D)(n);
      return dimsCount(p.output) * p.filter.h * p.filter.w * p.filter.c;
    }
    case QUANTIZED_DEPTHWISE_CONV2D.name: {
      const p = decoderOf(QUANTIZED_DEPTHWISE_CONV2D)(n);
      return dimsCount(p.output) * p.filter.h * p.filter.w;
    }
    case QUANTIZED_LINEAR.name: {
      const p = decoderOf(QUANTIZED_LINEAR)(n);
      return p.rows * p.o * p.k;
    }
    case QUANTIZED_BATCH_MATMUL.name: {
      const p = decoderOf(QUANTIZED_BATCH_MATMUL)(n);
      return p.batches * p.m * p.n * p.k;
    }
    case QUANTIZED_LSTM.name: {
      // Per step and batch row, four gates of an input (H×I) and a recurrent (H×H) matrix product.
      const p = decoderOf(QUANTIZED_LSTM)(n);
      return p.steps * p.batch * 4 * p.hiddenSize * (p.inputSize + p.hiddenSize);
    }
    default:
      return 0;
  }
}

export function countMacs(g: Graph): number {
  let s = 0;
  for (const n of g.nodes) s += nodeMacs(n);
  return s;
}
