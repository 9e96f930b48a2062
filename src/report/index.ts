// `--report <file.html>`: the compile as a page people can look at — the
// graph before and after lowering, the per-layer table and the memory plan —
// built from what the stages already computed (nothing is re-run).
import type { Stages } from "../driver/stages.js";
import type { Graph } from "../ir/graph.js";
import { countMacs } from "../ops/cortex_m/macs.js";
import { graphSvg } from "./graph_svg.js";
import { bytes, grouped } from "./html.js";
import { layerRows, type LayerRow } from "./layers.js";
import { memorySvg } from "./memory_svg.js";
import { FIT_WIDTH, pageHtml, type PageGraph } from "./page.js";
import type { Profile } from "./profile.js";

export { readProfile, parseProfile, type Profile } from "./profile.js";
export { tableNodes, type LayerRow } from "./layers.js";

export interface ReportContext {
  /** The model as the user named it (file path or built-in name). */
  model: string;
  target: string;
  /** Where calibration data came from (the compile summary's words). */
  calibration?: string;
  /** The steps of the generated C (emitProject's `steps`): the functions each step calls. */
  steps?: ReadonlyArray<{ index: number; kernel: string }>;
  profile?: Profile;
}

function graphPart(title: string, g: Graph, id: string): PageGraph {
  const { svg, width } = graphSvg(g, id, FIT_WIDTH);
  return { title, nodes: g.nodes.length, svg, width };
}

export interface Report {
  html: string;
  rows: LayerRow[] | null;
}

export function buildReport(s: Stages, ctx: ReportContext): Report {
  const after = s.final ?? s.lowered;
  const afterJson = s.final ? s.json.final : s.json.lowered;
  const graphs: PageGraph[] = [graphPart("Imported (float)", s.float, "g-before")];
  if (after) graphs.push(graphPart(s.final ? "Lowered and cleaned up (final)" : "Lowered", after, "g-after"));
  const rows = after
    ? layerRows({
        final: after,
        ...(s.quantized ? { layers: s.quantized.layers, qdq: s.quantized.graph } : {}),
        convs: new Map((afterJson?.convs ?? []).map((c) => [c.name, { kernel: c.kernel, reason: c.reason }])),
        floats: new Map((afterJson?.float ?? []).map((f) => [f.name, f.reason])),
        ...(ctx.steps ? { calls: new Map(ctx.steps.map((st) => [st.index, st.kernel])) } : {}),
        ...(ctx.profile ? { profile: ctx.profile.steps } : {}),
      })
    : null;
  const facts: Array<[string, string]> = [["model", ctx.model], ["target", ctx.target]];
  if (ctx.calibration) facts.push(["calibration", ctx.calibration]);
  facts.push(["ops", `${s.float.nodes.length} imported` + (after ? ` → ${after.nodes.length} after lowering` : "")]);
  if (after) facts.push(["MACs per inference", grouped(countMacs(after))]);
  if (s.plan) facts.push(["arena", `${bytes(s.plan.arenaBytes)}; lower bound ${bytes(s.plan.lowerBoundBytes)}`], ["weights", bytes(s.plan.weightsBytes)]);
  if (ctx.profile) facts.push(["instructions per inference (profile)", grouped(ctx.profile.total)]);
  const memory = s.final && s.plan ? { svg: memorySvg(s.final, s.plan).svg, arenaBytes: s.plan.arenaBytes, lowerBoundBytes: s.plan.lowerBoundBytes } : null;
  const html = pageHtml({ title: `cmsis-lower report: ${ctx.model}`, facts, graphs, rows, memory, hasProfile: ctx.profile !== undefined });
  return { html, rows };
}
