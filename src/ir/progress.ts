// Progress of a long stage (calibration's float runs, SQNR measurement…),
// reported by the stage and shown by whoever runs it: the CLI draws a bar on a
// terminal and a status line every few seconds in a log. Lives in ir so every
// stage can report without depending on how it is shown.

export interface Progress {
  /** A stage starts: `total` units of `unit` (0 when it cannot be counted). */
  begin(stage: string, total?: number, unit?: string): void;
  /** `done` units finished so far. */
  update(done: number): void;
  /** Called often inside a long unit (e.g. once per op of a float run) so a status can be shown while it runs. */
  beat(): void;
  end(): void;
}

export const SILENT_PROGRESS: Progress = {
  begin() {},
  update() {},
  beat() {},
  end() {},
};

/** Run `work` as one stage of `p` (begin, then end even when it throws). */
export function stage<T>(p: Progress, name: string, work: () => T): T {
  p.begin(name);
  try {
    return work();
  } finally {
    p.end();
  }
}
