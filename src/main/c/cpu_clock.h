/* The CPU clocks of this process's OS threads (cpu_clock.c). */
#ifndef CARRIERID_CPU_CLOCK_H
#define CARRIERID_CPU_CLOCK_H

#include <stdint.h>

int64_t carrierid_cpu_time(void);

int64_t carrierid_cpu_time_of(int32_t tid);

#endif
