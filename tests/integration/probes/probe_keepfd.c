/* probe_keepfd [lseek|lseek64]: opens /proc/meminfo once and keeps the fd,
 * as procps does.  Reads it with one read(2), checks that a further read
 * returns EOF, then twice: allocates and touches 64 MiB, seeks back to 0 and
 * reads once more.  With the shim in a limited cgroup each re-read must show
 * MemFree lower by (about) 64 MiB.
 *
 * Output: fdlink, eof_read (0), seek_result_2/_3 (0), MemTotal_N,
 * MemFree_N, MemAvailable_N for N = 1..3, drop_kB = MemFree_1 - MemFree_2,
 * drop2_kB = MemFree_2 - MemFree_3. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_buf[PROBE_BUF_SIZE];

int main(int argc, char **argv)
{
        const char *mode = argc > 1 ? argv[1] : "lseek";
        int use64 = strcmp(mode, "lseek64") == 0;
        if (!use64 && strcmp(mode, "lseek") != 0) {
                fprintf(stderr, "usage: %s [lseek|lseek64]\n", argv[0]);
                return 2;
        }
        int fd = open(PROBE_MEMINFO, O_RDONLY);
        if (fd < 0)
                probe_die("open");
        probe_print_fdlink("fdlink", fd);
        struct probe_meminfo m[3];
        void *mem[2] = {NULL, NULL};
        if (probe_read_fd_once(fd, g_buf, sizeof g_buf) <= 0)
                probe_die("first read");
        probe_meminfo_parse(g_buf, &m[0]);
        char tmp[64];
        printf("eof_read=%zd\n", read(fd, tmp, sizeof tmp));

        for (int i = 1; i < 3; i++) {
                mem[i - 1] = probe_alloc_touch(64u * PROBE_MIB);
                long long off =
                    use64 ? (long long)lseek64(fd, 0, SEEK_SET) : (long long)lseek(fd, 0, SEEK_SET);
                printf("seek_result_%d=%lld\n", i + 1, off);
                if (off != 0)
                        probe_die("seek");
                if (probe_read_fd_once(fd, g_buf, sizeof g_buf) <= 0)
                        probe_die("re-read");
                probe_meminfo_parse(g_buf, &m[i]);
        }
        close(fd);
        free(mem[0]);
        free(mem[1]);

        probe_print_rereads(m, 3);
        return 0;
}
