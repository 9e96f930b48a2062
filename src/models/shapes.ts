// Input-shape overrides for built-in models (`--input-shape name=1,1,16000`).
import { UserError } from "../ir/errors.js";

export interface LoadOptions {
  /** Shapes by input name; "" names the first input (a bare `--input-shape 1x1x16000`). */
  inputShapes?: Record<string, number[]>;
  bind?: Record<string, number | number[]>;
  /** Shapes of the data files given for inputs ("" = the first): fill an ONNX model's dynamic dims. */
  dataShapes?: Record<string, number[]>;
}

/**
 * The model's default input shapes with the user's overrides applied. An unknown
 * input name or a rank change is the user's mistake, so it is a UserError.
 */
export function resolveInputShapes(model: string, defaults: Record<string, number[]>, overrides?: Record<string, number[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(defaults)) out[k] = [...v];
  for (const [name, shape] of Object.entries(overrides ?? {})) {
    const d = defaults[name];
    if (!d) throw new UserError(`--input-shape: model ${model} has no input "${name}" (inputs: ${Object.keys(defaults).join(", ")})`);
    if (shape.length !== d.length) throw new UserError(`--input-shape: ${model} input ${name} has rank ${d.length} ([${d}]), got [${shape}]`);
    if (shape.some((x) => !Number.isInteger(x) || x <= 0)) throw new UserError(`--input-shape: ${model} input ${name}: invalid shape [${shape}]`);
    out[name] = [...shape];
  }
  return out;
}
