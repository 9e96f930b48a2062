// The CLI against a hostile file system, as real processes: -o through a file,
// a file as -o, a read-only directory, a full tmpfs, special file systems, a
// too-long --name, and SIGINT/SIGTERM in the middle of the weights write. Each
// must print one stderr line naming the user's path, exit with the right
// code, and leave no `.NAME.tmp-…` folder or partial output behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeModel, seededValues, type ModelSpec } from "../fixtures/onnx-model.js";
import { cli, oneErrorLine, startCli } from "./process.js";

// Small and quick to compile, but its int8 weights as C text (~100 KB) do not fit a 64 KiB tmpfs.
const conv: ModelSpec = {
  inputs: [{ name: "x", shape: [1, 64, 16] }], outputs: [{ name: "y" }],
  initializers: [{ name: "W", dims: [128, 64, 3], data: seededValues(128 * 64 * 3, 5) }],
  nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0" }],
};

const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-fs-"));
chmodSync(dir, 0o755); // the non-root case must reach the model file
const model = join(dir, "conv.onnx");
writeFileSync(model, encodeModel(conv));
writeFileSync(join(dir, "a-file"), "not a directory\n");

/** Everything under `d`, recursively, as sorted relative paths. */
const listing = (d: string): string[] => (existsSync(d) ? readdirSync(d, { recursive: true }).map(String).sort() : []);

/** Run, expect one line mentioning `mentions`, and that `parent` holds exactly what it held before. */
function expectRefused(args: string[], parent: string, mentions: string[], opts: Parameters<typeof cli>[1] = {}): string {
  const before = listing(parent);
  const line = oneErrorLine(cli(args, opts));
  for (const m of mentions) assert.ok(line.includes(m), `${JSON.stringify(line)} lacks ${JSON.stringify(m)}`);
  assert.doesNotMatch(line, /\.tmp-/, "names the user's path, not the temporary folder");
  assert.deepEqual(listing(parent), before, "nothing left behind");
  console.log(`  ${line}`);
  return line;
}

test("-o through a file: one line naming the file in the way", () => {
  expectRefused(["compile", model, "-o", join(dir, "a-file", "out")], dir, [join(dir, "a-file", "out"), "is a file, not a directory"]);
});

test("a file as -o, and as run --out", () => {
  expectRefused(["compile", model, "-o", join(dir, "a-file")], dir, [join(dir, "a-file"), "exists and is not a directory"]);
  expectRefused(["run", model, "--out", join(dir, "a-file")], dir, [join(dir, "a-file"), "exists and is not a directory"]);
});

test("a directory that compile did not write is refused as -o and kept as it was", () => {
  const mine = join(dir, "mine");
  mkdirSync(mine);
  writeFileSync(join(mine, "notes.txt"), "keep me\n");
  expectRefused(["compile", model, "-o", mine], dir, [mine, "not written by cmsis-lower compile"]);
  assert.equal(readFileSync(join(mine, "notes.txt"), "utf8"), "keep me\n");
});

test("-o under /proc, /sys and /dev is refused at once instead of hanging", () => {
  for (const out of ["/proc/cmsis-lower-out", "/sys/cmsis-lower/out", "/dev/shm/cmsis-lower-out"]) {
    expectRefused(["compile", model, "-o", out], dir, [out, "special file system"]);
  }
});

test("a 300-character --name gives one line naming --name", () => {
  expectRefused(["compile", model, "--name", "n".repeat(300), "-o", join(dir, "long-name")], dir, ["--name", "300 characters"]);
});

test("a 300-character -o name: ENAMETOOLONG with the user's path", () => {
  const out = join(dir, "o".repeat(300));
  expectRefused(["compile", model, "-o", out], dir, [out, "file name too long (ENAMETOOLONG)"]);
});

test("reading: a directory, a device or a path through a file, as the model or an --input: one line naming the path", () => {
  const cases: [string[], string][] = [
    [["inspect", dir], `${dir}: is a directory, not a file`],
    [["inspect", join(dir, "a-file", "m.onnx")], `${join(dir, "a-file", "m.onnx")}: cannot read: a part of the path is not a directory (ENOTDIR)`],
    [["run", model, "--input", "x=/dev/zero.npy"], "/dev/zero.npy: cannot read: no such file or directory (ENOENT)"],
    [["run", model, "--calib", "/dev/null", "--engine", "int8"], "--calib /dev/null: expected a .wav or .npy file or a directory"],
  ];
  for (const [args, want] of cases) {
    const line = oneErrorLine(cli(args));
    assert.equal(line, `cmsis-lower: ${want}`);
  }
  const dev = oneErrorLine(cli(["inspect", "/dev/zero"]));
  assert.equal(dev, "cmsis-lower: /dev/zero: not a regular file (a device, FIFO or socket)", "refused before reading forever");
});

// Root writes through permission bits, so the read-only directory is tried as `nobody`.
function asNonRoot(): string[] | null {
  if (process.getuid?.() !== 0) return [];
  const probe = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", "0"]);
  return probe.status === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : null;
}

test("a read-only directory as a non-root user: EACCES with the user's -o", (t) => {
  const prefix = asNonRoot();
  if (prefix === null) return t.skip("running as root and setpriv cannot switch to uid 65534 here");
  const ro = join(dir, "read-only");
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  expectRefused(["compile", model, "-o", join(ro, "out")], ro, [join(ro, "out"), "permission denied (EACCES)"], { prefix });
  expectRefused(["run", model, "--out", join(ro, "npy")], ro, [join(ro, "npy"), "permission denied (EACCES)"], { prefix });
});

/** Mount a tmpfs at a new folder under `dir` for the test; null where mounting is not allowed. */
function tmpfs(t: { after(fn: () => void): void }, name: string, options: string): string | null {
  const at = join(dir, name);
  mkdirSync(at);
  if (spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at]).status !== 0) return null;
  t.after(() => spawnSync("umount", [at]));
  return at;
}

test("a read-only tmpfs as run --out and -o: EROFS with the user's path", (t) => {
  const at = tmpfs(t, "ro-tmpfs", "ro,size=64k");
  if (at === null) return t.skip("mount -t tmpfs is not allowed here");
  expectRefused(["run", model, "--out", join(at, "npy")], at, [join(at, "npy"), "read-only file system (EROFS)"]);
  expectRefused(["compile", model, "-o", join(at, "out")], at, [join(at, "out"), "read-only file system (EROFS)"]);
});

test("a full tmpfs: ENOSPC with the user's -o, and no temporary folder", (t) => {
  const at = tmpfs(t, "small-tmpfs", "size=64k");
  if (at === null) return t.skip("mount -t tmpfs is not allowed here");
  expectRefused(["compile", model, "-o", join(at, "out")], at, [join(at, "out"), "cannot write: no space left on the device (ENOSPC)"]);
  const df = spawnSync("df", ["-k", at], { encoding: "utf8" }).stdout.trim().split("\n").pop()!.split(/\s+/);
  assert.equal(df[2], "0", `the tmpfs is empty again (df: ${df.join(" ")})`);
});

// CMSIS_LOWER_TEST_HOLD_WRITE holds the write after the first chunk of
// NAME_weights.c until a signal arrives: no race with the clock.
async function interrupted(signal: NodeJS.Signals, out: string): Promise<string> {
  const parent = join(out, "..");
  const before = listing(parent);
  const run = startCli(["compile", model, "--name", "net", "-o", out], { ...process.env, CMSIS_LOWER_TEST_HOLD_WRITE: "net_weights.c" });
  let seen = false;
  for (let i = 0; i < 1200 && !seen; i++) {
    await new Promise((res) => setTimeout(res, 50));
    seen = readdirSync(parent).some((f) => f.startsWith(`.${out.split("/").pop()}.tmp-`) && existsSync(join(parent, f, "net_weights.c")));
  }
  if (seen) run.kill(signal);
  else run.kill("SIGKILL");
  const r = await run.done;
  assert.ok(seen, `the weights write never started; stderr: ${r.stderr}`);
  const line = oneErrorLine(r, signal === "SIGINT" ? 130 : 143);
  assert.ok(line.includes(`${out}: interrupted by ${signal}`), line);
  assert.deepEqual(listing(parent), before, "no temporary folder, nothing half-written");
  console.log(`  ${line}`);
  return line;
}

test("SIGINT during the weights write: exit 130, one line, no temporary folder", async () => {
  const parent = join(dir, "sigint");
  mkdirSync(parent);
  await interrupted("SIGINT", join(parent, "out"));
});

test("SIGTERM during a recompile: exit 143, and the earlier project is kept as it was", async () => {
  const parent = join(dir, "sigterm");
  const out = join(parent, "out");
  assert.equal(cli(["compile", model, "--name", "net", "-o", out]).code, 0);
  mkdirSync(join(parent, "plain"));
  assert.equal(statSync(out).mode & 0o777, statSync(join(parent, "plain")).mode & 0o777, "the project folder has the usual permissions");
  const header = readFileSync(join(out, "net.h"), "utf8");
  const files = listing(out);
  await interrupted("SIGTERM", out);
  assert.deepEqual(listing(out), files);
  assert.equal(readFileSync(join(out, "net.h"), "utf8"), header);
});

test.after(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});
