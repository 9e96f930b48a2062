import type { Tensor } from "../ir/tensor.js";
import type { Stages } from "./stages.js";
import { renameOutputs } from "./verify.js";

/**
 * Run the final lowered program with the bit-exact int8 simulator on the
 * planned arena; outputs carry the model's own output names.
 */
export async function runInt8(stages: Stages, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  if (!stages.final || !stages.plan) throw new Error("runInt8 needs the final stage and its memory plan");
  const { createProgram } = await import("../runtime/program.js");
  return renameOutputs(stages.final, stages.float, createProgram(stages.final, stages.plan).run(feeds));
}
