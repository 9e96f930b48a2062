import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "./errors.js";
import { fileError, readUserFile } from "./user_files.js";

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw, open '/tmp/.out.tmp-1-ab/x.c'`), { code });

test("fileError: errno codes become '<user path>: <doing>: <words> (<CODE>)', never the raw message", () => {
  const cases: [string, string][] = [
    ["ENOSPC", "out/vad: cannot write: no space left on the device (ENOSPC)"],
    ["EACCES", "out/vad: cannot write: permission denied (EACCES)"],
    ["ENAMETOOLONG", "out/vad: cannot write: file name too long (ENAMETOOLONG)"],
    ["ESOMETHINGNEW", "out/vad: cannot write: ESOMETHINGNEW"],
  ];
  for (const [code, want] of cases) {
    const e = fileError("out/vad", errno(code), "cannot write");
    assert.ok(e instanceof UserError, code);
    assert.equal(e.message, want);
  }
  assert.equal(fileError("a.npy", errno("ENOENT")).message, "a.npy: no such file or directory (ENOENT)");
});

test("fileError: a UserError passes through; a bug stays a bug", () => {
  const user = new UserError("already explained");
  assert.equal(fileError("p", user), user);
  const bug = new TypeError("x is undefined");
  assert.equal(fileError("p", bug), bug);
});

test("readUserFile refuses directories and devices before reading", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-read-"));
  try {
    assert.throws(() => readUserFile(dir), (e) => e instanceof UserError && e.message === `${dir}: is a directory, not a file`);
    assert.throws(() => readUserFile("/dev/zero"), (e) => e instanceof UserError && e.message === "/dev/zero: not a regular file (a device, FIFO or socket)");
    assert.throws(() => readUserFile(join(dir, "none.onnx")), (e) => e instanceof UserError && e.message === `${join(dir, "none.onnx")}: cannot read: no such file or directory (ENOENT)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
