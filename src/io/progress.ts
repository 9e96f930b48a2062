// Progress on stderr for people and for logs. On a terminal: a cli-progress
// bar for counted stages once they have run for a second, a "stage…" status
// line for the others, both cleared when the stage ends. Elsewhere (CI logs,
// pipes): nothing for quick stages; a status line every few seconds while a
// stage runs and a "done in" line at its end, so a long compile never looks
// hung. stdout is never written (it may carry --json).
import cliProgress from "cli-progress";
import type { Progress } from "../ir/progress.js";

export interface TerminalProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Default: the stream's isTTY. */
  tty?: boolean;
  /** Non-TTY: milliseconds between status lines (default 5000). */
  everyMs?: number;
  /** TTY: milliseconds before a bar appears (default 1000). */
  barAfterMs?: number;
  now?: () => number;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

export function terminalProgress(o: TerminalProgressOptions = {}): Progress {
  const out = o.stream ?? process.stderr;
  const tty = o.tty ?? out.isTTY === true;
  const every = o.everyMs ?? 5000;
  const barAfter = o.barAfterMs ?? 1000;
  const now = o.now ?? Date.now;
  let stage = "";
  let total = 0;
  let unit = "";
  let start = 0;
  let last = 0;
  let done = 0;
  let printed = false;
  let status = false;
  let bar: cliProgress.SingleBar | null = null;

  const poll = (): void => {
    const t = now();
    if (tty) {
      if (!bar && total > 0 && t - start >= barAfter) {
        if (status) out.write("\r\x1b[K");
        status = false;
        bar = new cliProgress.SingleBar(
          { format: `${stage} [{bar}] {value}/{total} ${unit} {eta_formatted}`, stream: out as NodeJS.WriteStream, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, done), done);
      } else bar?.update(done);
      return;
    }
    if (t - last < every) return;
    last = t;
    printed = true;
    out.write(`[cmsis-lower] ${stage}${total > 0 ? `: ${done}/${total} ${unit}` : ""}, ${seconds(t - start)} s\n`);
  };

  return {
    begin(name, n = 0, u = "") {
      stage = name;
      total = n;
      unit = u;
      start = last = now();
      done = 0;
      printed = false;
      // A terminal shows what runs right away (and clears it after): a stage that blocks still shows its name.
      if (tty && total === 0) {
        out.write(`\r\x1b[K${stage}…`);
        status = true;
      }
    },
    update(n) {
      done = n;
      poll();
    },
    beat: poll,
    end() {
      if (bar) bar.stop();
      bar = null;
      if (status) out.write("\r\x1b[K");
      status = false;
      // In a log, a long stage leaves its duration even when it could not report while it ran (it never beat).
      const took = now() - start;
      if (!tty && (printed || took >= every)) out.write(`[cmsis-lower] ${stage}: done in ${seconds(took)} s\n`);
      printed = false;
    },
  };
}
