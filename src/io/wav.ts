// WAV input via the `wavefile` package. Models take mono audio at one rate as
// floats in [-1, 1): 16-bit PCM mono at that rate is read as int16/32768 (no
// conversion, so existing figures keep their bits); anything else common —
// 8/16/24/32-bit integer or 32/64-bit float, any channel count, any rate — is
// mixed down to mono and resampled by wavefile, with one note on stderr that
// says what was converted.
import fs from "node:fs";
import wavefile from "wavefile";
import { UserError } from "../ir/errors.js";
import { readUserFile } from "../ir/user_files.js";

export interface WavAudio {
  samples: Float32Array;
  sampleRate: number;
  /** What was converted ("22050 Hz stereo 16-bit → 16000 Hz mono"), or null when the file was used as it is. */
  converted: string | null;
}

export interface ReadWavOptions {
  /** The rate the model expects: other rates are resampled to it. Without it the file's own rate is kept. */
  expectRate?: number;
  /** Where the conversion note goes (default: one `cmsis-lower: <file>: converted …` line on stderr). */
  note?: (line: string) => void;
}

interface WavFmt { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number }

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const INT_BITS = new Set([8, 16, 24, 32]);

function channelWord(n: number): string {
  return n === 1 ? "mono" : n === 2 ? "stereo" : `${n}-channel`;
}

/** Samples of one channel scaled to [-1, 1): unsigned 8-bit is offset by 128, signed N-bit divided by 2^(N-1), floats kept. */
function normalized(raw: Float64Array, isFloat: boolean, bits: number): Float64Array {
  if (isFloat) return raw;
  const out = new Float64Array(raw.length);
  const offset = bits === 8 ? 128 : 0;
  const scale = 2 ** (bits - 1);
  for (let i = 0; i < raw.length; i++) out[i] = (raw[i]! - offset) / scale;
  return out;
}

/** The average of the channels (a plain mix-down: what most tools do for stereo → mono). */
function mixDown(channels: Float64Array[]): Float64Array {
  if (channels.length === 1) return channels[0]!;
  const n = channels[0]!.length;
  const out = new Float64Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i]! += c[i]!;
  for (let i = 0; i < n; i++) out[i]! /= channels.length;
  return out;
}

/**
 * Band-limited resampling by wavefile: windowed-sinc interpolation after an FIR
 * low-pass at the lower Nyquist, so content above the new Nyquist does not fold back.
 */
export function resample(samples: Float64Array, from: number, to: number): Float64Array {
  if (from === to) return samples;
  const w = new wavefile.WaveFile();
  w.fromScratch(1, from, "64", samples);
  w.toSampleRate(to, { method: "sinc", LPF: true, LPFType: "FIR" });
  return w.getSamples(false, Float64Array) as unknown as Float64Array;
}

export function readWav(path: string, opts: ReadWavOptions = {}): WavAudio {
  const bytes: Uint8Array = readUserFile(path);
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (e) {
    throw new UserError(`${path}: not a readable WAV file (${(e as Error).message})`);
  }
  const fmt = wav.fmt as WavFmt;
  // WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID; wavefile reports the bit depth code.
  const depth = (wav as unknown as { bitDepth: string }).bitDepth;
  const isFloat = fmt.audioFormat === IEEE_FLOAT || (fmt.audioFormat === EXTENSIBLE && (depth === "32f" || depth === "64"));
  const isInt = (fmt.audioFormat === PCM || (fmt.audioFormat === EXTENSIBLE && !isFloat)) && INT_BITS.has(fmt.bitsPerSample);
  if (!isInt && !(isFloat && (fmt.bitsPerSample === 32 || fmt.bitsPerSample === 64))) {
    throw new UserError(
      `${path}: unsupported WAV sample format (format tag ${fmt.audioFormat}, ${fmt.bitsPerSample} bits); ` +
        "expected 8/16/24/32-bit integer PCM or 32/64-bit float",
    );
  }
  if (fmt.numChannels < 1) throw new UserError(`${path}: the WAV has no channels`);
  const rate = opts.expectRate ?? fmt.sampleRate;

  if (isInt && fmt.bitsPerSample === 16 && fmt.numChannels === 1 && fmt.sampleRate === rate) {
    const raw = wav.getSamples(false, Int16Array) as unknown as Int16Array;
    const samples = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) samples[i] = raw[i]! / 32768;
    return { samples, sampleRate: rate, converted: null };
  }

  const got = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = fmt.numChannels === 1 ? [got as Float64Array] : (got as Float64Array[]);
  const mono = mixDown(channels.map((c) => normalized(c, isFloat, fmt.bitsPerSample)));
  let out: Float64Array;
  try {
    out = resample(mono, fmt.sampleRate, rate);
  } catch (e) {
    throw new UserError(`${path}: cannot resample ${fmt.sampleRate} Hz to ${rate} Hz (${(e as Error).message})`);
  }
  const kind = isFloat ? `${fmt.bitsPerSample}-bit float` : `${fmt.bitsPerSample}-bit`;
  const converted = `${fmt.sampleRate} Hz ${channelWord(fmt.numChannels)} ${kind} → ${rate} Hz mono`;
  (opts.note ?? ((l: string) => process.stderr.write(l + "\n")))(`cmsis-lower: ${path}: converted ${converted}`);
  return { samples: Float32Array.from(out), sampleRate: rate, converted };
}

/** Write mono 16-bit PCM (x·32768 rounded, clamped to int16). */
export function writeWav(path: string, samples: ArrayLike<number>, sampleRate: number): void {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, "16", pcm);
  fs.writeFileSync(path, wav.toBuffer());
}
