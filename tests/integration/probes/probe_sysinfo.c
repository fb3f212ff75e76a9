/* probe_sysinfo: prints the sysinfo(2) memory figures in bytes
 * (field * mem_unit) plus mem_unit and procs. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <stdio.h>
#include <sys/sysinfo.h>

int main(void)
{
        struct sysinfo si;
        if (sysinfo(&si) != 0)
                probe_die("sysinfo");
        unsigned long long unit = si.mem_unit ? si.mem_unit : 1;
        printf("mem_unit=%u\n", si.mem_unit);
        printf("totalram_bytes=%llu\n", (unsigned long long)si.totalram * unit);
        printf("freeram_bytes=%llu\n", (unsigned long long)si.freeram * unit);
        printf("sharedram_bytes=%llu\n", (unsigned long long)si.sharedram * unit);
        printf("bufferram_bytes=%llu\n", (unsigned long long)si.bufferram * unit);
        printf("totalswap_bytes=%llu\n", (unsigned long long)si.totalswap * unit);
        printf("freeswap_bytes=%llu\n", (unsigned long long)si.freeswap * unit);
        printf("totalhigh_bytes=%llu\n", (unsigned long long)si.totalhigh * unit);
        printf("procs=%u\n", (unsigned)si.procs);
        return 0;
}
