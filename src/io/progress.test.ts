// The terminal progress reporter against a fake stream and a fake clock: in a
// log, quick stages print nothing and long ones a status line per interval and
// a "done in" line; on a terminal, what it draws is cleared at the end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { terminalProgress } from "./progress.js";

function fakeStream(): { stream: NodeJS.WritableStream; text: () => string } {
  let out = "";
  const stream = { write: (s: string) => ((out += s), true), isTTY: false } as unknown as NodeJS.WritableStream;
  return { stream, text: () => out };
}

test("log: a stage shorter than the interval prints nothing", () => {
  let t = 1000;
  const f = fakeStream();
  const p = terminalProgress({ stream: f.stream, tty: false, everyMs: 5000, now: () => t });
  p.begin("calibrating", 8, "runs");
  for (let i = 1; i <= 8; i++) {
    t += 500;
    p.update(i);
  }
  p.end();
  assert.equal(f.text(), "");
});

test("log: a long stage prints one line per interval, beats included, then its duration", () => {
  let t = 0;
  const f = fakeStream();
  const p = terminalProgress({ stream: f.stream, tty: false, everyMs: 5000, now: () => t });
  p.begin("calibrating", 4, "runs");
  // Each run takes 3 s, with a beat every second inside it.
  for (let i = 1; i <= 4; i++) {
    for (let b = 0; b < 3; b++) {
      t += 1000;
      p.beat();
    }
    p.update(i);
  }
  p.end();
  assert.deepEqual(f.text().split("\n"), [
    "[cmsis-lower] calibrating: 1/4 runs, 5.0 s",
    "[cmsis-lower] calibrating: 3/4 runs, 10.0 s",
    "[cmsis-lower] calibrating: done in 12.0 s",
    "",
  ]);
});

test("log: a stage without a count says only how long it has run", () => {
  let t = 0;
  const f = fakeStream();
  const p = terminalProgress({ stream: f.stream, tty: false, everyMs: 2000, now: () => t });
  p.begin("lowering");
  t = 2500;
  p.beat();
  t = 3000;
  p.end();
  assert.equal(f.text(), "[cmsis-lower] lowering, 2.5 s\n[cmsis-lower] lowering: done in 3.0 s\n");
});

test("log: a long stage that never beats still leaves its duration", () => {
  let t = 0;
  const f = fakeStream();
  const p = terminalProgress({ stream: f.stream, tty: false, everyMs: 5000, now: () => t });
  p.begin("planning");
  t = 7000;
  p.end();
  p.begin("emitting C");
  t = 8000;
  p.end();
  assert.equal(f.text(), "[cmsis-lower] planning: done in 7.0 s\n");
});

test("terminal: the status of an uncounted stage shows at once and is cleared at its end", () => {
  const f = fakeStream();
  const p = terminalProgress({ stream: f.stream, tty: true, now: () => 0 });
  p.begin("lowering");
  assert.equal(f.text(), "\r\x1b[Klowering…");
  p.end();
  assert.equal(f.text(), "\r\x1b[Klowering…\r\x1b[K");
});
