// `verify --min-sqnr <dB>` / `--min-agreement <percent>`: the figures of a
// report that fall short, so that a script can rely on verify's exit code.
import { UserError } from "../ir/errors.js";
import type { VerifyReport } from "../driver/verify.js";

export interface Thresholds {
  /** Lowest SQNR (dB, engine vs float) accepted for every output of every TS engine. */
  minSqnr?: number;
  /** Lowest decision agreement (percent of frames) accepted for every engine of a stream model. */
  minAgreement?: number;
}

export const noDecisions = (model: string): string =>
  `--min-agreement: ${model} makes no frame decisions to agree on (stream models only, e.g. silero-vad)`;

/**
 * One phrase per figure below its threshold (empty when all pass). A
 * threshold that no figure of the report measures is a usage error: without
 * it, a check that checked nothing would pass.
 */
export function shortfalls(report: VerifyReport | null, t: Thresholds): string[] {
  const out: string[] = [];
  const engines = report?.engines ?? [];
  if (t.minSqnr !== undefined) {
    const min = t.minSqnr;
    if (!engines.some((e) => e.outputs.length > 0)) {
      throw new UserError("--min-sqnr: no engine measured an SQNR; select int8 or int8-ref with --engine");
    }
    for (const e of engines) {
      for (const o of e.outputs) {
        // NaN (a NaN output) fails too.
        if (!(o.sqnrDb >= min)) out.push(`${e.engine} output '${o.name}' SQNR ${o.sqnrDb.toFixed(2)} dB < --min-sqnr ${min}`);
      }
    }
  }
  if (t.minAgreement !== undefined) {
    const min = t.minAgreement;
    if (!engines.some((e) => e.stream)) {
      throw new UserError(noDecisions(report?.model ?? "the model"));
    }
    for (const e of engines) {
      const pct = 100 * (e.stream?.agreement ?? NaN);
      if (e.stream && !(pct >= min)) out.push(`${e.engine} decision agreement ${pct.toFixed(2)}% < --min-agreement ${min}`);
    }
  }
  return out;
}
