// WAV input via the `wavefile` package: 16-bit PCM mono only (what the audio
// models take); samples become int16/32768 in [-1, 1).
import fs from "node:fs";
import wavefile from "wavefile";
import { UserError } from "../ir/errors.js";
import { readUserFile } from "../ir/user_files.js";

export interface WavAudio {
  samples: Float32Array;
  sampleRate: number;
}

interface WavFmt { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number }

export function readWav(path: string, opts: { expectRate?: number } = {}): WavAudio {
  const bytes: Uint8Array = readUserFile(path);
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (e) {
    throw new UserError(`${path}: not a readable WAV file (${(e as Error).message})`);
  }
  const fmt = wav.fmt as WavFmt;
  if (fmt.audioFormat !== 1 || fmt.bitsPerSample !== 16) {
    throw new UserError(`${path}: only 16-bit PCM WAV is supported (format ${fmt.audioFormat}, ${fmt.bitsPerSample} bits)`);
  }
  if (fmt.numChannels !== 1) throw new UserError(`${path}: ${fmt.numChannels} channels, expected mono`);
  if (opts.expectRate !== undefined && fmt.sampleRate !== opts.expectRate) {
    throw new UserError(`${path}: sample rate ${fmt.sampleRate} Hz, expected ${opts.expectRate} Hz`);
  }
  const raw = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  const samples = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) samples[i] = raw[i]! / 32768;
  return { samples, sampleRate: fmt.sampleRate };
}

/** Write mono 16-bit PCM (x·32768 rounded, clamped to int16). */
export function writeWav(path: string, samples: ArrayLike<number>, sampleRate: number): void {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, "16", pcm);
  fs.writeFileSync(path, wav.toBuffer());
}
