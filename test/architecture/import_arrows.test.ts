// Data flows one way (import → ir → ops → quantize → lower → plan → runtime / emit,
// with the driver and the CLI on top). These arrows once pointed backwards and
// must stay gone: the C generator does not reach into the driver or the CLI, and
// the simulator does not reach into the C generator. Test files count too: a test
// that needs both back ends or the driver's verify lives in src/driver.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = new URL("../../../", import.meta.url).pathname;
const SRC = join(ROOT, "src");

/** Every relative import of every .ts file under src/, as [file, imported file] relative to src/. */
function importArrows(): Array<[string, string]> {
  const arrows: Array<[string, string]> = [];
  const files = readdirSync(SRC, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
  const spec = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const f of files) {
    const text = readFileSync(join(SRC, f), "utf8");
    for (const m of text.matchAll(spec)) arrows.push([f, relative(SRC, normalize(join(SRC, dirname(f), m[1]!)))]);
  }
  return arrows;
}

function stage(path: string): string {
  return path.split("/")[0]!;
}

const FORBIDDEN: Array<[from: string, to: string]> = [
  ["emit", "driver"],
  ["emit", "cli"],
  ["runtime", "emit"],
  ["runtime", "driver"],
  ["runtime", "cli"],
];

test("no backward import arrows: emit ↛ driver/cli, runtime ↛ emit/driver/cli (tests included)", () => {
  const arrows = importArrows();
  assert.ok(arrows.length > 500, `only ${arrows.length} imports found under ${SRC}: is the path right?`);
  const bad = arrows.filter(([f, to]) => FORBIDDEN.some(([a, b]) => stage(f) === a && stage(to) === b));
  assert.deepEqual(bad.map(([f, to]) => `${f} → ${to}`), []);
});

test("the arrow check sees an arrow it must refuse", () => {
  // The same matcher on a line of the kind it must catch: guards the regex, not the tree.
  const spec = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;
  const line = 'import type { CTarget } from "../driver/engines_c.js";';
  const [m] = [...line.matchAll(spec)];
  assert.equal(stage(relative(SRC, normalize(join(SRC, "emit", m![1]!)))), "driver");
});
