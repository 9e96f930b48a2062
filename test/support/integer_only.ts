// The C half of the --integer-only check (issue #13 Deliver 3): in the
// generated model.c no step of invoke() computes in float. The one float
// code allowed is the border conversion of <name>_run_float, which the
// emitter writes as `if (float_io) clg_quantize_f32_sN(...); else memcpy`
// (and the dequantize mirror); <name>_run never takes that branch. Every
// other mention of float, double or an _f32 routine inside a step fails.
import assert from "node:assert/strict";

/** One step of invoke(): the name given to <NAME>_STEP_BEGIN and the code up to <NAME>_STEP_END. */
export interface CStep {
  name: string;
  body: string;
}

/** The steps of invoke() in a generated model.c, in order (any model prefix). */
export function stepBodies(modelC: string): CStep[] {
  const out: CStep[] = [];
  // The hooks are named after the model (<NAME>_STEP_BEGIN), so the prefix is matched, then required at the end.
  const re = /\b(\w+)_STEP_BEGIN\(\d+, "([^"]+)"\);([\s\S]*?)\b\1_STEP_END\(/g;
  for (let m = re.exec(modelC); m; m = re.exec(modelC)) out.push({ name: m[2]!, body: m[3]! });
  return out;
}

/** `body` without the float_io border branches (`if (float_io) <one float conversion>; else`). */
export function withoutFloatBorders(body: string): string {
  return body.replace(/if \(float_io\)\s*\n\s*clg_(quantize_f32_s(8|16)|dequantize_s(8|16)_f32)\([^;]*;\s*else\s*\n/g, "");
}

const FLOAT_WORDS = /\bfloat\b|\bdouble\b|_f32\b|\bf32_|_f64\b|\bf64_/;

/**
 * Fails (naming the step and printing its code) when a step of the int8 API
 * mentions float: a float/double type, a cast, or an _f32 routine. Returns the
 * steps scanned; asserts there are at least `minSteps` so an emitter change
 * that renames the hooks cannot make the scan pass by finding nothing.
 */
export function assertNoFloatSteps(modelC: string, minSteps = 1): CStep[] {
  const steps = stepBodies(modelC);
  assert.ok(steps.length >= minSteps, `${steps.length} steps found in model.c (expected at least ${minSteps})`);
  for (const st of steps) {
    assert.doesNotMatch(withoutFloatBorders(st.body), FLOAT_WORDS, `step ${st.name} computes in float:\n${st.body}`);
  }
  return steps;
}
