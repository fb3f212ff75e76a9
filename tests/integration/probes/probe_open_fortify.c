/* probe_open_fortify VARIANT: like probe_open, but reaches glibc's
 * __open_2/__open64_2/__openat_2/__openat64_2 the way real programs do:
 * through the _FORTIFY_SOURCE=2 inline wrappers of open/open64/openat/openat64,
 * called with flags that are not a compile-time constant and without a mode.
 * This file must be compiled with -O2 -D_FORTIFY_SOURCE=2 (see CMakeLists.txt);
 * the test checks with nm that the binary really references the __*_2 symbols.
 *
 * VARIANT: open | open64 | openat | openat64 | openat_dirfd */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char g_buf[PROBE_BUF_SIZE];

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: %s VARIANT\n", argv[0]);
                return 2;
        }
#if !defined(_FORTIFY_SOURCE) || _FORTIFY_SOURCE < 1 || !defined(__OPTIMIZE__)
        fprintf(stderr, "probe_open_fortify: built without _FORTIFY_SOURCE/optimisation\n");
        return 3;
#else
        /* The flags come from the environment of the call, so the compiler cannot
         * fold them: the fortified wrapper has to call __open_2 and friends. */
        volatile int runtime_flags = O_RDONLY;
        int flags = runtime_flags;
        const char *v = argv[1];
        int fd;
        if (strcmp(v, "open") == 0)
                fd = open(PROBE_MEMINFO, flags);
        else if (strcmp(v, "open64") == 0)
                fd = open64(PROBE_MEMINFO, flags);
        else if (strcmp(v, "openat") == 0)
                fd = openat(AT_FDCWD, PROBE_MEMINFO, flags);
        else if (strcmp(v, "openat64") == 0)
                fd = openat64(AT_FDCWD, PROBE_MEMINFO, flags);
        else if (strcmp(v, "openat_dirfd") == 0) {
                int d = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (d < 0)
                        probe_die("open /proc");
                fd = openat(d, "meminfo", flags);
                close(d);
        } else {
                fprintf(stderr, "probe_open_fortify: unknown variant '%s'\n", v);
                return 2;
        }
        if (fd < 0)
                probe_die(v);
        printf("variant=fortify_%s\n", v);
        probe_read_reported_fd(fd, g_buf, sizeof g_buf);
        probe_report_text(g_buf);
        return 0;
#endif
}
