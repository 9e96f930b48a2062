// The lower bound an arena is judged against: at each schedule step, the bytes
// that must be live at once (the running op's inputs, outputs and scratch plus
// everything live across it). No placement of the buffers can use fewer bytes
// than the busiest step, so arena / bound ≥ 1 and 1 means optimal.
//
// Sizes are counted as footprints (size rounded up to the buffer's alignment,
// 16 by default), the same unit the planner places: with every buffer at an
// aligned offset, the live buffers of a step stack up to at least the sum of
// their footprints, so the bound stays a true bound. Buffers, not values, are
// counted: an aliasing view or an in-place output shares its input's buffer
// and so counts once.
import { footprint, type Buffer } from "./buffer.js";

/** Live footprint bytes at each step from the first buffer start to the last buffer end. */
export function liveBytesPerStep(buffers: readonly Buffer[]): { firstStep: number; bytes: number[] } {
  if (buffers.length === 0) return { firstStep: 0, bytes: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of buffers) {
    lo = Math.min(lo, b.first);
    hi = Math.max(hi, b.last);
  }
  // Difference array: +size at first, −size after last.
  const diff = new Array<number>(hi - lo + 2).fill(0);
  for (const b of buffers) {
    diff[b.first - lo]! += footprint(b);
    diff[b.last - lo + 1]! -= footprint(b);
  }
  const bytes: number[] = [];
  let run = 0;
  for (let t = 0; t <= hi - lo; t++) {
    run += diff[t]!;
    bytes.push(run);
  }
  return { firstStep: lo, bytes };
}

/** The largest live footprint over all steps, and the step where it occurs. */
export function lowerBound(buffers: readonly Buffer[]): { bytes: number; step: number } {
  const { firstStep, bytes } = liveBytesPerStep(buffers);
  let best = 0;
  let step = firstStep;
  bytes.forEach((b, i) => {
    if (b > best) {
      best = b;
      step = firstStep + i;
    }
  });
  return { bytes: best, step };
}
