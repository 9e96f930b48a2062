import type { AttrValue, Graph, Value } from "./graph.js";
import { isContiguous } from "./layout.js";
import { fmtQParams } from "./quant.js";

function fmtType(v: Value): string {
  const t = v.type;
  let s = `${t.dtype}[${t.shape.join(",")}]`;
  if (!isContiguous(t.dimOrder)) s += `{${t.dimOrder.join(",")}}`;
  if (t.qparams) s += ` ${fmtQParams(t.qparams)}`;
  return s;
}

function fmtAttr(a: AttrValue): string {
  if (Array.isArray(a)) return a.length > 8 ? `[${a.slice(0, 8).map(fmtAttr).join(",")},…(${a.length})]` : `[${a.map(fmtAttr).join(",")}]`;
  if (a !== null && typeof a === "object") return `{${Object.entries(a).map(([k, v]) => `${k}=${fmtAttr(v)}`).join(", ")}}`;
  if (typeof a === "number" && !Number.isInteger(a)) return a.toPrecision(6);
  return String(a);
}

/** A readable listing, one line per node, in schedule order. */
export function printGraph(g: Graph): string {
  const lines: string[] = [];
  lines.push(`graph ${g.name}(${g.inputs.map((v) => `%${v.name}: ${fmtType(v)}`).join(", ")})`);
  for (const c of g.constants) lines.push(`  const %${c.name}: ${fmtType(c)}`);
  for (const n of g.nodes) {
    const outs = n.outputs.map((o) => `%${o.name}: ${fmtType(o)}`).join(", ");
    const ins = n.inputs.map((v) => (v ? `%${v.name}` : "_")).join(", ");
    const attrs = Object.entries(n.attrs).map(([k, v]) => `${k}=${fmtAttr(v)}`).join(", ");
    lines.push(`  ${outs} = ${n.op}(${ins})${attrs ? ` {${attrs}}` : ""}`);
  }
  lines.push(`  return ${g.outputs.map((v) => `%${v.name}`).join(", ")}`);
  return lines.join("\n");
}
