// cortex_m.stft_f32 in the simulator: the TS twin of clg_stft_f32 (src/kernels/float32/stft.ts) on the
// logical row-major input and output, relaid as for any float op (the tables are the C's constants).
import type { Node } from "../../ir/graph.js";
import { stftF32, stftTables } from "../../kernels/float32/stft.js";
import { STFT_F32, type StftRecord } from "../../ops/cortex_m/stft.js";
import type { PrepareContext, Step } from "../context.js";
import { bind } from "./common.js";
import { prepareFloatFallback } from "./float_fallback.js";

function prepareStft(p: StftRecord, node: Node, ctx: PrepareContext): Step {
  const g = p.geometry;
  const tables = stftTables(g.n);
  const window = p.operands.window.data as Float32Array;
  const work = new Float32Array(g.n);
  const shape = [...node.output.shape];
  return prepareFloatFallback(node, ctx, (inputs) => {
    const y = new Float32Array(node.output.numel);
    stftF32(inputs[0]!.data, window, tables, y, work, g);
    return [{ dtype: "f32", shape, data: y }];
  });
}

export const stftBindings = [bind(STFT_F32, prepareStft)];
