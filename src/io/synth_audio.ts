import { mulberry32 } from "../ir/prng.js";

/**
 * A deterministic voice-like test signal (no external tools): alternating
 * quiet noise and harmonic tones with a syllable-rate envelope, the kind of
 * signal Silero scores as speech.
 */
export function synthesizeAudio(seconds: number, rate: number, seed = 7): Float32Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  const rnd = mulberry32(seed);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const voiced = Math.floor(t / 1.5) % 2 === 1;
    let s = (rnd() * 2 - 1) * 0.003;
    if (voiced) {
      const f0 = 140 + 25 * Math.sin(2 * Math.PI * 0.7 * t);
      const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
      let h = 0;
      for (let k = 1; k <= 12; k++) h += Math.sin(2 * Math.PI * f0 * k * t) / k;
      s += 0.15 * env * h;
    }
    x[i] = s;
  }
  return x;
}
