/* probe_sysconf: prints sysconf(_SC_PHYS_PAGES / _SC_AVPHYS_PAGES),
 * get_phys_pages() and get_avphys_pages(), as pages and as bytes, plus names
 * the shim must forward untouched (_SC_NPROCESSORS_ONLN/CONF, _SC_PAGESIZE,
 * _SC_OPEN_MAX). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

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
        printf("open_max=%ld\n", sysconf(_SC_OPEN_MAX));
        return 0;
}
