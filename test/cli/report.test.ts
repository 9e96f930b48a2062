// `inspect --report` / `--profile` from the command line: the page is written
// (its rendering is tested in Chromium by src/report/report.test.ts), and bad
// report arguments are one stderr line naming them, before any work, with
// nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import nodePath from "node:path";
import { cli, oneErrorLine } from "./process.js";

const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "cl-report-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

test("inspect --report writes the whole-compile page even without --stage", () => {
  const html = nodePath.join(dir, "vad.html");
  const r = cli(["inspect", "silero-vad", "--target", "cortex-m4", "--calib-random", "1", "--report", html]);
  assert.equal(r.code, 0, r.stderr);
  const text = fs.readFileSync(html, "utf8");
  assert.match(text, /<svg[^>]*id="g-before"/);
  assert.match(text, /<svg[^>]*id="g-after"/);
  assert.match(text, /<table class="layers">/);
  assert.match(text, /<svg[^>]*class="memory"/);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes(".tmp-")), [], "no temporary file left");
});

const bad = nodePath.join(dir, "bad.json");
fs.writeFileSync(bad, "{ not json");
const noSteps = nodePath.join(dir, "nosteps.json");
fs.writeFileSync(noSteps, JSON.stringify({ total: 5 }));

const CASES: Array<{ name: string; args: string[]; line: RegExp }> = [
  { name: "a missing --profile file", args: ["--report", nodePath.join(dir, "a.html"), "--profile", nodePath.join(dir, "missing.json")], line: /missing\.json: cannot read: no such file or directory/ },
  { name: "a --profile that is not JSON", args: ["--report", nodePath.join(dir, "b.html"), "--profile", bad], line: /bad\.json: not JSON/ },
  { name: "a --profile without steps", args: ["--report", nodePath.join(dir, "c.html"), "--profile", noSteps], line: /nosteps\.json: no "steps" array/ },
  { name: "--profile without --report", args: ["--profile", noSteps], line: /--profile: only used with --report/ },
  { name: "--report naming a directory", args: ["--report", dir], line: /is a directory, not a file/ },
];

for (const c of CASES) {
  test(`inspect with ${c.name} → one stderr line, exit 1, no page`, () => {
    const r = cli(["inspect", "silero-vad", ...c.args]);
    assert.match(oneErrorLine(r), c.line);
    for (const f of ["a.html", "b.html", "c.html"]) assert.equal(fs.existsSync(nodePath.join(dir, f)), false);
  });
}
