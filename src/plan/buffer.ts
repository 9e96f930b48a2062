// A planner buffer: bytes plus the inclusive range of schedule steps it is
// live, and the alignment of its offset. Shared by the offset algorithms and
// the lower bound so both count the same footprint.
export const DEFAULT_ALIGN = 16;

export interface Buffer {
  id: number;
  /** Bytes the op reads/writes (may be 0: then it takes no space). */
  size: number;
  /** First and last schedule step (inclusive) at which the buffer must hold its bytes. */
  first: number;
  last: number;
  /** Offset alignment in bytes (default DEFAULT_ALIGN). */
  align?: number;
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function alignOf(b: Buffer): number {
  return b.align ?? DEFAULT_ALIGN;
}

/** Bytes a buffer blocks in the arena: its size rounded up to its alignment. */
export function footprint(b: Buffer): number {
  return alignUp(b.size, alignOf(b));
}

export function lifetimesOverlap(a: Buffer, b: Buffer): boolean {
  return a.first <= b.last && b.first <= a.last;
}

