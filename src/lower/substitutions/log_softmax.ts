// log_softmax in an integer-only build (its quant pattern is integerOnly):
// arm_softmax_s8 gives p at its fixed grid (scale 1/256, zero point −128),
// then a 256-entry table gives log p at the observed output parameters. No
// CMSIS-NN kernel computes log_softmax; both steps are existing cortex_m ops,
// so the simulator and the C need nothing new. Probabilities below 1/512
// (code −128) map to the output's minimum: the argmax and the large
// log-probabilities survive, the tail below log(1/512) ≈ −6.2 is cut.
import type { Graph, Node } from "../../ir/graph.js";
import { perTensor } from "../../ir/quant.js";
import { buildLut } from "../../kernels/lut_s8.js";
import { LOG_SOFTMAX } from "../../ops/softmax/softmax.js";
import { SOFTMAX as CORTEX_M_SOFTMAX } from "../../ops/cortex_m/softmax.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";
import { softmaxAttrs } from "./softmax.js";

/** arm_softmax_s8's output grid. */
const P_SCALE = 1 / 256;
const P_ZERO_POINT = -128;

function lowerLogSoftmax(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0]);
  if (!m) return "no int8 kernel outside --integer-only (there: arm_softmax_s8 and a log table); runs in float";
  const x = m.inputs[0]!;
  if ((node.attrs.dim as number) !== x.value.rank - 1) return `log_softmax over dim ${node.attrs.dim} (not the last) is not lowered`;
  const p = g.op(CORTEX_M_SOFTMAX.name, [x.value], softmaxAttrs(x.q.scale[0]!), { before: node, name: `${node.name}_softmax` });
  p.type.qparams = perTensor(P_SCALE, P_ZERO_POINT, "i8", -128, 127);
  const lut = buildLut(Math.log, P_SCALE, P_ZERO_POINT, m.outQ.scale[0]!, m.outQ.zeroPoint[0]!);
  const table = g.addConst(`${node.name}_lut`, "i8", [256], lut);
  const y = g.op(QUANTIZED_ACTIVATION.name, [p, table], { function: "log" },
    { before: node, name: node.name, outputTypes: [{ ...p.type, dimOrder: [...p.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(LOG_SOFTMAX, lowerLogSoftmax);
