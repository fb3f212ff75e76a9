/* probe_cloexec: checks FD_CLOEXEC on descriptors for /proc/meminfo obtained
 * with and without O_CLOEXEC / the "e" fopen mode flag.
 *
 * Output: for each way W: W=<1 when FD_CLOEXEC is set, else 0> and
 * W_MemTotal=<kB read through that descriptor>.  Ways: open_cloexec,
 * open_plain, openat_cloexec, openat_plain, open64_cloexec, fopen_re,
 * fopen_r, fopen64_re, freopen_re, freopen_r. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char g_buf[PROBE_BUF_SIZE];

static int cloexec_of(int fd)
{
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0)
                probe_die("fcntl(F_GETFD)");
        return (flags & FD_CLOEXEC) ? 1 : 0;
}

static void report_fd(const char *way, int fd)
{
        if (fd < 0)
                probe_die(way);
        printf("%s=%d\n", way, cloexec_of(fd));
        struct probe_meminfo m;
        if (probe_read_fd_all(fd, g_buf, sizeof g_buf) < 0)
                probe_die("read");
        probe_meminfo_parse(g_buf, &m);
        printf("%s_MemTotal=%lld\n", way, m.mem_total);
        close(fd);
}

static void report_file(const char *way, FILE *f)
{
        if (!f)
                probe_die(way);
        printf("%s=%d\n", way, cloexec_of(fileno(f)));
        struct probe_meminfo m;
        probe_read_file_all(f, g_buf, sizeof g_buf);
        probe_meminfo_parse(g_buf, &m);
        printf("%s_MemTotal=%lld\n", way, m.mem_total);
        fclose(f);
}

static FILE *reopen(const char *mode)
{
        FILE *f = fopen("/dev/null", "r");
        if (!f)
                probe_die("fopen /dev/null");
        return freopen(PROBE_MEMINFO, mode, f);
}

int main(void)
{
        report_fd("open_cloexec", open(PROBE_MEMINFO, O_RDONLY | O_CLOEXEC));
        report_fd("open_plain", open(PROBE_MEMINFO, O_RDONLY));
        report_fd("openat_cloexec", openat(AT_FDCWD, PROBE_MEMINFO, O_RDONLY | O_CLOEXEC));
        report_fd("openat_plain", openat(AT_FDCWD, PROBE_MEMINFO, O_RDONLY));
        report_fd("open64_cloexec", open64(PROBE_MEMINFO, O_RDONLY | O_CLOEXEC));
        report_file("fopen_re", fopen(PROBE_MEMINFO, "re"));
        report_file("fopen_r", fopen(PROBE_MEMINFO, "r"));
        report_file("fopen64_re", fopen64(PROBE_MEMINFO, "re"));
        report_file("freopen_re", reopen("re"));
        report_file("freopen_r", reopen("r"));
        return 0;
}
