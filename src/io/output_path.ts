// Where an output directory may go, checked before anything is created. On
// procfs, sysfs and devtmpfs nothing is a place for files, and Node's
// recursive mkdir spins forever at full CPU there (mkdir answers ENOENT for a
// parent that exists), so such paths are refused at once.
import fs from "node:fs";
import nodePath from "node:path";
import { UserError } from "../ir/errors.js";
import { errnoCode, fileError } from "../ir/user_files.js";

const SPECIAL_ROOTS = ["/proc", "/sys", "/dev"];
const SPECIAL_TYPES = new Set([
  "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs",
  "configfs", "pstore", "bpf", "efivarfs", "mqueue", "binfmt_misc", "fusectl", "nsfs", "hugetlbfs",
]);

/** Mount points and file-system types from /proc/self/mountinfo; empty where it cannot be read. */
function mounts(): { at: string; type: string }[] {
  let text: string;
  try {
    text = fs.readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return [];
  }
  const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  const out: { at: string; type: string }[] = [];
  for (const line of text.split("\n")) {
    // id parent major:minor root mount-point options [optional fields…] - type source super-options
    const f = line.split(" ");
    const dash = f.indexOf("-", 6);
    if (f.length < 7 || dash < 0) continue;
    out.push({ at: unescape(f[4]!), type: f[dash + 1]! });
  }
  return out;
}

const within = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith("/") ? root : root + "/");

/** Why `real` (an absolute path with symlinks resolved) is no place for output, or null. */
export function specialFileSystem(real: string): string | null {
  const root = SPECIAL_ROOTS.find((r) => within(real, r));
  if (root) return `${root} is a special file system`;
  const mount = mounts().filter((m) => within(real, m.at)).sort((a, b) => b.at.length - a.at.length)[0];
  return mount && SPECIAL_TYPES.has(mount.type) ? `${mount.at} is a ${mount.type} file system` : null;
}

/**
 * Check, creating nothing, that `dir` (as the user wrote it) can become an
 * output directory: not on a special file system, no file where a directory
 * must be, and the deepest existing part writable. Returns the absolute path.
 */
export function checkOutputDir(dir: string): string {
  const target = nodePath.resolve(dir);
  // The deepest part of the path that exists, with symlinks resolved.
  let existing = target;
  let real: string;
  let st: fs.Stats;
  for (;;) {
    try {
      real = fs.realpathSync(existing);
      st = fs.statSync(real);
      break;
    } catch (e) {
      const code = errnoCode(e);
      const up = nodePath.dirname(existing);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || up === existing) throw fileError(dir, e, "cannot write");
      existing = up;
    }
  }
  const special = specialFileSystem(nodePath.join(real, nodePath.relative(existing, target)));
  if (special) throw new UserError(`${dir}: refusing to write there: ${special}`);
  if (!st.isDirectory()) {
    if (existing === target) throw new UserError(`${dir}: exists and is not a directory`);
    const shown = nodePath.isAbsolute(dir) ? existing : nodePath.relative(process.cwd(), existing);
    throw new UserError(`${dir}: ${shown} is a file, not a directory`);
  }
  // The temporary folder is made beside the target, so the parent must take new entries.
  const mustWrite = existing === target ? nodePath.dirname(real) : real;
  try {
    fs.accessSync(mustWrite, fs.constants.W_OK);
  } catch (e) {
    throw fileError(dir, e, "cannot write");
  }
  return target;
}

/** checkOutputDir, then create the parent. Returns the absolute target and parent. */
export function prepareOutputDir(dir: string): { target: string; parent: string } {
  const target = checkOutputDir(dir);
  const parent = nodePath.dirname(target);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw fileError(dir, e, "cannot create its parent directory");
  }
  return { target, parent };
}
