// A graph as a pre-rendered SVG: dagre (a well-kept layered layout library)
// places one box per op, top to bottom in data-flow order; edges follow its
// routed points. The page needs no script to show it. Each op is one
// <g class="op kind-…"> carrying its name and op as data attributes, with a
// <title> tooltip (name, op, output shapes and dtypes).
import dagre from "@dagrejs/dagre";
import type { Graph, Node } from "../ir/graph.js";
import { SCRATCH_OP } from "../plan/lifetimes.js";
import { opKind } from "./classify.js";
import { esc } from "./html.js";

const CHAR_W = 6.6;
const BOX_H = 34;
const SCRATCH_H = 20;
const MAX_CHARS = 34;

/** "cortex_m.quantized_conv2d" → "quantized_conv2d". */
export function shortOp(op: string): string {
  return op.slice(op.lastIndexOf(".") + 1);
}

/** The last part of a path-like node name, cut to fit a box. */
function shortName(name: string): string {
  const tail = name.slice(name.lastIndexOf("/") + 1) || name;
  return tail.length > MAX_CHARS ? tail.slice(0, MAX_CHARS - 1) + "…" : tail;
}

function tooltip(n: Node): string {
  const outs = n.outputs.map((o) => `${o.name}: ${o.dtype}[${o.shape.join(",")}]`).join("\n");
  return `${n.name}\n${n.op}${outs ? "\n" + outs : ""}`;
}

export interface GraphSvg {
  svg: string;
  width: number;
  height: number;
}

/**
 * Lay out `g` and draw it; `id` prefixes the SVG's element ids (two graphs
 * share a page). A layout wider than `maxWidth` px is drawn scaled down to it.
 */
export function graphSvg(g: Graph, id: string, maxWidth = Infinity): GraphSvg {
  const lay = new dagre.graphlib.Graph({ multigraph: false });
  lay.setGraph({ rankdir: "TB", nodesep: 14, ranksep: 26, marginx: 8, marginy: 8 });
  lay.setDefaultEdgeLabel(() => ({}));
  const key = new Map<Node, string>();
  g.nodes.forEach((n, i) => {
    const k = `n${i}`;
    key.set(n, k);
    // Scratch buffers are drawn as small tabs beside the op that uses them, so they do not widen the layout.
    const chars = n.op === SCRATCH_OP ? shortOp(n.op).length : Math.max(shortOp(n.op).length, shortName(n.name).length);
    lay.setNode(k, { width: Math.ceil(chars * CHAR_W) + 16, height: n.op === SCRATCH_OP ? SCRATCH_H : BOX_H });
  });
  for (const n of g.nodes) {
    for (const v of n.inputs) {
      const from = v?.producer ? key.get(v.producer) : undefined;
      if (from && !lay.hasEdge(from, key.get(n)!)) lay.setEdge(from, key.get(n)!);
    }
  }
  dagre.layout(lay);
  const width = Math.ceil(lay.graph().width ?? 0);
  const height = Math.ceil(lay.graph().height ?? 0);

  const edges: string[] = [];
  for (const e of lay.edges()) {
    const pts: Array<{ x: number; y: number }> = lay.edge(e).points ?? [];
    if (pts.length === 0) continue;
    const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("");
    edges.push(`<path class="edge" d="${d}" marker-end="url(#${id}-arrow)"/>`);
  }
  const boxes = g.nodes.map((n) => {
    const p = lay.node(key.get(n)!);
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    return (
      `<g class="op kind-${opKind(n)}" data-name="${esc(n.name)}" data-op="${esc(n.op)}">` +
      `<title>${esc(tooltip(n))}</title>` +
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${p.width}" height="${p.height}" rx="4"/>` +
      `<text x="${p.x.toFixed(1)}" y="${(y + 14).toFixed(1)}" class="opname">${esc(shortOp(n.op))}</text>` +
      (n.op === SCRATCH_OP ? "" : `<text x="${p.x.toFixed(1)}" y="${(y + 27).toFixed(1)}" class="nodename">${esc(shortName(n.name))}</text>`) +
      `</g>`
    );
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" id="${id}" width="${Math.min(width, maxWidth)}" height="${Math.round(height * Math.min(1, maxWidth / Math.max(1, width)))}" viewBox="0 0 ${width} ${height}">` +
    `<defs><marker id="${id}-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">` +
    `<path d="M0,0L8,4L0,8z" class="arrowhead"/></marker></defs>` +
    `<g class="edges">${edges.join("")}</g><g class="ops">${boxes.join("")}</g></svg>`;
  return { svg, width, height };
}
