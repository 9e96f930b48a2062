/*
 * cmsis-lower generated-code support: the project's own single-precision
 * exp / log / tanh / sigmoid / pow. They use only float +, -, *, / (each
 * rounded once; build with -ffp-contract=off) and integer bit operations, never
 * libm, so every core and C library gives the same bits, and the simulator
 * (src/kernels/float32/fmath.ts) repeats them operation by operation.
 * Accuracy against the correctly rounded result: exp and log within 1 ulp,
 * tanh and sigmoid within 2 ulp (measured by the project's tests).
 */
#ifndef CLG_FMATH_H
#define CLG_FMATH_H

#ifdef __cplusplus
extern "C" {
#endif

float clg_expf(float x);
float clg_logf(float x);
float clg_tanhf(float x);
float clg_sigmoidf(float x);
float clg_powf(float a, float b);
/* IEEE square root (correctly rounded everywhere). */
float clg_sqrtf(float x);

#ifdef __cplusplus
}
#endif

#endif
