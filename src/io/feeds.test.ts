import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { atomicWriteNpyFiles, loadFeed, loadFeeds, parseInputSpec, randomFeeds } from "./feeds.js";
import { writeNpy, readNpy } from "./npy.js";
import { writeWav } from "./wav.js";
import { Graph, makeType } from "../ir/graph.js";
import { makeTensor } from "../ir/tensor.js";
import { UserError } from "../ir/errors.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "feeds-"));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("parseInputSpec", () => {
  assert.deepEqual(parseInputSpec("x=a/b.npy"), { name: "x", path: "a/b.npy" });
  assert.deepEqual(parseInputSpec("a.wav"), { name: null, path: "a.wav" });
  assert.throws(() => parseInputSpec("x="), UserError);
  assert.throws(() => parseInputSpec("=f.npy"), UserError);
});

test("loadFeed reshapes .npy and .wav when element counts match, else UserError", () => {
  const p = path.join(dir, "x.npy");
  writeNpy(p, makeTensor("f32", [6], [1, 2, 3, 4, 5, 6]));
  const t = loadFeed(p, makeType("f32", [1, 2, 3]));
  assert.deepEqual(t.shape, [1, 2, 3]);
  assert.throws(() => loadFeed(p, makeType("f32", [1, 4]), { inputName: "x" }),
    (e: Error) => e instanceof UserError && e.message === `${p}: 6 elements [6], input x expects [1,4] (4 elements)`);
  const w = path.join(dir, "a.wav");
  writeWav(w, [0.5, -0.5, 0.25, 0], 16000);
  assert.deepEqual([...loadFeed(w, makeType("f32", [1, 4]), { expectRate: 16000 }).data], [0.5, -0.5, 0.25, 0]);
  // Another rate is resampled (16 kHz → 8 kHz halves the samples), then the element count must fit.
  assert.throws(() => loadFeed(w, makeType("f32", [1, 4]), { expectRate: 8000 }), (e: Error) => e instanceof UserError && e.message === `${w}: 2 elements [2], the input expects [1,4] (4 elements)`);
  assert.throws(() => loadFeed(path.join(dir, "x.txt"), makeType("f32", [1])), /unknown input file type/);
  // numeric dtype conversion: i32 file into an i64 input
  const q = path.join(dir, "i.npy");
  writeNpy(q, makeTensor("i32", [2], [3, 4]));
  assert.equal(loadFeed(q, makeType("i64", [2])).dtype, "i64");
});

test("loadFeeds requires every input once", () => {
  const g = new Graph();
  g.addInput("a", makeType("f32", [2]));
  g.addInput("b", makeType("f32", [2]));
  const p = path.join(dir, "two.npy");
  writeNpy(p, makeTensor("f32", [2], [1, 2]));
  assert.throws(() => loadFeeds(g, [{ name: "a", path: p }]), /missing input b: expected f32\[2\]/);
  assert.throws(() => loadFeeds(g, [{ name: null, path: p }]), /2 inputs/);
  assert.throws(() => loadFeeds(g, [{ name: "c", path: p }]), /no input named c/);
  assert.equal(Object.keys(loadFeeds(g, [{ name: "a", path: p }, { name: "b", path: p }])).length, 2);
});

test("randomFeeds is deterministic, uniform in [-1,1) for f32, zeros for i64", () => {
  const g = new Graph();
  g.addInput("x", makeType("f32", [1000]));
  g.addInput("n", makeType("i64", [3]));
  const a = randomFeeds(g, 42), b = randomFeeds(g, 42), c = randomFeeds(g, 43);
  assert.deepEqual([...a.x!.data], [...b.x!.data]);
  assert.notDeepEqual([...a.x!.data], [...c.x!.data]);
  const xs = [...a.x!.data];
  assert.ok(xs.every((v) => v >= -1 && v < 1));
  assert.ok(Math.min(...xs) < -0.9 && Math.max(...xs) > 0.9);
  assert.deepEqual([...a.n!.data], [0, 0, 0]);
});

test("atomicWriteNpyFiles writes all files or nothing", async () => {
  const target = path.join(dir, "out");
  const paths = await atomicWriteNpyFiles(target, { "y/0": makeTensor("f32", [2], [1, 2]), z: makeTensor("i8", [1], [-3]) });
  assert.deepEqual(paths.map((p) => path.basename(p)).sort(), ["y_0.npy", "z.npy"]);
  assert.deepEqual([...readNpy(path.join(target, "z.npy")).data], [-3]);
  // overwrite into the existing dir
  await atomicWriteNpyFiles(target, { z: makeTensor("i8", [1], [4]) });
  assert.deepEqual([...readNpy(path.join(target, "z.npy")).data], [4]);
  // a failure (bad tensor) leaves no new directory and no temp dir behind
  const bad = path.join(dir, "bad");
  const broken = { dtype: "f32", shape: [2], data: null } as never;
  await assert.rejects(() => atomicWriteNpyFiles(bad, { ok: makeTensor("f32", [1], [1]), broken }));
  assert.equal(fs.existsSync(bad), false);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes(".tmp-")), []);
});
