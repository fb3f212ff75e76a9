/* Shared library for probe_ctor: a constructor that opens /proc/meminfo
 * (open and fopen) and calls sysinfo/sysconf before main. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "early_open.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

static struct early_open_figures g_fig = {0, -1, -1, -1, -1};

static long long memtotal_in(const char *text)
{
        long long v = -1;
        const char *p = text;
        while (*p) {
                if (sscanf(p, "MemTotal: %lld", &v) == 1)
                        return v;
                while (*p && *p != '\n')
                        p++;
                if (*p)
                        p++;
        }
        return -1;
}

__attribute__((constructor)) static void early_open_ctor(void)
{
        static char buf[16384];
        int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                size_t used = 0;
                ssize_t n;
                while (used + 1 < sizeof buf &&
                       (n = read(fd, buf + used, sizeof buf - 1 - used)) > 0)
                        used += (size_t)n;
                buf[used] = '\0';
                close(fd);
                g_fig.open_mem_total = memtotal_in(buf);
        }
        FILE *f = fopen("/proc/meminfo", "r");
        if (f) {
                char line[256];
                while (fgets(line, sizeof line, f)) {
                        long long v;
                        if (sscanf(line, "MemTotal: %lld", &v) == 1) {
                                g_fig.fopen_mem_total = v;
                                break;
                        }
                }
                fclose(f);
        }
        struct sysinfo si;
        if (sysinfo(&si) == 0)
                g_fig.sysinfo_totalram_bytes =
                    (long long)si.totalram * (si.mem_unit ? si.mem_unit : 1);
        long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        if (pages > 0 && page > 0)
                g_fig.sysconf_phys_bytes = (long long)pages * page;
        g_fig.ran = 1;
}

const struct early_open_figures *early_open_figures(void)
{
        return &g_fig;
}
