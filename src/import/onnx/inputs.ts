// Graph inputs: static shapes from the model, `inputShapes` for dynamic dims
// (a bare shape, key "", is the first input's), dynamic dims taken from the
// data the user gives (`dataShapes`: the shape of an --input / --calib file),
// and `bind` turning an input into a constant (e.g. Silero's sample rate).
import { allocArray } from "../../ir/dtype.js";
import { makeType } from "../../ir/graph.js";
import { checkTensorSize } from "../../ir/limits.js";
import { numel } from "../../ir/tensor.js";
import type { ImportContext } from "./context.js";
import { ImportIssue, OnnxImportError, oneLine } from "./issue.js";
import { elemDType, toNum, type GraphProto, type ValueInfoProto } from "./proto.js";

export interface InputOptions {
  bind?: Record<string, number | number[]>;
  /** Shapes by input name; "" names the first input (`--input-shape 1x1x16000`). */
  inputShapes?: Record<string, number[]>;
  /**
   * Shapes of the data files given for inputs ("" = the first input), e.g. a
   * .npy's shape or a WAV's [samples]: they fill dynamic dims that
   * `inputShapes` leaves open. Names that are not inputs are left to the
   * feed loader to report.
   */
  dataShapes?: Record<string, number[]>;
}

/** `rec` with its "" key (the first input's) renamed to `first`. */
function firstInputKey<T>(rec: Record<string, T> | undefined, first: string | undefined, flag: string, file: string): Record<string, T> {
  const out: Record<string, T> = { ...(rec ?? {}) };
  if (!("" in out)) return out;
  if (first === undefined) throw new OnnxImportError(`${file}: ${flag} gives a shape for the first input, but the model has no inputs`);
  if (first in out) throw new OnnxImportError(`${file}: ${flag} gives the first input '${first}' twice (bare and by name)`);
  out[first] = out[""]!;
  delete out[""];
  return out;
}

/** Declared dims: a number when static, the dim_param name (or "?") when dynamic; null if the rank is unknown. */
function declaredDims(vi: ValueInfoProto): (number | string)[] | null {
  const shape = vi.type?.tensorType?.shape;
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => {
    const v = d.dimValue !== undefined && d.dimValue !== null ? toNum(d.dimValue) : 0;
    return v > 0 ? v : d.dimParam || "?";
  });
}

export function addGraphInputs(ctx: ImportContext, g: GraphProto, opts: InputOptions): void {
  const inits = new Set((g.initializer ?? []).map((t) => t.name ?? ""));
  const real = (g.input ?? []).filter((vi) => !inits.has(vi.name ?? ""));
  const names = real.map((vi) => vi.name ?? "");
  const inputShapes = firstInputKey(opts.inputShapes, names[0], "inputShapes", ctx.file);
  const dataShapes = firstInputKey(opts.dataShapes, names[0], "the input data", ctx.file);
  for (const [flag, rec] of [["bind", opts.bind], ["inputShapes", inputShapes]] as const) {
    for (const k of Object.keys(rec ?? {})) {
      if (!names.includes(k)) throw new OnnxImportError(`${ctx.file}: ${flag} names '${k}', which is not a graph input (inputs: ${names.join(", ")})`);
    }
  }
  for (const vi of real) {
    const name = vi.name ?? "";
    try {
      const elem = vi.type?.tensorType?.elemType;
      if (elem === undefined || elem === null) throw new ImportIssue("only tensor inputs are supported");
      const dtype = elemDType(elem, "the input");
      const dims = declaredDims(vi);
      const bound = opts.bind?.[name];
      if (bound !== undefined) {
        const values = typeof bound === "number" ? [bound] : bound;
        const shape = typeof bound === "number" && (!dims || dims.length === 0) ? [] : dims && dims.every((d) => typeof d === "number") && numel(dims as number[]) === values.length ? (dims as number[]) : [values.length];
        if (dims && shape.length !== dims.length) throw new ImportIssue(`bind gives ${values.length} value(s) but the input has rank ${dims.length}`);
        const data = allocArray(dtype, values.length);
        data.set(values);
        ctx.scope.set(name, ctx.graph.addConst(name, dtype, shape, data));
        continue;
      }
      const type = makeType(dtype, resolveShape(name, dims, inputShapes[name], dataShapes[name]));
      checkTensorSize(type, "", ctx.limits);
      ctx.scope.set(name, ctx.graph.addInput(name, type));
    } catch (e) {
      if (e instanceof OnnxImportError) throw e;
      throw new OnnxImportError(`${ctx.file}: input '${name}': ${oneLine((e as Error).message)}`);
    }
  }
}

function resolveShape(name: string, dims: (number | string)[] | null, given: number[] | undefined, data: number[] | undefined): number[] {
  if (given) {
    if (given.some((d) => !Number.isInteger(d) || d < 0)) throw new ImportIssue(`invalid shape [${given.join(",")}]`);
    if (dims) {
      if (dims.length !== given.length) throw new ImportIssue(`given shape [${given.join(",")}] has rank ${given.length}, the model declares [${dims.join(",")}]`);
      dims.forEach((d, i) => {
        if (typeof d === "number" && d !== given[i]) throw new ImportIssue(`given shape [${given.join(",")}] conflicts with the declared [${dims.join(",")}]`);
      });
    }
    return [...given];
  }
  if (!dims) throw new ImportIssue(`the shape is unknown; give it with inputShapes (--input-shape ${name}=…)`);
  const dynamic = dims.filter((d) => typeof d === "string");
  if (dynamic.length > 0 && data) return shapeFromData(name, dims, data);
  if (dynamic.length > 0) {
    throw new ImportIssue(`dynamic shape [${dims.join(",")}] is not resolved; give it with inputShapes (--input-shape ${name}=…) or bind a value`);
  }
  return dims as number[];
}

/**
 * Dynamic dims filled from the shape of the data given for the input: the
 * same rank → the data's dims (static ones must agree); otherwise one dynamic
 * dim takes whatever the static dims leave of the element count (a WAV of N
 * samples for [1, 1, "len"] gives len = N).
 */
function shapeFromData(name: string, dims: (number | string)[], data: number[]): number[] {
  const fmtD = `[${dims.join(",")}]`;
  const fmtData = `[${data.join(",")}]`;
  const hint = `give the shape with --input-shape ${name}=…`;
  if (data.length === dims.length) {
    const bad = dims.findIndex((d, i) => typeof d === "number" && d !== data[i]);
    if (bad >= 0) throw new ImportIssue(`the data's shape ${fmtData} does not fit the declared ${fmtD} (dim ${bad}: ${data[bad]} vs ${dims[bad]}); ${hint}`);
    if (data.some((d) => d <= 0)) throw new ImportIssue(`the data's shape ${fmtData} has an empty dim`);
    return [...data];
  }
  const open = dims.filter((d) => typeof d === "string").length;
  if (open !== 1) throw new ImportIssue(`the data's shape ${fmtData} does not fit the declared ${fmtD} (rank ${data.length} vs ${dims.length}, and ${open} dynamic dims); ${hint}`);
  const fixed = dims.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
  const total = numel(data);
  if (total === 0 || total % fixed !== 0) {
    throw new ImportIssue(`the data's ${total} elements ${fmtData} do not fill the declared ${fmtD} (not a multiple of ${fixed}); ${hint}`);
  }
  return dims.map((d) => (typeof d === "number" ? d : total / fixed));
}
