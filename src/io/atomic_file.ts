// Write one file all or nothing: the bytes go to a hidden sibling
// `.NAME.tmp-PID-RANDOM` in the same directory (so the rename cannot cross
// file systems) and are renamed over the target only when complete. Errors
// name the path as the user wrote it. For a whole directory see atomic_dir.ts.
import fs from "node:fs";
import nodePath from "node:path";
import { randomBytes } from "node:crypto";
import { UserError } from "../ir/errors.js";
import { fileError } from "../ir/user_files.js";
import { specialFileSystem } from "./output_path.js";

/** Refuse, before any work, a file path that cannot be written: special file systems, directories. */
export function checkOutputFile(path: string): string {
  const target = nodePath.resolve(path);
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(target);
  } catch {
    // does not exist yet: the normal case
  }
  if (st?.isDirectory()) throw new UserError(`${path}: is a directory, not a file`);
  if (st && !st.isFile()) throw new UserError(`${path}: not a regular file (a device, FIFO or socket)`);
  const special = specialFileSystem(target);
  if (special) throw new UserError(`${path}: refusing to write there: ${special}`);
  return target;
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const target = checkOutputFile(path);
  const dir = nodePath.dirname(target);
  const tmp = nodePath.join(dir, `.${nodePath.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw fileError(path, e, "cannot write");
  }
}
