import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../ir/errors.js";
import { checkOutputDir, specialFileSystem } from "./output_path.js";

test("specialFileSystem: /proc, /sys, /dev and what lies under them; not /tmp or /procfoo", () => {
  for (const p of ["/proc", "/proc/self/x", "/sys/kernel/y", "/dev", "/dev/shm/z"]) assert.notEqual(specialFileSystem(p), null, p);
  for (const p of ["/procfoo/x", "/devices", "/tmp/out"]) assert.equal(specialFileSystem(p), null, p);
});

test("checkOutputDir creates nothing and names the user's path", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-outdir-"));
  try {
    writeFileSync(join(dir, "f"), "x");
    assert.equal(checkOutputDir(join(dir, "new", "deeper")), join(dir, "new", "deeper"));
    assert.throws(() => checkOutputDir(join(dir, "f")), (e) => e instanceof UserError && e.message === `${join(dir, "f")}: exists and is not a directory`);
    assert.throws(() => checkOutputDir(join(dir, "f", "g", "h")), (e) => e instanceof UserError && e.message === `${join(dir, "f", "g", "h")}: ${join(dir, "f")} is a file, not a directory`);
    assert.throws(() => checkOutputDir("/proc/self/out"), /^UserError: \/proc\/self\/out: refusing to write there/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
