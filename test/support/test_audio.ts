// Synthesized speech clips for the quantization tests: espeak-ng speech,
// sox silence and noise, concatenated at 16 kHz mono into os.tmpdir().
// Returns null (after one line on stderr) when the tools are missing, unless
// CI is set, where a missing tool is a failure.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readWav } from "../../src/io/wav.js";

export type Segment = { speech: string; voice?: string; speed?: number; /** espeak-ng amplitude, 0–200 (default 100): quiet speech */ amplitude?: number } | { silence: number } | { noise: number; vol?: number };

function have(tool: string): boolean {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function audioToolsAvailable(): boolean {
  const ok = have("espeak-ng") && have("sox");
  if (!ok && process.env["CI"]) throw new Error("espeak-ng and sox are required in CI for the Silero quantization tests");
  return ok;
}

/** Build a clip from segments; returns its samples in [-1, 1) at 16 kHz. */
export function synthesizeClip(name: string, segments: Segment[]): Float32Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cmsis-lower-${name}-`));
  try {
    const parts: string[] = [];
    segments.forEach((s, i) => {
      const out = path.join(dir, `part${i}.wav`);
      if ("speech" in s) {
        const raw = path.join(dir, `raw${i}.wav`);
        execFileSync("espeak-ng", ["-v", s.voice ?? "en-us", "-s", String(s.speed ?? 150), "-a", String(s.amplitude ?? 100), "-w", raw, s.speech], { stdio: "ignore" });
        execFileSync("sox", ["-R", raw, "-r", "16000", "-c", "1", "-b", "16", out], { stdio: "ignore" });
      } else if ("silence" in s) {
        execFileSync("sox", ["-R", "-n", "-r", "16000", "-c", "1", "-b", "16", out, "trim", "0.0", String(s.silence)], { stdio: "ignore" });
      } else {
        // -R everywhere: sox otherwise seeds its noise and dither randomly, and the clips must repeat exactly.
        execFileSync("sox", ["-R", "-n", "-r", "16000", "-c", "1", "-b", "16", out, "synth", String(s.noise), "whitenoise", "vol", String(s.vol ?? 0.02)], { stdio: "ignore" });
      }
      parts.push(out);
    });
    const all = path.join(dir, `${name}.wav`);
    if (parts.length === 1) fs.copyFileSync(parts[0]!, all);
    else execFileSync("sox", ["-R", ...parts, all], { stdio: "ignore" });
    return readWav(all).samples;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The two Silero VAD clips the quantization tests share: a short calibration clip (speech, noise, silence) and a
 * different evaluation clip (other sentences and voices), both 16 kHz.
 */
export function sileroClips(): { calib: Float32Array; evalClip: Float32Array } {
  const calib = synthesizeClip("calib", [
    { silence: 0.5 },
    { speech: "Turn on the kitchen lights. The quick brown fox jumps over the lazy dog." },
    { noise: 1.0, vol: 0.05 },
    { silence: 0.5 },
    { speech: "Set a timer for ten minutes, please.", voice: "en-gb" },
  ]);
  const evalClip = synthesizeClip("eval", [
    { silence: 1.0 },
    { speech: "Yesterday the weather was cold and windy, so we stayed inside and read books.", voice: "en-gb", speed: 140 },
    { noise: 1.5, vol: 0.03 },
    { speech: "How many kilometres is it from here to the nearest train station?", voice: "en-us", speed: 165 },
    { silence: 1.5 },
    { silence: 1.0 },
  ]);
  return { calib, evalClip };
}
