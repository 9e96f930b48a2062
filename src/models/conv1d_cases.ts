// The 8 conv1d op cases of the reference backend's conv1d lowering
// (shared/reference/lowering.md §12.1): batch 1, channels-first 3-D input;
// only conv1d_bias has a bias. Used by the lowering, runtime and C tests.
import type { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";

export interface Conv1dCase {
  name: string;
  input: number[];
  /** Lowers to quantized_depthwise_conv2d (else quantized_conv2d). */
  depthwise: boolean;
  build: (b: ModelBuilder, x: Value) => Value;
}

export const CONV1D_CASES: Conv1dCase[] = [
  { name: "conv1d", input: [1, 2, 8], depthwise: false, build: (b, x) => b.conv1d(x, { out: 4, k: 1, bias: false }) },
  { name: "conv1d_kernel3", input: [1, 4, 16], depthwise: false, build: (b, x) => b.conv1d(x, { out: 8, k: 3, pad: 1, bias: false }) },
  { name: "conv1d_stride", input: [1, 4, 16], depthwise: false, build: (b, x) => b.conv1d(x, { out: 8, k: 3, stride: 2, pad: 1, bias: false }) },
  { name: "conv1d_bias", input: [1, 3, 12], depthwise: false, build: (b, x) => b.conv1d(x, { out: 6, k: 3, pad: 1, bias: true }) },
  { name: "conv1d_pointwise", input: [1, 8, 12], depthwise: false, build: (b, x) => b.conv1d(x, { out: 4, k: 1, bias: false }) },
  // One input channel: a depthwise conv as written, run as a regular conv (cheaper on every core, layout_choice.ts).
  { name: "conv1d_large_kernel_stride", input: [1, 1, 64], depthwise: false, build: (b, x) => b.conv1d(x, { out: 16, k: 16, stride: 8, bias: false }) },
  { name: "conv1d_relu", input: [1, 4, 16], depthwise: false, build: (b, x) => b.relu(b.conv1d(x, { out: 8, k: 3, pad: 1, bias: false })) },
  { name: "depthwise_conv1d", input: [1, 4, 16], depthwise: true, build: (b, x) => b.conv1d(x, { out: 4, k: 3, pad: 1, groups: 4, bias: false }) },
];
