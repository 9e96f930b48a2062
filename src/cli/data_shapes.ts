// The shapes of the data files a command is given (`--input name=file`,
// `--calib files`), read before the model is imported so that an ONNX model's
// dynamic dims can be taken from them (src/import/onnx/inputs.ts). A .npy
// gives its own shape, a WAV its sample count at the file's rate (an ONNX
// model declares no rate). Other files are left to the feed loader to refuse.
import { UserError } from "../ir/errors.js";
import { parseInputSpec } from "../io/feeds.js";
import { readNpy } from "../io/npy.js";
import { readWav } from "../io/wav.js";
import { expandCalibPaths } from "../quantize/calibrate.js";

function shapeOfFile(path: string): number[] | null {
  if (/\.npy$/i.test(path)) return [...readNpy(path).shape];
  // The note on a converted WAV is printed when the file is read as data, not here.
  if (/\.wav$/i.test(path)) return [readWav(path, { note: () => {} }).samples.length];
  return null;
}

/** Data shapes by input name ("" = the first input: a bare --input file, or the first --calib file). */
export function inputDataShapes(inputs: readonly string[] | undefined, calib: readonly string[] | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const spec of inputs ?? []) {
    const s = parseInputSpec(spec);
    const shape = shapeOfFile(s.path);
    const key = s.name ?? "";
    if (shape && key in out) throw new UserError(`--input ${spec}: input ${s.name ?? "(the first)"} is given twice`);
    if (shape) out[key] = shape;
  }
  // Calibration data feeds the first input; --input data, when given for it, decides.
  if (calib && calib.length > 0 && !("" in out)) {
    const first = expandCalibPaths([...calib])[0];
    const shape = first ? shapeOfFile(first) : null;
    if (shape) out[""] = shape;
  }
  return out;
}
