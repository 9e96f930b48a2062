// `--report <file.html>` and `--profile <json>` for compile and inspect: the
// HTML report (src/report/) written atomically beside the other outputs.
import type { Command } from "commander";
import type { Stages } from "../driver/stages.js";
import { UserError } from "../ir/errors.js";
import { checkOutputFile, writeFileAtomic } from "../io/atomic_file.js";
import { buildReport, readProfile, type Profile, type ReportContext } from "../report/index.js";

export function addReportOptions(cmd: Command): Command {
  return cmd
    .option("--report <file.html>", "also write a self-contained HTML report: graph before/after lowering, per-layer table, memory plan")
    .option("--profile <json>", "merge the per-step instructions of 'cmsis-lower profile --json' into the report's table");
}

export interface ReportRequest {
  path: string;
  profile?: Profile;
}

/** Check the report's path and read the profile before any work, so a typo fails fast. */
export function reportRequest(o: { report?: string; profile?: string }): ReportRequest | null {
  if (o.report === undefined) {
    if (o.profile !== undefined) throw new UserError("--profile: only used with --report <file.html>");
    return null;
  }
  checkOutputFile(o.report);
  return { path: o.report, ...(o.profile !== undefined ? { profile: readProfile(o.profile) } : {}) };
}

export function writeReport(req: ReportRequest, stages: Stages, ctx: Omit<ReportContext, "profile">): void {
  const { html } = buildReport(stages, { ...ctx, ...(req.profile ? { profile: req.profile } : {}) });
  writeFileAtomic(req.path, html);
}
