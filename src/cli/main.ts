#!/usr/bin/env node
import { Command } from "commander";
import { registerConformanceCommand } from "./conformance.js";
import { registerInspectCommand } from "./inspect.js";
import { registerRunCommand } from "./run.js";
import { registerCompileCommand } from "./compile.js";
import { registerVerifyCommand } from "./verify.js";
import { registerProfileCommand } from "./profile.js";
import { oneLineErrors } from "./options.js";
import { endQuietlyOnClosedPipe } from "./errors.js";

endQuietlyOnClosedPipe();
const program = new Command();
program
  .name("cmsis-lower")
  .description(
    "Compile float neural networks (ONNX files or built-in models) to int8 C that calls CMSIS-NN, " +
      "with a host simulator that is bit-exact with the device.\n\n" +
      "Built-in models: wav2letter, silero-vad, silero-vad-legacy, silero-vad-16k, yolo11n.",
  )
  .version("0.1.0");

registerInspectCommand(program);
registerRunCommand(program);
registerVerifyCommand(program);
registerCompileCommand(program);
registerProfileCommand(program);
registerConformanceCommand(program);

program.addHelpText("after", `
Examples:
  cmsis-lower inspect wav2letter --stage final --target cortex-m55
  cmsis-lower inspect model.onnx --input-shape input=1x1x16000 --json
  cmsis-lower run silero-vad --engine int8 --input input=frame.npy --out out/
  cmsis-lower compile silero-vad --name vad --calib speech.wav -o out/vad
  cmsis-lower verify wav2letter --input-shape input=1x1x700 --engine int8,host-c,qemu
  cmsis-lower verify silero-vad --engine host-c,qemu --cmsis-nn ../shared/third_party/CMSIS-NN
  cmsis-lower profile silero-vad --target cortex-m4 --cmsis-nn ../shared/third_party/CMSIS-NN --json
  cmsis-lower conformance ../shared/cmsis-nn-vectors`);

// After every command is registered: one-line option errors for all of them.
oneLineErrors(program);

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 1);
});

await program.parseAsync(process.argv);
