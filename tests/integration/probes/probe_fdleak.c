/* probe_fdleak [N]: N (default 10000) open/read/close cycles and N
 * fopen/fgets/fclose cycles on /proc/meminfo.  Counts the entries of
 * /proc/self/fd before and after and the resident set growth.
 *
 * Output: fds_before, fds_after, first_fd, last_fd (descriptor numbers of the
 * first and last open: equal when nothing leaks), open_MemTotal,
 * fopen_MemTotal (from the last cycle of each loop), failures (cycles whose
 * open/read failed), rss_growth_kB. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char g_buf[PROBE_BUF_SIZE];

static int count_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                probe_die("opendir /proc/self/fd");
        int n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
                if (e->d_name[0] != '.')
                        n++;
        closedir(d);
        return n - 1; /* the directory stream's own descriptor */
}

static long rss_kb(void)
{
        FILE *f = fopen("/proc/self/statm", "r");
        long size = 0, resident = 0;
        if (!f || fscanf(f, "%ld %ld", &size, &resident) != 2)
                probe_die("/proc/self/statm");
        fclose(f);
        return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
        long cycles = argc > 1 ? atol(argv[1]) : 10000;
        struct probe_meminfo m;
        int failures = 0, first_fd = -1, last_fd = -1;
        long long open_total = -1, fopen_total = -1;

        /* warm up once so that one-time allocations are not counted as growth */
        int w = open(PROBE_MEMINFO, O_RDONLY);
        if (w >= 0)
                close(w);
        FILE *wf = fopen(PROBE_MEMINFO, "r");
        if (wf)
                fclose(wf);

        int before = count_fds();
        long rss_before = rss_kb();
        for (long i = 0; i < cycles; i++) {
                int fd = open(PROBE_MEMINFO, O_RDONLY);
                if (fd < 0) {
                        failures++;
                        continue;
                }
                if (first_fd < 0)
                        first_fd = fd;
                last_fd = fd;
                if (probe_read_fd_all(fd, g_buf, sizeof g_buf) <= 0)
                        failures++;
                close(fd);
        }
        if (probe_meminfo_parse(g_buf, &m) == 0)
                open_total = m.mem_total;
        for (long i = 0; i < cycles; i++) {
                FILE *f = fopen(PROBE_MEMINFO, "r");
                if (!f) {
                        failures++;
                        continue;
                }
                if (probe_read_file_all(f, g_buf, sizeof g_buf) == 0)
                        failures++;
                fclose(f);
        }
        if (probe_meminfo_parse(g_buf, &m) == 0)
                fopen_total = m.mem_total;
        int after = count_fds();
        long rss_after = rss_kb();

        printf("cycles=%ld\n", cycles);
        printf("fds_before=%d\nfds_after=%d\n", before, after);
        printf("first_fd=%d\nlast_fd=%d\n", first_fd, last_fd);
        printf("open_MemTotal=%lld\nfopen_MemTotal=%lld\n", open_total, fopen_total);
        printf("failures=%d\n", failures);
        printf("rss_growth_kB=%ld\n", rss_after - rss_before);
        return 0;
}
