import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import "./index.js";
import { allOps, getOp } from "../ir/registry.js";

// The sources: walk up from dist/src/ops/index.test.js to the repo root (or use the cwd).
function findSrcOps(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(d, "src/ops/CATALOG.md"))) return path.join(d, "src/ops");
    const up = path.dirname(d);
    if (up === d) return path.resolve("src/ops");
    d = up;
  }
}
const srcDir = findSrcOps();

test("every folder under src/ops is imported by src/ops/index.ts", () => {
  const index = fs.readFileSync(path.join(srcDir, "index.ts"), "utf8");
  const folders = fs.readdirSync(srcDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.ok(folders.length >= 12);
  for (const f of folders) assert.ok(index.includes(`import "./${f}/index.js"`), `src/ops/${f} is not imported by index.ts`);
});

test("every op named in CATALOG.md is registered with infer and eval", () => {
  const cat = fs.readFileSync(path.join(srcDir, "CATALOG.md"), "utf8");
  const names = new Set([...cat.matchAll(/`((?:aten|dim_order_ops|quantized_decomposed)\.[a-z_0-9]+)`/g)].map((m) => m[1]!));
  assert.ok(names.size > 50);
  const ops = new Set(allOps());
  for (const n of names) {
    assert.ok(ops.has(n), `${n} not registered`);
    assert.equal(typeof getOp(n).eval, "function", `${n} has no eval`);
  }
});

test("flags: unaryElementwise and dataMovement", () => {
  for (const n of ["aten.relu", "aten.clone", "aten._to_copy", "quantized_decomposed.quantize_per_tensor", "quantized_decomposed.dequantize_per_tensor", "dim_order_ops._clone_dim_order"]) {
    assert.ok(getOp(n).unaryElementwise, `${n} unaryElementwise`);
  }
  for (const n of ["aten.view_copy", "aten.permute_copy", "aten.cat", "aten.split_with_sizes_copy", "aten.slice_copy", "aten.pad", "aten.max_pool2d", "aten.clone", "dim_order_ops._clone_dim_order", "aten.index_select"]) {
    assert.ok(getOp(n).dataMovement, `${n} dataMovement`);
  }
  assert.ok(!getOp("aten.add").dataMovement && !getOp("aten.add").unaryElementwise);
});
