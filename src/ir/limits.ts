// Size limits on what a model may ask for. Without them a typo'd shape
// (1x1x99999999999), a dim of 2^31−1 or a pad of 2^31−1 ends in a RangeError
// from a typed-array allocation, or in minutes of float evaluation before
// anything fails. Both limits can be raised from the environment for users who
// really mean a big model on the host.
import { bytesPerElement } from "./dtype.js";
import { UserError } from "./errors.js";
import type { Graph, TensorType } from "./graph.js";
import { fmtShape, numel } from "./tensor.js";

export const MAX_ELEMENTS_ENV = "CMSIS_LOWER_MAX_ELEMENTS";
export const MAX_MEMORY_ENV = "CMSIS_LOWER_MAX_MEMORY_MB";

/** 2^26 elements (256 MiB as float): 4× the largest tensor of any built-in at its default shape. */
export const DEFAULT_MAX_ELEMENTS = 2 ** 26;
/** Bytes of all values of one graph (weights, inputs, every intermediate) at their import dtype: 9× yolo11n at 640 px. */
export const DEFAULT_MAX_MEMORY_MB = 2048;

export interface SizeLimits {
  maxElements: number;
  maxBytes: number;
}

function envNumber(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return dflt;
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v <= 0) throw new UserError(`${name}='${raw}' is not a positive integer`);
  return v;
}

/** The limits in force: the defaults unless CMSIS_LOWER_MAX_ELEMENTS / CMSIS_LOWER_MAX_MEMORY_MB say otherwise. */
export function sizeLimits(): SizeLimits {
  return {
    maxElements: envNumber(MAX_ELEMENTS_ENV, DEFAULT_MAX_ELEMENTS),
    maxBytes: envNumber(MAX_MEMORY_ENV, DEFAULT_MAX_MEMORY_MB) * 2 ** 20,
  };
}

/**
 * Refuse a tensor type whose shape is not a list of non-negative integers or
 * holds more elements than the limit. `what` ("output 'y'") prefixes the message.
 */
export function checkTensorSize(t: TensorType, what: string, limits: SizeLimits = sizeLimits()): void {
  const at = what ? `${what}: ` : "";
  if (t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new UserError(`${at}invalid shape ${fmtShape(t.shape)}`);
  // Each dim on its own too: [0, 2^40] has no elements but still overflows the C side's int32 dims.
  const n = numel(t.shape);
  if (n > limits.maxElements || t.shape.some((d) => d > limits.maxElements)) {
    throw new UserError(
      `${at}shape ${fmtShape(t.shape)} has ${n} elements, more than the limit of ${limits.maxElements} per tensor ` +
        `(set ${MAX_ELEMENTS_ENV} to raise it)`,
    );
  }
}

/** Bytes held by every value of g: inputs, constants and node outputs. */
export function graphBytes(g: Graph): number {
  let total = 0;
  for (const v of g.values()) total += numel(v.shape) * bytesPerElement(v.dtype);
  return total;
}

/** Refuse a graph whose values together exceed the memory limit. `where` names the model. */
export function checkGraphMemory(g: Graph, where: string, limits: SizeLimits = sizeLimits()): void {
  const bytes = graphBytes(g);
  if (bytes > limits.maxBytes) {
    const mb = (b: number): string => `${Math.ceil(b / 2 ** 20)} MiB`;
    throw new UserError(
      `${where}: its tensors need ${mb(bytes)}, more than the limit of ${mb(limits.maxBytes)} (set ${MAX_MEMORY_ENV} to raise it)`,
    );
  }
}
