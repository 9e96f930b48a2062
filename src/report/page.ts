// The report page: one self-contained HTML file (inline CSS, pre-rendered
// SVG, no script, no network), readable offline and safe to open from an
// untrusted model because every model-derived string is escaped (html.ts).
import { KIND_LABEL, OP_KINDS } from "./classify.js";
import { bytes, esc, grouped } from "./html.js";
import type { LayerRow } from "./layers.js";

export interface PageGraph {
  title: string;
  nodes: number;
  svg: string;
  /** Natural width of the SVG in px. */
  width: number;
}

/** Graphs wider than this are shown scaled down to it (the page body's usual width). */
export const FIT_WIDTH = 1400;

export interface PageInput {
  title: string;
  /** Label → value lines of the summary at the top (values are escaped here). */
  facts: Array<[string, string]>;
  graphs: PageGraph[];
  rows: LayerRow[] | null;
  memory: { svg: string; arenaBytes: number; lowerBoundBytes: number } | null;
  hasProfile: boolean;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 24px 40px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:18px 0 6px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d5dae3;padding-bottom:4px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}dl.facts dt{color:#5a6475}dl.facts dd{margin:0}
.legend{display:flex;flex-wrap:wrap;gap:12px;margin:6px 0 10px}.legend span{display:inline-flex;align-items:center;gap:5px}
.legend i{display:inline-block;width:14px;height:14px;border-radius:3px;border:1px solid #0003}
.graphbox{margin-bottom:18px}h3{font-size:15px;margin:10px 0 6px}
.scroll{overflow:auto;max-height:900px;border:1px solid #d5dae3;border-radius:6px;background:#fafbfc}
svg.graph{display:block;margin:0 auto;height:auto}svg text{font:10px system-ui,sans-serif;fill:#1d2330}svg.graph text{text-anchor:middle}svg.graph .opname{font-weight:600;font-size:10.5px}
svg .edge{fill:none;stroke:#8a93a3;stroke-width:1}svg .arrowhead{fill:#8a93a3}svg .op rect{stroke:#0005;stroke-width:1}
.kind-int8 rect,i.kind-int8{fill:#8fd18a;background:#8fd18a}.kind-int16 rect,i.kind-int16{fill:#5fb0a8;background:#5fb0a8}
.kind-float rect,i.kind-float{fill:#f4a261;background:#f4a261}.kind-layout rect,i.kind-layout{fill:#c3b5e8;background:#c3b5e8}
.kind-convert rect,i.kind-convert{fill:#f1e08a;background:#f1e08a}.kind-scratch rect,i.kind-scratch{fill:#e3e6eb;background:#e3e6eb}
.kind-other rect,i.kind-other{fill:#ffffff;background:#ffffff}
table.layers{border-collapse:collapse;font-size:12px;width:100%}table.layers th,table.layers td{border:1px solid #d5dae3;padding:3px 6px;vertical-align:top}
table.layers th{background:#eef1f5;position:sticky;top:0}table.layers td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.layers td.name{max-width:300px;overflow-wrap:anywhere}table.layers td.why{max-width:340px;color:#3c4555}
table.layers tr td:first-child{border-left:6px solid transparent}
table.layers tr.kind-int8 td:first-child{border-left-color:#8fd18a}table.layers tr.kind-int16 td:first-child{border-left-color:#5fb0a8}
table.layers tr.kind-float td:first-child{border-left-color:#f4a261}table.layers tr.kind-layout td:first-child{border-left-color:#c3b5e8}
table.layers tr.kind-convert td:first-child{border-left-color:#f1e08a}
.tablebox{overflow:auto;max-height:760px;border:1px solid #d5dae3;border-radius:6px}
svg.memory{background:#fafbfc;border:1px solid #d5dae3;border-radius:6px}svg.memory .axis{stroke:#5a6475}
svg.memory .buf{stroke:#fff;stroke-width:.5}.buf-activation{fill:#7fa7e0;background:#7fa7e0}.buf-input{fill:#8fd18a;background:#8fd18a}
.buf-output{fill:#f4a261;background:#f4a261}.buf-scratch{fill:#b9a3e3;background:#b9a3e3}
svg.memory .live{fill:none;stroke:#1d2330;stroke-width:1.2;stroke-dasharray:3 2}
svg.memory .arena{stroke:#c0392b;stroke-width:1.5}svg.memory .arena-label{fill:#c0392b}
svg.memory .bound{stroke:#1d2330;stroke-width:1;stroke-dasharray:6 3}svg.memory .bound-label{fill:#1d2330}
p.note{color:#5a6475;margin:4px 0}
`;

const BUFFER_LEGEND =
  `<div class="legend">` +
  [["activation", "activation"], ["input", "model input"], ["output", "model output"], ["scratch", "kernel scratch"]]
    .map(([k, label]) => `<span><i class="buf-${k}"></i>${label}</span>`)
    .join("") +
  `</div>`;

function legend(): string {
  return `<div class="legend">${OP_KINDS.map((k) => `<span><i class="kind-${k}"></i>${esc(KIND_LABEL[k])}</span>`).join("")}</div>`;
}

function sqnr(v: number | null): string {
  if (v === null) return "";
  if (v === Infinity) return "exact";
  return v.toFixed(1);
}

function tableHtml(rows: LayerRow[], hasProfile: boolean): string {
  const head = ["#", "layer", "op", "CMSIS-NN kernel / C call", "why", "layout", "MACs", "weight B", "scratch B", "output qparams", "SQNR dB vs float"];
  if (hasProfile) head.push("instructions");
  const body = rows.map((r) => {
    const cells = [
      `<td class="num">${r.step}</td>`,
      `<td class="name">${esc(r.name)}</td>`,
      `<td>${esc(r.op)}</td>`,
      `<td>${esc(r.kernel)}</td>`,
      `<td class="why">${esc(r.why)}</td>`,
      `<td>${esc(r.layout)}</td>`,
      `<td class="num">${r.macs ? grouped(r.macs) : ""}</td>`,
      `<td class="num">${r.weightBytes ? grouped(r.weightBytes) : ""}</td>`,
      `<td class="num">${r.scratchBytes ? grouped(r.scratchBytes) : ""}</td>`,
      `<td>${esc(r.qparams)}</td>`,
      `<td class="num">${sqnr(r.sqnrDb)}</td>`,
    ];
    if (hasProfile) cells.push(`<td class="num">${r.instructions === null ? "" : grouped(r.instructions)}</td>`);
    return `<tr class="layer kind-${r.kind}">${cells.join("")}</tr>`;
  });
  return (
    `<div class="tablebox"><table class="layers"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>` +
    `<tbody>${body.join("")}</tbody></table></div>`
  );
}

export function pageHtml(p: PageInput): string {
  const facts = p.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  const graphs = p.graphs
    .map((g) => {
      const fit = g.width > FIT_WIDTH ? ` (${Math.round((FIT_WIDTH / g.width) * 100)}% size to fit the page: zoom in to read)` : "";
      return `<div class="graphbox"><h3>${esc(g.title)} — ${g.nodes} ops${esc(fit)}</h3><div class="scroll">${g.svg}</div></div>`;
    })
    .join("");
  const parts = [
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width,initial-scale=1">`,
    // No network and no script: the CSP makes that a property of the page, not only of this generator.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(p.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${esc(p.title)}</h1><dl class="facts">${facts}</dl>`,
    `<section id="graphs"><h2>${p.graphs.length > 1 ? "Graph before and after lowering" : "Graph"}</h2>${legend()}`,
    `<p class="note">Hover a box for its full name, op and output types.</p><div class="graphs">${graphs}</div></section>`,
  ];
  if (p.rows) {
    parts.push(`<section id="layers"><h2>Layers (${p.rows.length})</h2>`);
    parts.push(`<p class="note">One row per op of the final program, in schedule order; # is the step number in the generated C.</p>`);
    parts.push(tableHtml(p.rows, p.hasProfile) + `</section>`);
  }
  if (p.memory) {
    parts.push(
      `<section id="memory"><h2>Memory plan</h2><p class="note">Arena ${esc(bytes(p.memory.arenaBytes))}; lower bound ` +
        `${esc(bytes(p.memory.lowerBoundBytes))} (most bytes live at one step). Each rectangle is one buffer: live steps × arena offsets; ` +
        `the dashed curve is the bytes live at each step.</p>${BUFFER_LEGEND}${p.memory.svg}</section>`,
    );
  }
  parts.push(`</body></html>\n`);
  return parts.join("");
}
