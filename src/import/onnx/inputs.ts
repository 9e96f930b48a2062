// Graph inputs: static shapes from the model, `inputShapes` for dynamic dims,
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
  inputShapes?: Record<string, number[]>;
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
  for (const [flag, rec] of [["bind", opts.bind], ["inputShapes", opts.inputShapes]] as const) {
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
      const type = makeType(dtype, resolveShape(name, dims, opts.inputShapes?.[name]));
      checkTensorSize(type, "", ctx.limits);
      ctx.scope.set(name, ctx.graph.addInput(name, type));
    } catch (e) {
      if (e instanceof OnnxImportError) throw e;
      throw new OnnxImportError(`${ctx.file}: input '${name}': ${oneLine((e as Error).message)}`);
    }
  }
}

function resolveShape(name: string, dims: (number | string)[] | null, given: number[] | undefined): number[] {
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
  if (dynamic.length > 0) {
    throw new ImportIssue(`dynamic shape [${dims.join(",")}] is not resolved; give it with inputShapes (--input-shape ${name}=…) or bind a value`);
  }
  return dims as number[];
}
