/*
 * cmsis-lower: minimal Cortex-M startup for the QEMU MPS2/MPS3 boards (newlib-nano + rdimon
 * semihosting, linked with -nostartfiles). Own vector table, FPU/MVE enable, .data/.bss init,
 * initialise_monitor_handles, __libc_init_array, exit(main()). Faults print CFSR/HFSR and exit(99).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern uint32_t __data_load;
extern uint32_t __data_start;
extern uint32_t __data_end;
extern uint32_t __bss_start__;
extern uint32_t __bss_end__;
extern uint32_t __stack_top;

extern int main(int argc, char **argv);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

void Reset_Handler(void);
void cl_fault_handler(void);
void cl_default_handler(void);

void _init(void);
void _fini(void);
void _init(void)
{
}
void _fini(void)
{
}

#define CL_REG32(addr) (*(volatile uint32_t *)(addr))

static void cl_report_fault(const char *what)
{
    const uint32_t cfsr = CL_REG32(0xE000ED28u);
    const uint32_t hfsr = CL_REG32(0xE000ED2Cu);
    printf("\n*** %s: CFSR=0x%08lx HFSR=0x%08lx MMFAR=0x%08lx BFAR=0x%08lx\n",
           what,
           (unsigned long)cfsr,
           (unsigned long)hfsr,
           (unsigned long)CL_REG32(0xE000ED34u),
           (unsigned long)CL_REG32(0xE000ED38u));
    exit(99);
}

void cl_fault_handler(void)
{
    cl_report_fault("FAULT");
}

void cl_default_handler(void)
{
    cl_report_fault("UNEXPECTED EXCEPTION");
}

__attribute__((section(".vectors"), used)) void (*const cl_vector_table[16])(void) = {
    (void (*)(void))(&__stack_top),
    Reset_Handler,
    cl_default_handler, /* NMI */
    cl_fault_handler,   /* HardFault */
    cl_fault_handler,   /* MemManage */
    cl_fault_handler,   /* BusFault */
    cl_fault_handler,   /* UsageFault */
    cl_fault_handler,   /* SecureFault (v8-M) */
    0,
    0,
    0,
    cl_default_handler, /* SVC */
    cl_default_handler, /* DebugMon */
    0,
    cl_default_handler, /* PendSV */
    cl_default_handler, /* SysTick */
};

void Reset_Handler(void)
{
    uint32_t *src;
    uint32_t *dst;
    static char *cl_argv[2] = {"app", 0};
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    CL_REG32(0xE000ED88u) |= (0xFu << 20);
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    /* enable MemManage / BusFault / UsageFault so they are reported as such */
    CL_REG32(0xE000ED24u) |= (7u << 16);
    src = &__data_load;
    for (dst = &__data_start; dst < &__data_end;)
    {
        *dst++ = *src++;
    }
    for (dst = &__bss_start__; dst < &__bss_end__;)
    {
        *dst++ = 0u;
    }
    initialise_monitor_handles();
    __libc_init_array();
    exit(main(1, cl_argv));
}
