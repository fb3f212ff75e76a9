/* The CPU count under CGLIMITS_CPUS (opt-in): what sysconf(_SC_NPROCESSORS_ONLN) and
 * get_nprocs() answer. The number of CPUs in the calling thread's affinity mask, lowered to
 * the fewest CPUs any visible level's quota allows (rounded up), and to CGLIMITS_CPUS=N when
 * that is given; never below 1. */
#ifndef CGLIMITS_CPU_COUNT_H
#define CGLIMITS_CPU_COUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "work_pool.h"

struct cpu_figures {
        uint32_t affinity; /* CPUs in the affinity mask */
        uint32_t quota;    /* CPUs the quotas allow, UINT32_MAX when none limits */
        uint32_t told;     /* what the program is told */
        bool loaded;       /* the quotas were read now (w->cpu holds them), not remembered */
};

/* Computes the figures for w->cfg (whose cpus must not be 0). fresh: read the quotas even
 * when a figure is remembered. Returns 0 or a negative errno (then the real call answers). */
int shim_cpus_compute(struct shim_work *w, bool fresh, struct cpu_figures *f);

/* The count to tell, or -1 when the real function should answer: the option is off or
 * unusable, the library is disabled, or something could not be read. errno is kept. */
long shim_cpus_online(void);

/* One line: the count and what it is made of (affinity, quota and its level, CGLIMITS_CPUS). */
void shim_cpus_describe(const struct shim_work *w, const struct cpu_figures *f,
                        struct shim_msg *out);

#endif
