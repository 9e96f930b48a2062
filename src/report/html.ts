// HTML text helpers of the report. Every string that comes from the model
// (node, value and port names, ops, file paths) goes through esc(): names are
// chosen by whoever exported the model, and the page must show them, never
// run them.

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe inside an element and inside a quoted attribute (HTML and SVG). */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Bytes with a KiB/MiB figure beside them once they are large. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${n} B (${(n / 1024).toFixed(1)} KiB)`;
  return `${n} B (${(n / 1024 / 1024).toFixed(2)} MiB)`;
}

/** 1234567 → "1,234,567" (fixed locale: the page must not depend on the machine's). */
export function grouped(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
