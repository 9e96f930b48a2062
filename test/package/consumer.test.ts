// The package as a user gets it: `npm pack`, installed from the tarball into a
// fresh project with no network, then used from ESM, from CommonJS (dynamic
// import) and from TypeScript. The README's library example is run verbatim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../src/targets/toolchain.js";
import { encodeModel, FLOAT } from "../fixtures/onnx-model.js";

const root = repoRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
const app = path.join(work, "app");

function sh(cmd: string, args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, npm_config_update_notifier: "false" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(r: { code: number | null; out: string; err: string }, what: string): string {
  assert.equal(r.code, 0, `${what} failed:\n${r.out}\n${r.err}`);
  return r.out;
}

test("npm pack ships compiled JS + .d.ts of src, csrc, README and LICENSE: no tests, bench, TypeScript sources or source maps", () => {
  const listing = JSON.parse(ok(sh("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], root), "npm pack --dry-run"));
  const files: string[] = listing[0].files.map((f: { path: string }) => f.path);
  for (const need of ["package.json", "README.md", "LICENSE", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli/main.js", "csrc/codegen_support"]) {
    assert.ok(files.some((f) => f === need || f.startsWith(need + "/")), `${need} missing from the tarball`);
  }
  // The fuzzer (npm run fuzz) is a development tool, not part of the library.
  const unwanted = files.filter((f) => /\.map$|\.test\.|(^|\/)testing\.|^dist\/(test|bench)\/|^dist\/src\/fuzz\/|^src\/|^test\/|^bench\/|(?<!\.d)\.ts$/.test(f));
  assert.deepEqual(unwanted, []);
  assert.deepEqual(files.filter((f) => !/^(dist\/src|csrc)\//.test(f)).sort(), ["LICENSE", "README.md", "package.json"]);
  const license = fs.readFileSync(path.join(root, "LICENSE"), "utf8");
  assert.equal(pkg.license, "Apache-2.0");
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
  // Every declared dependency is imported by the shipped code (protobufjs was declared and never used).
  const shipped = files.filter((f) => f.endsWith(".js")).map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\n");
  for (const dep of Object.keys(pkg.dependencies)) assert.ok(shipped.includes(`"${dep}`), `dependency ${dep} is never imported`);
  // Every relative import of a shipped module resolves to a shipped file (test helpers are left out, so nothing shipped may need them).
  const shippedSet = new Set(files);
  const dangling: string[] = [];
  for (const f of files.filter((x) => /\.(js|d\.ts)$/.test(x))) {
    for (const m of fs.readFileSync(path.join(root, f), "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      let target = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]!));
      if (f.endsWith(".d.ts")) target = target.replace(/\.js$/, ".d.ts");
      if (!shippedSet.has(target)) dangling.push(`${f} → ${m[1]}`);
    }
  }
  assert.deepEqual(dangling, []);
  // The entry points the package declares exist in it.
  for (const p of [pkg.main, pkg.types, pkg.exports["."].default, pkg.exports["."].types, pkg.bin["cmsis-lower"]]) {
    assert.ok(files.includes(p.replace(/^\.\//, "")), `${p} is declared but not shipped`);
  }
});

/**
 * Install the tarball offline: a lockfile for the consumer that pins the tarball and the
 * package's runtime dependencies as this repository's lockfile resolved them, so `npm ci
 * --offline` takes every tarball from the npm cache the repository's own `npm ci` filled.
 */
function installTarball(tgz: string): void {
  fs.mkdirSync(app, { recursive: true });
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
  const spec = `file:${path.relative(app, tgz)}`;
  const integrity = "sha512-" + createHash("sha512").update(fs.readFileSync(tgz)).digest("base64");
  const packages: Record<string, unknown> = {
    "": { name: "consumer", version: "1.0.0", dependencies: { "cmsis-lower": spec } },
    "node_modules/cmsis-lower": {
      version: pkg.version, resolved: spec, integrity, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
    },
  };
  for (const [k, v] of Object.entries(lock.packages as Record<string, { dev?: boolean; devOptional?: boolean }>)) {
    if (k.startsWith("node_modules/") && !v.dev && !v.devOptional) packages[k] = v;
  }
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "commonjs", dependencies: { "cmsis-lower": spec } }, null, 2));
  fs.writeFileSync(path.join(app, "package-lock.json"), JSON.stringify({ name: "consumer", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2));
  ok(sh("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], app), "npm ci --offline of the tarball");
}

/** A tiny ONNX model: y = relu(x·Wᵀ + b), x [1,4], W [3,4]. */
function tinyOnnx(): Uint8Array {
  return encodeModel({
    inputs: [{ name: "x", shape: [1, 4], elemType: FLOAT }],
    outputs: [{ name: "y", shape: [1, 3], elemType: FLOAT }],
    initializers: [
      { name: "W", dims: [3, 4], data: [0.5, -0.25, 1, 0, 0.125, 0.75, -0.5, 0.25, -1, 0.5, 0.25, 0.5] },
      { name: "B", dims: [3], data: [0.1, -0.2, 0.3] },
    ],
    nodes: [
      { op: "Gemm", inputs: ["x", "W", "B"], outputs: ["g"], attrs: { transB: { i: 1 } } },
      { op: "Relu", inputs: ["g"], outputs: ["y"] },
    ],
  });
}

const ESM = `
import fs from "node:fs";
import { compile, run, writeProject, ModelBuilder } from "cmsis-lower";

// A builder model with trained weights: the float engine must give x·Wᵀ + b exactly.
const b = new ModelBuilder("lin", 0);
const x = b.input("x", [1, 2]);
b.output(b.linear(x, { out: 2, weight: Float32Array.of(1, 0, 0.5, -1), biasValues: Float32Array.of(0.25, 0) }), "y");
const g = b.build();
const y = await run(g, { inputs: { x: Float32Array.of(1, 2) } });
const built = await compile(g, { name: "lin", calibRandom: 4 });

const byPath = await compile("model.onnx", { name: "tiny", target: "cortex-m4", calibRandom: 4 });
const byBytes = await compile(new Uint8Array(fs.readFileSync("model.onnx")), { name: "tiny", target: "cortex-m4", calibRandom: 4 });
await writeProject(byPath.files, "out/tiny");
console.log(JSON.stringify({
  y: [...y.y.data],
  builtFiles: [...built.files.keys()].filter((f) => f.startsWith("lin")).sort(),
  builtReport: { target: built.report.target, precision: built.report.precision, calibration: built.report.calibration, layers: built.report.layers.length },
  tinyReport: { target: byPath.report.target, arena: byPath.report.arenaBytes, weights: byPath.report.weightsBytes },
  bytesArena: byBytes.report.arenaBytes,
  // The same model by path and by bytes: the same tables (the banner names the source, so it is left out).
  weightsSame: [byPath, byBytes].map((c) => c.files.get("tiny_weights.c").replace(/Generated by cmsis-lower from .*/, "")).reduce((a, b) => a === b),
}));
`;

const CJS = `
// CommonJS reaches the ES module through a dynamic import.
(async () => {
  const { compile } = await import("cmsis-lower");
  const { files, report } = await compile("model.onnx", { name: "cjs", calibRandom: 2 });
  console.log(JSON.stringify({ h: files.has("cjs.h"), target: report.target }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const TS = `
import { compile, writeProject, ModelBuilder, type CompileOptions, type CompileReport, type Tensor } from "cmsis-lower";
const b = new ModelBuilder("ts", 1);
const x = b.input("x", [1, 1, 8]);
b.output(b.conv1d(x, { out: 2, k: 3, weight: new Float32Array(6), biasValues: new Float32Array(2) }), "y");
const opts: CompileOptions = { target: "cortex-m55", calibRandom: 2, name: "ts", ioLayout: "nchw", inputShape: {}, bind: {}, externalWeights: false };
export async function main(): Promise<number> {
  const r: { files: Map<string, string | Uint8Array>; report: CompileReport } = await compile(b.build(), opts);
  await writeProject(r.files, "out/ts");
  const t: Tensor | undefined = undefined;
  return r.report.arenaBytes + (t === undefined ? 0 : 1);
}
`;

test("the packed tarball installs offline and works from ESM, CommonJS and TypeScript; the README example runs", async (t) => {
  const packed = ok(sh("npm", ["pack", "--ignore-scripts", "--pack-destination", work], root), "npm pack").trim().split("\n").pop()!;
  installTarball(path.join(work, packed));
  fs.writeFileSync(path.join(app, "model.onnx"), tinyOnnx());

  await t.test("ESM: a builder model and an ONNX file (path and bytes) to C in memory; one project written", () => {
    fs.writeFileSync(path.join(app, "esm.mjs"), ESM);
    const r = JSON.parse(ok(sh(process.execPath, ["esm.mjs"], app), "node esm.mjs"));
    // x·Wᵀ + b by hand: [1·1 + 2·0 + 0.25, 1·0.5 + 2·(−1) + 0] = [1.25, −1.5].
    assert.deepEqual(r.y, [1.25, -1.5]);
    for (const f of ["lin.c", "lin.h", "lin_weights.c"]) assert.ok(r.builtFiles.includes(f), `${f} not generated: ${r.builtFiles}`);
    assert.deepEqual(r.builtReport, { target: "cortex-m55", precision: "int8", calibration: "4 random samples (seed 1)", layers: 1 });
    assert.equal(r.tinyReport.target, "cortex-m4");
    assert.ok(r.tinyReport.arena > 0 && r.tinyReport.weights >= 12, JSON.stringify(r.tinyReport));
    assert.equal(r.bytesArena, r.tinyReport.arena);
    assert.equal(r.weightsSame, true);
    const out = path.join(app, "out/tiny");
    for (const f of ["tiny.h", "tiny.c", "tiny_weights.c", "Makefile"]) assert.ok(fs.existsSync(path.join(out, f)), `${f} not written`);
    assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((f) => f.includes(".tmp")), []);
  });

  await t.test("CommonJS: dynamic import()", () => {
    fs.writeFileSync(path.join(app, "cjs.cjs"), CJS);
    assert.deepEqual(JSON.parse(ok(sh(process.execPath, ["cjs.cjs"], app), "node cjs.cjs")), { h: true, target: "cortex-m55" });
  });

  await t.test("TypeScript: tsc --noEmit accepts a typed consumer and rejects a wrong option", () => {
    const tsc = path.join(root, "node_modules/typescript/bin/tsc");
    const cfg = { compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, types: [] } };
    fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({ ...cfg, files: ["consumer.mts"] }));
    fs.writeFileSync(path.join(app, "consumer.mts"), TS);
    ok(sh(process.execPath, [tsc, "-p", "tsconfig.json"], app), "tsc --noEmit consumer.mts");
    fs.writeFileSync(path.join(app, "tsconfig.bad.json"), JSON.stringify({ ...cfg, files: ["bad.mts"] }));
    fs.writeFileSync(path.join(app, "bad.mts"), `import { compile } from "cmsis-lower";\nawait compile("m.onnx", { target: "cortex-m99" });\n`);
    const bad = sh(process.execPath, [tsc, "-p", "tsconfig.bad.json"], app);
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /cortex-m99/);
  });

  await t.test("the README's library example runs as written", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const m = /<!-- library-example -->\s*```js\n([\s\S]*?)```/.exec(readme);
    assert.ok(m, "README.md has no <!-- library-example --> js block");
    fs.writeFileSync(path.join(app, "readme.mjs"), m[1]!);
    const out = ok(sh(process.execPath, ["readme.mjs"], app), "node readme.mjs");
    assert.match(out, /^kws: cortex-m4, arena \d+ B, weights \d+ B, calibration 16 random samples \(seed 1\)$/m);
    for (const f of ["kws.h", "kws.c", "kws_weights.c"]) assert.ok(fs.existsSync(path.join(app, "out/kws", f)), `${f} not written`);
  });
});

test.after(() => fs.rmSync(work, { recursive: true, force: true }));
