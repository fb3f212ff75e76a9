/* probe_sysconf: prints sysconf(_SC_PHYS_PAGES / _SC_AVPHYS_PAGES),
 * get_phys_pages() and get_avphys_pages(), as pages and as bytes, plus names
 * the shim forwards untouched unless told otherwise (_SC_PAGESIZE, _SC_OPEN_MAX,
 * _SC_NPROCESSORS_CONF, get_nprocs_conf(); _SC_NPROCESSORS_ONLN, glibc's
 * __sysconf(_SC_NPROCESSORS_ONLN) and get_nprocs() change only under CGLIMITS_CPUS),
 * the number of CPUs in the affinity mask (sched_getaffinity, never changed), and the
 * real and effective user ids (for a setuid copy). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#ifdef __GLIBC__
long __sysconf(int name);
#endif

/* CPUs in the calling thread's affinity mask, or -1. */
static int affinity_cpus(void)
{
        for (int n = 1024; n <= (1 << 20); n *= 2) {
                cpu_set_t *set = CPU_ALLOC(n);
                size_t size = CPU_ALLOC_SIZE(n);
                if (!set)
                        return -1;
                if (sched_getaffinity(0, size, set) == 0) {
                        int count = CPU_COUNT_S(size, set);
                        CPU_FREE(set);
                        return count;
                }
                int err = errno;
                CPU_FREE(set);
                if (err != EINVAL)
                        return -1;
        }
        return -1;
}

int main(void)
{
        long page = sysconf(_SC_PAGESIZE);
        long phys = sysconf(_SC_PHYS_PAGES);
        long avphys = sysconf(_SC_AVPHYS_PAGES);
        long gphys = get_phys_pages();
        long gavphys = get_avphys_pages();
        if (page <= 0 || phys <= 0 || avphys < 0 || gphys <= 0 || gavphys < 0)
                fprintf(stderr, "probe_sysconf: odd values page=%ld phys=%ld avphys=%ld\n", page,
                        phys, avphys);
        printf("pagesize=%ld\n", page);
        printf("phys_pages=%ld\n", phys);
        printf("phys_bytes=%lld\n", (long long)phys * page);
        printf("avphys_pages=%ld\n", avphys);
        printf("avphys_bytes=%lld\n", (long long)avphys * page);
        printf("get_phys_pages=%ld\n", gphys);
        printf("get_phys_bytes=%lld\n", (long long)gphys * page);
        printf("get_avphys_pages=%ld\n", gavphys);
        printf("get_avphys_bytes=%lld\n", (long long)gavphys * page);
        printf("nprocessors_onln=%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
        printf("nprocessors_conf=%ld\n", sysconf(_SC_NPROCESSORS_CONF));
#ifdef __GLIBC__
        printf("dunder_sysconf_nprocessors_onln=%ld\n", __sysconf(_SC_NPROCESSORS_ONLN));
#endif
        printf("get_nprocs=%d\n", get_nprocs());
        printf("get_nprocs_conf=%d\n", get_nprocs_conf());
        printf("affinity_cpus=%d\n", affinity_cpus());
        printf("uid=%d\n", (int)getuid());
        printf("euid=%d\n", (int)geteuid());
        printf("open_max=%ld\n", sysconf(_SC_OPEN_MAX));
        return 0;
}
