/* probe_ctor: linked against libearly_open.so whose constructor reads the
 * memory figures before main.  Prints what the constructor saw (ctor_*) and,
 * for comparison, MemTotal read from main (main_MemTotal). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "early_open.h"
#include "probe_common.h"

#include <stdio.h>

int main(void)
{
        const struct early_open_figures *fig = early_open_figures();
        printf("ctor_ran=%d\n", fig->ran);
        printf("ctor_open_MemTotal=%lld\n", fig->open_mem_total);
        printf("ctor_fopen_MemTotal=%lld\n", fig->fopen_mem_total);
        printf("ctor_sysinfo_totalram_bytes=%lld\n", fig->sysinfo_totalram_bytes);
        printf("ctor_sysconf_phys_bytes=%lld\n", fig->sysconf_phys_bytes);
        printf("main_MemTotal=%lld\n", probe_read_mem_total());
        return 0;
}
