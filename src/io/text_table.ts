// The one plain-text table printer of the CLI, the driver and the tests:
// columns padded to their widest cell, two spaces apart, trailing blanks cut.

export interface TableOptions {
  /** Put in front of every line (e.g. "  " under a heading). */
  indent?: string;
  /** A line of dashes under the first row (the header), as wide as each column. */
  rule?: boolean;
  /** Columns whose cells are right-aligned (numbers); the others are left-aligned. */
  rightAligned?: (column: number) => boolean;
}

/** The lines of a table whose first row is the header; a missing cell counts as empty. */
export function tableLines(rows: readonly (readonly string[])[], opts: TableOptions = {}): string[] {
  if (rows.length === 0) return [];
  const indent = opts.indent ?? "";
  const right = opts.rightAligned ?? (() => false);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]): string =>
    indent + widths.map((w, i) => (right(i) ? (r[i] ?? "").padStart(w) : (r[i] ?? "").padEnd(w))).join("  ").trimEnd();
  const lines = rows.map(line);
  if (opts.rule) lines.splice(1, 0, indent + widths.map((w) => "-".repeat(w)).join("  "));
  return lines;
}
