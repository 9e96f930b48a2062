/** arm_avgpool_s8 / arm_max_pool_s8 (NHWC, batches OK, padding taps ignored). */
import { Status, type Ctx, type Dims, type PoolParams } from './types.js';
import { maxPoolWasm } from './wasm/simd_kernels.js';

/**
 * arm_avgpool_s8(ctx, pool_params, input_dims, src, filter_dims{h,w}, output_dims, dst).
 * avg = sum > 0 ? (sum + count/2)/count : (sum − count/2)/count (C truncating division → ties away from zero);
 * count = in-bounds taps (ARG_ERROR if 0). In/out share scale and zero point.
 */
export function avgpoolS8(_ctx: Ctx | null, p: PoolParams, inputDims: Dims, input: Int8Array, filterDims: { h: number; w: number },
  outputDims: Dims, output: Int8Array): number {
  const H = inputDims.h, W = inputDims.w, C = inputDims.c, OH = outputDims.h, OW = outputDims.w;
  const KH = filterDims.h, KW = filterDims.w, lo = p.activation.min, hi = p.activation.max;
  const N = inputDims.n;
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * p.stride.h - p.padding.h;
      const ky0 = Math.max(0, -y0), ky1 = Math.min(KH, H - y0);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * p.stride.w - p.padding.w;
        const kx0 = Math.max(0, -x0), kx1 = Math.min(KW, W - x0);
        const count = Math.max(0, ky1 - ky0) * Math.max(0, kx1 - kx0);
        if (count === 0) return Status.ARG_ERROR;
        const half = Math.trunc(count / 2);
        const dst = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let ky = ky0; ky < ky1; ky++) {
            let src = ((b * H + y0 + ky) * W + x0 + kx0) * C + c;
            for (let kx = kx0; kx < kx1; kx++, src += C) sum += input[src];
          }
          let avg = sum > 0 ? Math.trunc((sum + half) / count) : Math.trunc((sum - half) / count);
          if (avg < lo) avg = lo; else if (avg > hi) avg = hi;
          output[dst + c] = avg;
        }
      }
    }
  return Status.SUCCESS;
}

export function avgpoolS8Ref(p: PoolParams, inputDims: Dims, input: Int8Array, filterDims: { h: number; w: number }, outputDims: Dims, output: Int8Array): number {
  for (let b = 0; b < outputDims.n; b++)
    for (let oy = 0; oy < outputDims.h; oy++)
      for (let ox = 0; ox < outputDims.w; ox++)
        for (let c = 0; c < outputDims.c; c++) {
          let sum = 0, count = 0;
          for (let ky = 0; ky < filterDims.h; ky++)
            for (let kx = 0; kx < filterDims.w; kx++) {
              const iy = oy * p.stride.h - p.padding.h + ky, ix = ox * p.stride.w - p.padding.w + kx;
              if (iy < 0 || ix < 0 || iy >= inputDims.h || ix >= inputDims.w) continue;
              sum += input[((b * inputDims.h + iy) * inputDims.w + ix) * inputDims.c + c];
              count++;
            }
          if (count === 0) return Status.ARG_ERROR;
          const avg = sum > 0 ? Math.trunc((sum + Math.trunc(count / 2)) / count) : Math.trunc((sum - Math.trunc(count / 2)) / count);
          output[((b * outputDims.h + oy) * outputDims.w + ox) * outputDims.c + c] = Math.max(p.activation.min, Math.min(p.activation.max, avg));
        }
  return Status.SUCCESS;
}

/** arm_max_pool_s8: max over in-bounds window (starts at −128), clamped to the activation range. */
export function maxPoolS8(_ctx: Ctx | null, p: PoolParams, inputDims: Dims, input: Int8Array, filterDims: { h: number; w: number },
  outputDims: Dims, output: Int8Array): number {
  const H = inputDims.h, W = inputDims.w, C = inputDims.c, OH = outputDims.h, OW = outputDims.w;
  const KH = filterDims.h, KW = filterDims.w, lo = p.activation.min, hi = p.activation.max;
  if (maxPoolWasm(inputDims, input, KH, KW, p.stride.h, p.stride.w, p.padding.h, p.padding.w, lo, hi, outputDims, output)) return Status.SUCCESS;
  for (let b = 0; b < inputDims.n; b++)
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * p.stride.h - p.padding.h;
      const ky0 = Math.max(0, -y0), ky1 = Math.min(KH, H - y0);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * p.stride.w - p.padding.w;
        const kx0 = Math.max(0, -x0), kx1 = Math.min(KW, W - x0);
        const dst = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          let m = -128;
          for (let ky = ky0; ky < ky1; ky++) {
            let src = ((b * H + y0 + ky) * W + x0 + kx0) * C + c;
            for (let kx = kx0; kx < kx1; kx++, src += C) if (input[src] > m) m = input[src];
          }
          if (m < lo) m = lo; else if (m > hi) m = hi;
          output[dst + c] = m;
        }
      }
    }
  return Status.SUCCESS;
}

export function maxPoolS8Ref(p: PoolParams, inputDims: Dims, input: Int8Array, filterDims: { h: number; w: number }, outputDims: Dims, output: Int8Array): number {
  for (let b = 0; b < outputDims.n; b++)
    for (let oy = 0; oy < outputDims.h; oy++)
      for (let ox = 0; ox < outputDims.w; ox++)
        for (let c = 0; c < outputDims.c; c++) {
          let m = -128;
          for (let ky = 0; ky < filterDims.h; ky++)
            for (let kx = 0; kx < filterDims.w; kx++) {
              const iy = oy * p.stride.h - p.padding.h + ky, ix = ox * p.stride.w - p.padding.w + kx;
              if (iy < 0 || ix < 0 || iy >= inputDims.h || ix >= inputDims.w) continue;
              m = Math.max(m, input[((b * inputDims.h + iy) * inputDims.w + ix) * inputDims.c + c]);
            }
          output[((b * outputDims.h + oy) * outputDims.w + ox) * outputDims.c + c] = Math.max(p.activation.min, Math.min(p.activation.max, m));
        }
  return Status.SUCCESS;
}
