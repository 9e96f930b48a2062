// A windowed real DFT basis for tests of cortex_m.stft_f32: the weight [N + 2, 1, N] of a convolution that is an
// STFT (Hamming window; cos rows, then sign·sin rows), computed in double and rounded to float.
export function dftWeights(n: number, sign: 1 | -1): Float32Array {
  const bins = n / 2 + 1;
  const w = new Float32Array(2 * bins * n);
  for (let k = 0; k < bins; k++) {
    for (let i = 0; i < n; i++) {
      const win = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / n);
      w[k * n + i] = win * Math.cos((2 * Math.PI * k * i) / n);
      w[(bins + k) * n + i] = sign * win * Math.sin((2 * Math.PI * k * i) / n);
    }
  }
  return w;
}
