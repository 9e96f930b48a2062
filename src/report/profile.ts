// `--profile <json>`: the per-step instruction counts `cmsis-lower profile
// --json` prints ({ total, steps: [{ name, op, kernel, category,
// instructions }] }), merged into the per-layer table by node name.
import { UserError } from "../ir/errors.js";
import { readUserFile } from "../ir/user_files.js";

export interface StepProfile {
  name: string;
  kernel?: string;
  instructions: number;
}

export interface Profile {
  total: number;
  steps: Map<string, StepProfile>;
}

/** Parse profile JSON text; `path` names the file in errors. */
export function parseProfile(text: string, path: string): Profile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not JSON (${(e as Error).message})`);
  }
  const steps = (doc as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) throw new UserError(`${path}: no "steps" array (expected the output of 'cmsis-lower profile --json')`);
  const out = new Map<string, StepProfile>();
  steps.forEach((s: unknown, i) => {
    const r = s as { name?: unknown; kernel?: unknown; instructions?: unknown } | null;
    if (typeof r?.name !== "string" || typeof r.instructions !== "number" || !Number.isFinite(r.instructions) || r.instructions < 0) {
      throw new UserError(`${path}: steps[${i}] needs a string "name" and a non-negative number "instructions"`);
    }
    out.set(r.name, { name: r.name, instructions: r.instructions, ...(typeof r.kernel === "string" && r.kernel ? { kernel: r.kernel } : {}) });
  });
  const total = (doc as { total?: unknown }).total;
  return { total: typeof total === "number" ? total : [...out.values()].reduce((a, s) => a + s.instructions, 0), steps: out };
}

export function readProfile(path: string): Profile {
  return parseProfile(readUserFile(path).toString("utf8"), path);
}
