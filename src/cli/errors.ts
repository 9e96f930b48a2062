import { UserError } from "../ir/errors.js";
import { Interrupted } from "../io/atomic_dir.js";
import { dropNotices, flushNotices } from "./feedback.js";

/**
 * Run a CLI action: a UserError (bad model, argument, data or path) becomes
 * one line on stderr and exit code 1 (128 + the signal's number when a write
 * was interrupted); anything else is a bug and keeps its stack.
 */
export async function guarded(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
    // A command that reported its own failure (exit code set) keeps to its one error line.
    if (process.exitCode) dropNotices();
    else flushNotices();
  } catch (e) {
    dropNotices();
    if (e instanceof UserError) {
      process.stderr.write(`cmsis-lower: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
      process.exitCode = e instanceof Interrupted ? e.exitCode : 1;
      return;
    }
    throw e;
  }
}

/**
 * A reader that stops early (`cmsis-lower inspect m | head`) closes our
 * stdout: end quietly, as other command-line tools do, instead of dying on an
 * unhandled EPIPE with a stack trace.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
}

export function parseShape(text: string, what: string): number[] {
  const dims = text.split(/[x×,]/).map((s) => Number(s.trim()));
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new UserError(`${what}: '${text}' is not a shape like 1x3x320x320`);
  }
  return dims;
}

/** `--input-shape [name=]1x3x320x320`, repeatable; a bare shape applies to the first input. */
export function parseInputShapes(specs: string[] | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of specs ?? []) {
    const eq = s.indexOf("=");
    const name = eq >= 0 ? s.slice(0, eq) : "";
    out[name] = parseShape(eq >= 0 ? s.slice(eq + 1) : s, "--input-shape");
  }
  return out;
}

/** `--bind name=value[,value…]` → constants bound to graph inputs. */
export function parseBinds(specs: string[] | undefined): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const s of specs ?? []) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new UserError(`--bind: '${s}' is not name=value`);
    const vals = s.slice(eq + 1).split(",").map(Number);
    if (vals.some((v) => !Number.isFinite(v))) throw new UserError(`--bind: '${s}' has a non-numeric value`);
    out[s.slice(0, eq)] = vals.length === 1 ? vals[0]! : vals;
  }
  return out;
}

export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
