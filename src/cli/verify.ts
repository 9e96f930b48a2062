import type { Command } from "commander";
import { formatVerify, verifyModel } from "../driver/verify.js";
import { parseInputSpec } from "../io/feeds.js";
import { collect, guarded, parseBinds, parseInputShapes } from "./errors.js";
import { addCompileOptions } from "./inspect.js";

/**
 * `cmsis-lower verify <model>`: int8 program vs float model and vs the
 * fake-quant reference; for stream models (Silero VAD) also frame by frame
 * over a WAV. Engines are chosen by the driver's ENGINES table.
 */
export function registerVerifyCommand(program: Command): Command {
  const cmd = program
    .command("verify")
    .description("compare the int8 program with the float model and the fake-quant reference (and, for VAD models, frame decisions over audio)")
    .argument("<model>", "an .onnx file or a built-in model name")
    .option("--input <name=file>", "a graph input from a .npy or .wav file (repeatable); missing inputs get seeded random data", collect)
    .option("--seed <n>", "seed for random inputs", (v) => Number.parseInt(v, 10), 0)
    .option("--wav <file>", "16-bit PCM WAV streamed frame by frame through stream models (default: synthesized audio)")
    .option("--engine <engines>", "comma-separated engines to check against the float model: int8 (TS simulator), int8-ref (plain reference kernels), host-c (generated C on the host, sanitized), qemu (generated C on emulated Cortex-M55/M4/M3)", "int8")
    .option("--json", "print a JSON report");
  addCompileOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      const report = await verifyModel(model, {
        inputShapes: parseInputShapes(o.inputShape),
        bind: parseBinds(o.bind),
        target: o.target,
        calib: o.calib,
        calibRandom: o.calibRandom,
        observer: o.observer,
        ioLayout: o.ioLayout,
        inputs: (o.input ?? []).map(parseInputSpec),
        seed: o.seed,
        wav: o.wav,
        ...(Array.isArray(o.engine) ? { engines: o.engine as string[] } : typeof o.engine === "string" ? { engines: String(o.engine).split(",") } : {}),
      });
      if (o.json) {
        const json = JSON.stringify(report, (_k, v) => (v === Infinity ? "inf" : v), 2);
        process.stdout.write(json + "\n");
        return;
      }
      process.stdout.write(formatVerify(report));
    }),
  );
  return cmd;
}
