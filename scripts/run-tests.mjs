#!/usr/bin/env node
// `npm test` after the build: runs every compiled *.test.js under dist/ with
// node's own test runner (Node 20's --test does not expand globs itself).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const files = readdirSync(join(root, "dist"), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".test.js") && !f.includes("node_modules"))
  .sort()
  .map((f) => join("dist", f));
if (files.length === 0) {
  console.error("no test files under dist/: did the build run?");
  process.exit(1);
}
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...extra, ...files], { stdio: "inherit", cwd: root });
process.exit(r.status ?? 1);
