import type { Graph, Node } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import { CONVOLUTION } from "../../ops/conv/convolution.js";
import { quantizeValue } from "../../ops/quant/rounding.js";
import { PAD_OP } from "../../ops/shape/pad.js";
import { DQ, Q, soleUser } from "../match.js";

/** The per-tensor parameters of a Q or DQ node, as one comparable key. */
const paramsKey = (n: Node): string => [n.attrs.scale, n.attrs.zero_point, n.attrs.quant_min, n.attrs.quant_max, n.attrs.dtype].join();

/**
 * FoldPadIntoConv (beyond the reference): a constant pad of zeros in front of
 * a quantized convolution,
 *   DQ(q) → pad(value 0) → Q → DQ → convolution
 * with one parameter set on both sides of the pad, is the convolution's own
 * padding: CMSIS-NN pads with the input zero point, i.e. real 0, and the pad's
 * fill value quantizes to that zero point. The pad's spatial amounts join the
 * conv's padding (begin and end separately), so no pad op, and no layout
 * round trip around it, is left between the convs. Batch or channel pads,
 * other fill values, reflect pads, and pads with other readers are left alone.
 */
export const foldPadIntoConv: Pass = {
  name: "FoldPadIntoConv",
  run(g: Graph) {
    let changed = false;
    for (const conv of [...g.nodes]) {
      if (conv.op !== CONVOLUTION.name || conv.attrs.transposed === true) continue;
      const dq2 = conv.inputs[0]?.producer;
      if (!dq2 || dq2.op !== DQ || soleUser(g, dq2.output) !== conv) continue;
      const q2 = dq2.input(0).producer;
      if (!q2 || q2.op !== Q || soleUser(g, q2.output) !== dq2) continue;
      const pad = q2.input(0).producer;
      if (!pad || pad.op !== PAD_OP.name || soleUser(g, pad.output) !== q2) continue;
      const dq1 = pad.input(0).producer;
      if (!dq1 || dq1.op !== DQ || paramsKey(dq1) !== paramsKey(q2) || paramsKey(q2) !== paramsKey(dq2)) continue;
      if ((pad.attrs.mode ?? "constant") !== "constant") continue;
      const scale = q2.attrs.scale as number;
      const zp = q2.attrs.zero_point as number;
      const fill = (pad.attrs.value as number | undefined) ?? 0;
      if (quantizeValue(fill, scale, zp, q2.attrs.quant_min as number, q2.attrs.quant_max as number) !== zp) continue;
      const rank = pad.input(0).rank;
      const pads = pad.attrs.pads as number[];
      const begin = pads.slice(0, rank);
      const end = pads.slice(rank);
      if (begin[0] !== 0 || begin[1] !== 0 || end[0] !== 0 || end[1] !== 0 || pads.some((p) => p < 0)) continue;
      const padding = (conv.attrs.padding as number[]).map((p, i) => p + begin[2 + i]!);
      const paddingEnd = ((conv.attrs.padding_end as number[] | undefined) ?? (conv.attrs.padding as number[])).map((p, i) => p + end[2 + i]!);
      // The int8 conv1d kernels pad both ends alike: an uneven total would leave the conv in float.
      if (rank === 3 && padding[0] !== paddingEnd[0]) continue;
      conv.attrs = { ...conv.attrs, padding, padding_end: paddingEnd };
      g.setInput(conv, 0, dq1.output);
      changed = true;
    }
    if (changed) g.dce();
    return { changed };
  },
};
