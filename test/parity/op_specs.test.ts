// Parity of the op specs with the stages that read them (issue 11, Deliver 3):
// every quantization pattern is lowered or says why not; every defined op can
// be produced by the importer or the builder (or by a later stage that owns
// its dialect); the tables derived from the specs agree with the lists kept
// beside them; production code outside src/ops names ops by spec constants.
// Each check is a function over plain tables, so each test also shows the
// check failing on a copy with one row removed or one row added.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import "../../src/ops/index.js";
import { allOpDefs, allOps, dialectOf, opsWhere } from "../../src/ir/registry.js";
import { allPatterns } from "../../src/quantize/patterns.js";
import { substitutedOps } from "../../src/lower/substitutions/registry.js";
import "../../src/lower/substitutions/index.js";
import { importableOps } from "../../src/import/onnx/converters/table.js";
import { BUILDER_OPS } from "../../src/builder/builder.js";
import { ACTIVATION_TAILS, CLAMP_TAILS } from "../../src/ops/activation/activations.js";

// ---- every quant pattern has a substitution or a recorded reason ---------------------

interface PatternRow {
  op: string;
  pattern: { name: string; notLowered?: string };
}

/** Problems: a pattern with neither a substitution nor a reason, or with both (a stale reason). */
function patternParity(patterns: readonly PatternRow[], substituted: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const { op, pattern } of patterns) {
    const has = substituted.has(op);
    if (!has && !pattern.notLowered) out.push(`${pattern.name} (${op}): no substitution and no recorded reason`);
    if (has && pattern.notLowered) out.push(`${pattern.name} (${op}): has a substitution but still records "${pattern.notLowered}"`);
  }
  return out;
}

test("every quantization pattern has a lowering substitution or records why it has none", () => {
  const patterns = allPatterns();
  assert.ok(patterns.length >= 15, `expected the quantizer's patterns, got ${patterns.length}`);
  assert.deepEqual(patternParity(patterns, substitutedOps()), []);
});

test("the pattern parity check reports a substitution removed, and a reason left after one is added", () => {
  const without = new Set(substitutedOps());
  without.delete("aten.add");
  // Every pattern of aten.add is reported: x + c (either side) and the two-activation add.
  assert.deepEqual(patternParity(allPatterns(), without), ["add_scalar", "add_scalar", "add"].map((p) => `${p} (aten.add): no substitution and no recorded reason`));
  // matmul has a substitution (arm_batch_matmul_s8): a reason recorded beside it is reported.
  const withReason = allPatterns().map((p) => (p.op === "aten.matmul" ? { ...p, pattern: { ...p.pattern, notLowered: "left behind" } } : p));
  const problems = patternParity(withReason, new Set(substitutedOps()));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^matmul \(aten\.matmul\): has a substitution but still records/);
});

test("every pattern has a substitution today (matmul was the last without one)", () => {
  // leaky_relu left this list when its lookup table learnt to carry the slope, matmul with arm_batch_matmul_s8.
  const unlowered = allPatterns().filter((p) => p.pattern.notLowered).map((p) => p.pattern.name).sort();
  assert.deepEqual(unlowered, []);
});

// ---- every defined op is reachable -----------------------------------------------------

/**
 * Ops of dialects the user never writes: a later stage makes them. The reason
 * is recorded per dialect; the stage's own tests show it producing them.
 */
const MADE_BY_STAGE: Readonly<Record<string, string>> = {
  quantized_decomposed: "inserted by the quantizer (quantize/insert_qdq.ts) around int8 values",
  cortex_m: "produced by the lowering (lower/substitutions, lower/passes) from quantized patterns",
  dim_order_ops: "produced by the lowering's layout passes (channels-last wraps)",
};

/** Defined ops that neither the importer nor the builder emits and no stage is recorded to make. */
function unreachable(defined: readonly string[], importer: ReadonlySet<string>, builder: ReadonlySet<string>, byStage: Readonly<Record<string, string>>): string[] {
  return defined.filter((op) => !importer.has(op) && !builder.has(op) && !(dialectOf(op) in byStage));
}

const builderOps = (): Set<string> => new Set(BUILDER_OPS.map((d) => d.name));

test("every defined op is produced by the ONNX importer or the builder (or by the stage owning its dialect)", () => {
  assert.deepEqual(unreachable(allOps(), importableOps(), builderOps(), MADE_BY_STAGE), []);
});

test("the reachability check reports an op whose only producer is removed", () => {
  // aten.silu comes only from the builder (ONNX has no SiLU op); aten.gelu only from the importer.
  const builder = builderOps();
  builder.delete("aten.silu");
  assert.deepEqual(unreachable(allOps(), importableOps(), builder, MADE_BY_STAGE), ["aten.silu"]);
  const importer = new Set(importableOps());
  importer.delete("aten.gelu");
  assert.deepEqual(unreachable(allOps(), importer, builderOps(), MADE_BY_STAGE), ["aten.gelu"]);
  const { cortex_m: _, ...noLowering } = MADE_BY_STAGE;
  assert.ok(unreachable(allOps(), importableOps(), builderOps(), noLowering).includes("cortex_m.quantized_conv2d"));
});

test("converters and the builder only declare ops that exist", () => {
  const defined = new Set(allOps());
  assert.deepEqual([...importableOps(), ...builderOps()].filter((op) => !defined.has(op)), []);
});

// ---- derived tables agree with the lists kept beside the specs --------------------------

/** Differences between a hand-kept list and the set derived from the specs (missing, extra, listed twice). */
function listVsDerived(list: readonly string[], derived: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const op of derived) if (!list.includes(op)) out.push(`missing ${op}`);
  for (const op of list) if (!derived.has(op)) out.push(`extra ${op}`);
  for (const op of new Set(list)) if (list.indexOf(op) !== list.lastIndexOf(op)) out.push(`twice ${op}`);
  return out;
}

const tailOps = (): ReadonlySet<string> => opsWhere((d) => !!d.quant?.tail);
const clampTailOps = (): ReadonlySet<string> => opsWhere((d) => !!d.quant?.tail && !d.quant.tail.affine);

test("the tail lists patterns use are exactly the specs with a tail role (plain clamps: no affine part)", () => {
  assert.deepEqual(listVsDerived(ACTIVATION_TAILS, tailOps()), []);
  assert.deepEqual(listVsDerived(CLAMP_TAILS, clampTailOps()), []);
  for (const { pattern } of allPatterns()) {
    assert.deepEqual(pattern.tails.filter((t) => !tailOps().has(t)), [], `${pattern.name} lists a tail without a tail role`);
  }
});

test("the list check reports a row removed, a row added and a row listed twice", () => {
  assert.deepEqual(listVsDerived(ACTIVATION_TAILS.filter((t) => t !== "aten.relu"), tailOps()), ["missing aten.relu"]);
  assert.deepEqual(listVsDerived([...CLAMP_TAILS, "aten.hardsigmoid"], clampTailOps()), ["extra aten.hardsigmoid"]);
  assert.deepEqual(listVsDerived([...CLAMP_TAILS, "aten.relu"], clampTailOps()), ["twice aten.relu"]);
});

test("every spec's quant role is consistent: fixed outputs only on patterns, lut only on one-input ops", () => {
  for (const d of allOpDefs()) {
    for (const p of d.quant?.patterns ?? []) {
      assert.ok(p.inputs.length > 0, `${d.name}: pattern ${p.name} has no input roles`);
      if (typeof p.output === "object") assert.ok(p.output.fixed.scale > 0, `${d.name}: fixed scale`);
    }
    if (d.quant?.lut) assert.equal(d.unaryElementwise, true, `${d.name}: a lookup table needs a unary elementwise op`);
  }
});

// ---- op names outside src/ops are spec constants --------------------------------------

const ROOT = join(import.meta.dirname, "..", "..", "..");
const OP_LITERAL = /["'](aten|cortex_m|quantized_decomposed|dim_order_ops)\.[a-z_0-9]+["']/g;

/** Every production file outside src/ops must name ops by their spec constants. */
const SWEPT = ["src"];


/** Op-name string literals per file (test files and src/ops excluded). */
function opLiterals(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of files) {
    const code = text.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of code.matchAll(OP_LITERAL)) out.push(`${path}: ${m[0]}`);
  }
  return out;
}

function productionFiles(paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (p: string): void => {
    const abs = join(ROOT, p);
    let entries: string[] | null = null;
    try {
      entries = readdirSync(abs);
    } catch {
      entries = null;
    }
    if (entries) {
      for (const e of entries) visit(join(p, e));
      return;
    }
    if (p.startsWith(join("src", "ops") + "/")) return;
    if (p.endsWith(".ts") && !p.endsWith(".test.ts") && !p.endsWith(".d.ts")) out.set(relative(ROOT, abs), readFileSync(abs, "utf8"));
  };
  for (const p of paths) visit(p);
  return out;
}

test("src/ outside src/ops names ops by their spec constants, not by string literals", () => {
  const files = productionFiles(SWEPT);
  assert.ok(files.size > 100, `expected the production sources, found ${files.size}`);
  assert.ok(![...files.keys()].some((p) => p.startsWith(join("src", "ops"))), "src/ops is where the names are defined");
  assert.deepEqual(opLiterals(files), []);
});

test("the literal check finds an op name spelled in code (and ignores comments)", () => {
  const files = new Map([["src/x.ts", 'const a = 1; // "aten.relu" in a comment\nif (n.op === "aten.relu") f();\n']]);
  assert.deepEqual(opLiterals(files), ['src/x.ts: "aten.relu"']);
});
