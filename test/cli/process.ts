// Running the built CLI (dist/src/cli/main.js) as a real process, and the
// checks every bad-input case shares: one stderr line, the exit code, no
// stack trace.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "../../src/targets/toolchain.js";

export const CLI = resolve(repoRoot(), "dist/src/cli/main.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to the end; `prefix` runs it under another program (e.g. setpriv …). */
export function cli(args: string[], opts: { prefix?: string[]; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const argv = [...(opts.prefix ?? []), process.execPath, CLI, ...args];
  // 32 MB: with status lines on every beat (CMSIS_LOWER_TEST_STATUS_MS=0) a Silero compile logs ~2 MB, past the 1 MB default.
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 120_000, maxBuffer: 32 * 2 ** 20, env: opts.env ?? process.env });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Start the CLI; `done` resolves when it exits. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): { kill(s: NodeJS.Signals): void; closeStdout(): void; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((res) => child.on("close", (code, signal) => res({ code, signal, stdout, stderr })));
  return { kill: (s) => child.kill(s), closeStdout: () => child.stdout.destroy(), done };
}

/** The single stderr line of a failed run, after checking the exit code and that no stack trace was printed. */
export function oneErrorLine(r: CliResult, code = 1): string {
  assert.equal(r.code, code, `exit code ${r.code} (signal ${r.signal}); stderr: ${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `stderr has ${lines.length} lines: ${r.stderr}`);
  assert.match(lines[0]!, /^cmsis-lower: /);
  assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+|node:internal|Error:/, "no stack trace");
  return lines[0]!;
}
