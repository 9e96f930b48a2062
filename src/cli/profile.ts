import { cliProgress } from "./feedback.js";
import type { Command } from "commander";
import { buildStages } from "../driver/stages.js";
import { boardOfCpu, formatProfile, profileC, profileJson } from "../driver/profile.js";
import { checkCmsisNn } from "../driver/engines_c.js";
import { loadFeedsPartial, parseInputSpec, randomFeeds } from "../io/feeds.js";
import { UserError } from "../ir/errors.js";
import { hasArmToolchain } from "../targets/toolchain.js";
import { collect, guarded } from "./errors.js";
import { parseSeed } from "./options.js";
import { addCompileOptions, compileFlags } from "./inspect.js";

/**
 * `cmsis-lower profile <model> --target <cpu>`: instructions per step of one
 * inference on that core's emulated board, through the generated code's
 * per-step hooks; with --cmsis-nn linked against a real CMSIS-NN checkout.
 */
export function registerProfileCommand(program: Command): Command {
  const cmd = program
    .command("profile")
    .description("instructions per step of one inference of the generated C on the core's emulated board (QEMU -icount, board counter read around every step), with totals per category")
    .argument("<model>", "an .onnx file or a built-in model name")
    .option("--cmsis-nn <dir>", "link against this CMSIS-NN checkout (only the sources the model needs) instead of the bundled portable subset")
    .option("--input <name=file>", "a graph input from a .npy or .wav file (repeatable); missing inputs get seeded random data", collect)
    .option("--seed <n>", "seed for random inputs (0 to 4294967295)", parseSeed, 0)
    .option("--json", 'print { "total", "steps": [{ "name", "op", "kernel", "category", "instructions" }], "shares" } as JSON');
  addCompileOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      if (o.cmsisNn !== undefined) checkCmsisNn(o.cmsisNn);
      boardOfCpu(o.target);
      if (!hasArmToolchain()) throw new UserError("profile: needs arm-none-eabi-gcc and qemu-system-arm on PATH (the emulated boards)");
      const stages = await buildStages(model, { ...compileFlags(o), stage: "final", progress: cliProgress() });
      const feeds = { ...randomFeeds(stages.final!, o.seed), ...loadFeedsPartial(stages.final!, (o.input ?? []).map(parseInputSpec)) };
      const r = await profileC(stages, { model, target: o.target, feeds, cmsisNn: o.cmsisNn });
      process.stdout.write(o.json ? JSON.stringify(profileJson(r), null, 2) + "\n" : formatProfile(r));
    }),
  );
  return cmd;
}
