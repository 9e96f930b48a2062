// Write a directory of files all or nothing. Everything goes to a hidden
// sibling `.NAME.tmp-PID-RANDOM` first, which is renamed into place only when
// every byte is written; on any error — and, for the interruptible writer,
// on SIGINT/SIGTERM — the temporary folder is removed and the error names the
// user's path, never the temporary one.
import fs from "node:fs";
import nodePath from "node:path";
import { randomBytes } from "node:crypto";
import { constants } from "node:os";
import { UserError } from "../ir/errors.js";
import { fileError } from "../ir/user_files.js";
import { prepareOutputDir } from "./output_path.js";

export interface DirWrite {
  /** "replace": the new directory replaces `dir`; "merge": its files are moved into an existing `dir`. */
  mode: "replace" | "merge";
  /** Called with an existing target (absolute, and as the user wrote it) before anything is written; throws to refuse. */
  mayReplace?(target: string, dir: string): void;
}

/** A write stopped by a signal; the CLI exits with 128 + the signal's number. */
export class Interrupted extends UserError {
  readonly exitCode: number;
  constructor(dir: string, readonly signal: NodeJS.Signals, written: boolean) {
    super(written ? `interrupted by ${signal} after ${dir} was written` : `${dir}: interrupted by ${signal}; the partial output was removed`);
    this.exitCode = 128 + (constants.signals[signal] ?? 0);
  }
}

// Large files are written in pieces so that a signal is answered within one piece.
const CHUNK = 1 << 20;

/**
 * The write as steps: yields the relative name of the file being written
 * after each chunk. Abandoning it (return/throw) removes the temporary folder.
 */
function* writeSteps(dir: string, files: ReadonlyMap<string, string | Uint8Array>, how: DirWrite): Generator<string, void, void> {
  for (const rel of files.keys()) {
    if (rel === "" || nodePath.isAbsolute(rel) || rel.split(/[\\/]/).includes("..")) throw new Error(`writeDir: bad relative path ${rel}`);
  }
  const { target, parent } = prepareOutputDir(dir);
  try {
    if (fs.existsSync(target)) how.mayReplace?.(target, dir);
  } catch (e) {
    throw fileError(dir, e, "cannot read");
  }
  // mkdirSync, not mkdtempSync: the folder becomes the output, so it gets the
  // usual permissions (0777 less the umask), not mkdtemp's 0700.
  const tmp = nodePath.join(parent, `.${nodePath.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    fs.mkdirSync(tmp);
  } catch (e) {
    throw fileError(dir, e, "cannot write");
  }
  let committed = false;
  try {
    for (const [rel, content] of files) {
      const path = nodePath.join(tmp, rel);
      fs.mkdirSync(nodePath.dirname(path), { recursive: true });
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      const fd = fs.openSync(path, "w");
      try {
        let at = 0;
        do {
          const end = Math.min(bytes.length, at + CHUNK);
          while (at < end) at += fs.writeSync(fd, bytes, at, end - at);
          yield rel;
        } while (at < bytes.length);
      } finally {
        fs.closeSync(fd);
      }
    }
    commit(tmp, target, [...files.keys()], how.mode);
    committed = true;
  } catch (e) {
    throw fileError(dir, e, "cannot write");
  } finally {
    if (!committed) removeQuietly(tmp);
  }
}

/** Best effort: a failure to clean up must not hide the error that caused it. */
function removeQuietly(path: string): void {
  try {
    fs.rmSync(path, { recursive: true, force: true });
  } catch {
    // nothing more to do; the error being thrown names the user's path
  }
}

/** Put the finished temporary folder in place; an existing target is restored if the swap fails. */
function commit(tmp: string, target: string, rels: string[], mode: DirWrite["mode"]): void {
  const had = fs.existsSync(target);
  if (mode === "merge" && had) {
    for (const rel of rels) {
      fs.mkdirSync(nodePath.dirname(nodePath.join(target, rel)), { recursive: true });
      fs.renameSync(nodePath.join(tmp, rel), nodePath.join(target, rel));
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    return;
  }
  const old = `${tmp}-old`;
  if (had) fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (had) fs.renameSync(old, target);
    throw e;
  }
  if (had) fs.rmSync(old, { recursive: true, force: true });
}

/** Write `files` (relative path → content) under `dir` atomically, synchronously. */
export function writeDir(dir: string, files: ReadonlyMap<string, string | Uint8Array>, how: DirWrite): void {
  for (const _ of writeSteps(dir, files, how));
}

/**
 * As writeDir, but gives the event loop a turn after every chunk: SIGINT or
 * SIGTERM during the write removes the temporary folder and rejects with
 * Interrupted. For tests, CMSIS_LOWER_TEST_HOLD_WRITE=<text> holds the write
 * after the first chunk of a file whose name contains <text> until a signal
 * comes, so an interruption can be tested without racing the clock.
 */
export async function writeDirInterruptibly(dir: string, files: ReadonlyMap<string, string | Uint8Array>, how: DirWrite): Promise<void> {
  let caught: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals): void => {
    caught ??= s;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const hold = process.env.CMSIS_LOWER_TEST_HOLD_WRITE;
  try {
    const steps = writeSteps(dir, files, how);
    let r = steps.next();
    while (!r.done) {
      await new Promise<void>((res) => setImmediate(res));
      while (hold && r.value.includes(hold) && caught === null) await new Promise<void>((res) => setTimeout(res, 10));
      r = caught ? steps.throw(new Interrupted(dir, caught, false)) : steps.next();
    }
    // A signal that came during the final rename is still answered.
    await new Promise<void>((res) => setImmediate(res));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (caught) throw new Interrupted(dir, caught, true);
}
