// The memory plan as a picture: every arena buffer is a rectangle spanning the
// schedule steps it is live (x) at its planned offset (y, height = its
// aligned footprint). Two horizontal lines mark the arena size and the lower
// bound (the most bytes live at one step); the live-bytes curve shows where
// that bound comes from.
import type { Graph, Value } from "../ir/graph.js";
import type { MemoryPlan } from "../plan/graph_plan.js";
import { footprint } from "../plan/buffer.js";
import { graphBuffers, isScratchValue } from "../plan/lifetimes.js";
import { liveBytesPerStep } from "../plan/lower_bound.js";
import { bytes, esc } from "./html.js";

const W = 1400;
const H = 420;
const LEFT = 78;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 36;

type BufferKind = "input" | "output" | "scratch" | "activation";

function bufferKind(g: Graph, values: readonly Value[]): BufferKind {
  if (values.some((v) => g.inputs.includes(v))) return "input";
  if (values.some((v) => g.outputs.includes(v))) return "output";
  if (values.some(isScratchValue)) return "scratch";
  return "activation";
}

export interface MemoryChart {
  svg: string;
  /** Number of buffer rectangles drawn. */
  buffers: number;
}

/** The chart of `plan` (made for `g` by planGraph with default options). */
export function memorySvg(g: Graph, plan: MemoryPlan): MemoryChart {
  // The same buffers planGraph placed: same schedule, same sharing rules.
  const gb = graphBuffers(g, plan.order);
  const steps = Math.max(1, gb.steps);
  const top = Math.max(plan.arenaBytes, 1);
  const px = (step: number): number => LEFT + (step / steps) * (W - LEFT - RIGHT);
  const py = (off: number): number => H - BOTTOM - (off / top) * (H - TOP - BOTTOM);
  const rects: string[] = [];
  for (const b of gb.buffers) {
    const off = plan.offsets.get(b.values[0]!);
    if (off === undefined || b.size === 0) continue;
    const kind = bufferKind(g, b.values);
    const names = b.values.map((v) => v.name).join(", ");
    const tip = `${names}\n${bytes(b.size)} at offset ${off}, steps ${b.first}–${b.last}`;
    const x0 = px(b.first);
    const x1 = px(b.last + 1);
    const y1 = py(off);
    const y0 = py(off + footprint(b));
    rects.push(
      `<rect class="buf buf-${kind}" x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${Math.max(1, x1 - x0).toFixed(1)}" ` +
        `height="${Math.max(1, y1 - y0).toFixed(1)}"><title>${esc(tip)}</title></rect>`,
    );
  }
  const live = liveBytesPerStep(gb.buffers);
  const curve = live.bytes
    .map((v, i) => `${i === 0 ? "M" : "L"}${px(live.firstStep + i).toFixed(1)},${py(v).toFixed(1)}h${(px(1) - px(0)).toFixed(1)}`)
    .join("");
  // The arena is labelled above its line at the right, the bound below its line at the left: they often coincide.
  const line = (y: number, cls: string, label: string, below: boolean): string =>
    `<line class="${cls}" x1="${LEFT}" x2="${W - RIGHT}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>` +
    `<text class="${cls}-label" x="${below ? LEFT + 6 : W - RIGHT - 4}" y="${(below ? y + 12 : y - 4).toFixed(1)}" ` +
    `text-anchor="${below ? "start" : "end"}">${esc(label)}</text>`;
  const axes =
    `<line class="axis" x1="${LEFT}" y1="${H - BOTTOM}" x2="${W - RIGHT}" y2="${H - BOTTOM}"/>` +
    `<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${H - BOTTOM}"/>` +
    `<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 8}" text-anchor="middle">schedule step (0–${steps - 1})</text>` +
    `<text x="${LEFT - 6}" y="${H - BOTTOM}" text-anchor="end">0</text>` +
    `<text x="${LEFT - 6}" y="${TOP + 10}" text-anchor="end">${esc(plan.arenaBytes)}</text>` +
    `<text x="14" y="${(TOP + H - BOTTOM) / 2}" transform="rotate(-90 14 ${(TOP + H - BOTTOM) / 2})" text-anchor="middle">arena offset</text>`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="memory" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<g class="buffers">${rects.join("")}</g><path class="live" d="${curve}"/>` +
    line(py(plan.arenaBytes), "arena", `arena ${plan.arenaBytes} B`, false) +
    line(py(plan.lowerBoundBytes), "bound", `lower bound ${plan.lowerBoundBytes} B (step ${plan.lowerBoundStep})`, true) +
    axes +
    `</svg>`;
  return { svg, buffers: rects.length };
}
