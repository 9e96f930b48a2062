/*
 * cmsis-lower: deterministic instruction measurement.
 * Targets run under QEMU with `-icount shift=0,align=off,sleep=off` (1 virtual ns per
 * instruction); the board's free-running FPGAIO COUNTER is read around the measured
 * region, so (t1 - t0) * INSTR_PER_TICK is an exact, run-to-run identical instruction
 * count with tick granularity (40 instructions on mps2 at 25 MHz, 50 on an547 at 20 MHz).
 * cl_bench_mark_start/stop are noinline markers usable by an exact-count TCG plugin.
 * Host builds: all functions are no-ops and cl_bench_enabled() returns 0.
 */
#ifndef CL_BENCH_H
#define CL_BENCH_H

#include <stdint.h>

#if defined(CL_BOARD_MPS2)
#define CL_BENCH_COUNTER_ADDR (0x40028018u)
#define CL_BENCH_INSTR_PER_TICK (40u)
#elif defined(CL_BOARD_AN547)
#define CL_BENCH_COUNTER_ADDR (0x49302018u)
#define CL_BENCH_INSTR_PER_TICK (50u)
#endif

#ifdef CL_BENCH_COUNTER_ADDR
static inline void cl_bench_init(void)
{
}
static inline uint32_t cl_bench_now(void)
{
    return *(volatile const uint32_t *)CL_BENCH_COUNTER_ADDR;
}
static inline int cl_bench_enabled(void)
{
    return 1;
}
static inline uint32_t cl_bench_instructions(uint32_t t0, uint32_t t1)
{
    return (t1 - t0) * CL_BENCH_INSTR_PER_TICK;
}
#else
static inline void cl_bench_init(void)
{
}
static inline uint32_t cl_bench_now(void)
{
    return 0u;
}
static inline int cl_bench_enabled(void)
{
    return 0;
}
static inline uint32_t cl_bench_instructions(uint32_t t0, uint32_t t1)
{
    return t1 - t0;
}
#endif

#endif
