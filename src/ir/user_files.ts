// The one error path for the user's files: whatever goes wrong while reading
// or writing a path the user named becomes a UserError that reads
// "<the user's path>: <what is wrong>", never Node's "ENOENT: …, open '<some
// internal path>'" with a stack. Every stage reads files, so this sits beside
// UserError where each of them may import it.
import { readFileSync, statSync } from "node:fs";
import { UserError } from "./errors.js";

/** Plain words for the errno codes a user can cause; others are shown by code alone. */
const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  EEXIST: "already exists",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many levels of symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EBUSY: "device or resource busy",
  EIO: "input/output error",
  ENOTEMPTY: "directory not empty",
  EXDEV: "crosses file systems",
  EINVAL: "invalid argument for this file system",
};

/** The errno code of a Node file-system error, or null for anything else. */
export function errnoCode(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

/**
 * `e` as a UserError about `path` (as the user wrote it). `doing` says what
 * failed ("cannot write"). A UserError passes through unchanged; an error
 * that is not a file-system error is returned as is (a bug keeps its stack).
 */
export function fileError(path: string, e: unknown, doing?: string): Error {
  if (e instanceof UserError) return e;
  const code = errnoCode(e);
  if (code === null) return e instanceof Error ? e : new Error(String(e));
  const what = REASONS[code] ? `${REASONS[code]} (${code})` : code;
  return new UserError(`${path}: ${doing ? `${doing}: ` : ""}${what}`);
}

/**
 * Read a user's file whole. Directories, devices and FIFOs are refused
 * before reading: /dev/zero or a FIFO would otherwise never end.
 */
export function readUserFile(path: string): Buffer {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UserError(`${path}: is a directory, not a file`);
    if (!st.isFile()) throw new UserError(`${path}: not a regular file (a device, FIFO or socket)`);
    return readFileSync(path);
  } catch (e) {
    throw fileError(path, e, "cannot read");
  }
}
