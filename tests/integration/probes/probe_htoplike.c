/* probe_htoplike: what htop does on every refresh - fopen /proc/meminfo,
 * fgets loop, fclose - done twice with 64 MiB allocated and touched in
 * between, so a fresh open must give fresh values.
 *
 * Output: MemTotal_1, MemFree_1, MemAvailable_1, MemTotal_2, MemFree_2,
 * MemAvailable_2, drop_kB. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void scan(struct probe_meminfo *m)
{
        FILE *f = fopen(PROBE_MEMINFO, "r");
        if (!f)
                probe_die("fopen");
        char line[256];
        m->mem_total = m->mem_free = m->mem_available = m->swap_total = -1;
        m->fields = 0;
        m->wellformed = 1;
        while (fgets(line, sizeof line, f)) {
                long long v;
                m->fields++;
                if (sscanf(line, "MemTotal: %lld kB", &v) == 1)
                        m->mem_total = v;
                else if (sscanf(line, "MemFree: %lld kB", &v) == 1)
                        m->mem_free = v;
                else if (sscanf(line, "MemAvailable: %lld kB", &v) == 1)
                        m->mem_available = v;
                else if (sscanf(line, "SwapTotal: %lld kB", &v) == 1)
                        m->swap_total = v;
        }
        fclose(f);
}

int main(void)
{
        struct probe_meminfo a, b;
        scan(&a);
        void *mem = probe_alloc_touch(64u * PROBE_MIB);
        scan(&b);
        free(mem);
        printf("MemTotal_1=%lld\nMemFree_1=%lld\nMemAvailable_1=%lld\n", a.mem_total, a.mem_free,
               a.mem_available);
        printf("MemTotal_2=%lld\nMemFree_2=%lld\nMemAvailable_2=%lld\n", b.mem_total, b.mem_free,
               b.mem_available);
        printf("drop_kB=%lld\n", a.mem_free - b.mem_free);
        return 0;
}
