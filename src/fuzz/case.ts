// One fuzz case: ONNX bytes through the whole pipeline the CLI takes — import,
// a float run, quantize (random calibration, few samples), lower, clean up,
// plan, emit C in memory — and the outcome class. Clean means what the CLI
// prints as one line (a UserError); anything else is a crash. Optionally the
// C is also built for the host (gcc, ASan + UBSan) and run against the
// simulator: a byte that differs, or a sanitizer report, is a mismatch.
import { verifyC } from "../driver/engines_c.js";
import { stagesOf, type Stages } from "../driver/stages.js";
import { emitProject } from "../emit/project.js";
import { importOnnx } from "../import/onnx/index.js";
import { UserError } from "../ir/errors.js";
import { runFloat } from "../interp/float.js";
import { randomFeeds } from "../io/feeds.js";

export type OutcomeKind = "ok" | "error" | "crash" | "hang" | "oom" | "mismatch";
export const OUTCOME_KINDS: readonly OutcomeKind[] = ["ok", "error", "crash", "hang", "oom", "mismatch"];

export interface Outcome {
  kind: OutcomeKind;
  /** First line of the error message (error, crash, oom). */
  message?: string;
  /** crash: the message with numbers and quoted names blanked, plus the top stack frame. */
  signature?: string;
  stack?: string;
}

/** Calibration samples per case: enough to reach every quantize path, few enough to stay fast. */
export const FUZZ_CALIB_SAMPLES = 2;

/** The CLI command that takes the same path as `runPipeline` (less the float run, which `run` covers), or compares the host C. */
export function reproducerCommand(file: string, hostC = false): string {
  return hostC
    ? `node dist/src/cli/main.js verify ${file} --calib-random ${FUZZ_CALIB_SAMPLES} --engine int8,host-c`
    : `node dist/src/cli/main.js compile ${file} --calib-random ${FUZZ_CALIB_SAMPLES} -o /tmp/fuzz-repro`;
}

export function runPipeline(bytes: Uint8Array, name: string): Stages {
  const graph = importOnnx(bytes, { name });
  runFloat(graph, randomFeeds(graph, 1));
  const stages = stagesOf({ graph }, { stage: "final", calibRandom: FUZZ_CALIB_SAMPLES, seed: 1 });
  emitProject(stages, { name: "model", source: `${name}.onnx` });
  return stages;
}

/** The generated C on the host against the simulator, on one random input: null when every byte agrees. */
export async function hostCMismatch(stages: Stages): Promise<string | null> {
  try {
    const [row] = await verifyC(stages, { name: "model", targets: ["host"], steps: [randomFeeds(stages.final!, 5)] });
    if (row!.skipped) return null; // the project cannot be built here (a UserError): nothing to compare
    return row!.identical ? null : row!.mismatches[0] ?? "outputs differ";
  } catch (e) {
    if (e instanceof UserError) return null;
    // The harness failed: keep the sanitizer's line, which names the C source and the fault.
    const text = e instanceof Error ? e.message : String(e);
    return firstLine(text.split("\n").find((l) => /runtime error|ERROR: AddressSanitizer/.test(l)) ?? text);
  }
}

function firstLine(s: string): string {
  return s.split("\n", 1)[0]!.slice(0, 300);
}

/** The first stack frame below the message, without the absolute path of the checkout. */
function topFrame(stack: string | undefined): string {
  const line = (stack ?? "").split("\n").find((l) => /^\s+at /.test(l));
  if (!line) return "(no frame)";
  return line.trim().replace(/\(?(file:\/\/)?[^ (]*\/(dist\/|node:)/, "$2").replace(/\)$/, "");
}

/** A signature groups crashes of one cause: names and numbers vary between inputs, the place does not. */
export function crashSignature(message: string, stack: string | undefined): string {
  // Quoted text, numbers and dotted/underscored identifiers (value and node names) vary by input.
  const msg = message.replace(/'[^']*'|"[^"]*"/g, "'…'").replace(/[\w./:-]*[\d._/][\w./:-]*/g, "…");
  return `${msg} @ ${topFrame(stack)}`;
}

export function isOutOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|out of memory/i.test(e.message);
}

export function classify(e: unknown): Outcome {
  if (e instanceof UserError) return { kind: "error", message: firstLine(e.message) };
  const err = e instanceof Error ? e : new Error(String(e));
  const message = firstLine(`${err.name}: ${err.message}`);
  if (isOutOfMemory(e)) return { kind: "oom", message };
  return { kind: "crash", message, signature: crashSignature(message, err.stack), stack: err.stack };
}

export function runCase(bytes: Uint8Array, name: string): Outcome {
  try {
    runPipeline(bytes, name);
    return { kind: "ok" };
  } catch (e) {
    return classify(e);
  }
}

/** runCase, then for a model that compiles, the host-C comparison. */
export async function runCaseWithC(bytes: Uint8Array, name: string): Promise<Outcome> {
  let stages: Stages;
  try {
    stages = runPipeline(bytes, name);
  } catch (e) {
    return classify(e);
  }
  const diff = await hostCMismatch(stages);
  return diff === null ? { kind: "ok" } : { kind: "mismatch", message: diff, signature: `mismatch: ${crashSignature(diff, undefined).replace(/ @ \(no frame\)$/, "")}` };
}
