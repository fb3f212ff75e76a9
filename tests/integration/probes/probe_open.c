/* probe_open VARIANT: opens /proc/meminfo one particular way, reads it and
 * prints what it saw.
 *
 * Output (KEY=VALUE): variant, fd, fdlink (target of /proc/self/fd/N), keys
 * (field names in order), MemTotal/MemFree/MemAvailable/SwapTotal (kB), fields,
 * wellformed, bytes (size of what was read), and for the freopen variants fileno_kept (1 when the
 * stream kept its file descriptor number, as glibc guarantees). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's fortified open entry points; normally only declared when
 * _FORTIFY_SOURCE is on, but exported by libc.so.6 in any case. */
extern int __open_2(const char *path, int flags);
extern int __open64_2(const char *path, int flags);
extern int __openat_2(int dirfd, const char *path, int flags);
extern int __openat64_2(int dirfd, const char *path, int flags);

static char g_buf[PROBE_BUF_SIZE];

static int open_proc_dir(void)
{
        int d = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d < 0)
                probe_die("open /proc");
        return d;
}

static void enter_proc(void)
{
        if (chdir("/proc") != 0)
                probe_die("chdir /proc");
}

static int fd_variant(const char *v)
{
        if (strcmp(v, "open") == 0)
                return open(PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "open64") == 0)
                return open64(PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "openat") == 0)
                return openat(AT_FDCWD, PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "openat64") == 0)
                return openat64(AT_FDCWD, PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "openat_dirfd") == 0 || strcmp(v, "openat64_dirfd") == 0 ||
            strcmp(v, "openat_2_dirfd") == 0) {
                int d = open_proc_dir();
                int fd;
                if (strcmp(v, "openat_dirfd") == 0)
                        fd = openat(d, "meminfo", O_RDONLY);
                else if (strcmp(v, "openat64_dirfd") == 0)
                        fd = openat64(d, "meminfo", O_RDONLY);
                else
                        fd = __openat_2(d, "meminfo", O_RDONLY);
                int saved = errno;
                close(d);
                errno = saved;
                return fd;
        }
        if (strcmp(v, "openat_abs_ignores_dirfd") == 0) {
                /* An absolute path makes openat ignore its dirfd (here one of "/"). */
                int d = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (d < 0)
                        probe_die("open /");
                int fd = openat(d, PROBE_MEMINFO, O_RDONLY);
                int saved = errno;
                close(d);
                errno = saved;
                return fd;
        }
        if (strcmp(v, "open_2") == 0)
                return __open_2(PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "open64_2") == 0)
                return __open64_2(PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "openat_2") == 0)
                return __openat_2(AT_FDCWD, PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "openat64_2") == 0)
                return __openat64_2(AT_FDCWD, PROBE_MEMINFO, O_RDONLY);
        if (strcmp(v, "relative_open") == 0) {
                enter_proc();
                return open("meminfo", O_RDONLY);
        }
        if (strcmp(v, "relative_openat") == 0) {
                enter_proc();
                return openat(AT_FDCWD, "meminfo", O_RDONLY);
        }
        if (strcmp(v, "relative_dot_open") == 0) {
                enter_proc();
                return open("./meminfo", O_RDONLY);
        }
        if (strcmp(v, "double_slash") == 0)
                return open("/proc//meminfo", O_RDONLY);
        if (strcmp(v, "dot_component") == 0)
                return open("/proc/./meminfo", O_RDONLY);
        if (strcmp(v, "self_dotdot") == 0)
                return open("/proc/self/../meminfo", O_RDONLY);
        return -2;
}

/* Returns NULL and sets *known = 0 for an unknown variant. */
static FILE *file_variant(const char *v, int *known, int *fileno_kept)
{
        *known = 1;
        *fileno_kept = -1;
        if (strcmp(v, "fopen") == 0)
                return fopen(PROBE_MEMINFO, "r");
        if (strcmp(v, "fopen64") == 0 || strcmp(v, "fopen64_fileno_read") == 0)
                return fopen64(PROBE_MEMINFO, "r");
        if (strcmp(v, "relative_fopen") == 0) {
                enter_proc();
                return fopen("meminfo", "r");
        }
        if (strcmp(v, "freopen") == 0 || strcmp(v, "freopen64") == 0) {
                FILE *f = fopen("/dev/null", "r");
                if (!f)
                        probe_die("fopen /dev/null");
                int before = fileno(f);
                FILE *r = strcmp(v, "freopen") == 0 ? freopen(PROBE_MEMINFO, "r", f)
                                                    : freopen64(PROBE_MEMINFO, "r", f);
                if (r)
                        *fileno_kept = fileno(r) == before;
                return r;
        }
        if (strcmp(v, "freopen_stdin") == 0) {
                FILE *r = freopen(PROBE_MEMINFO, "r", stdin);
                if (r)
                        *fileno_kept = fileno(r) == STDIN_FILENO;
                return r;
        }
        *known = 0;
        return NULL;
}

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: %s VARIANT\n", argv[0]);
                return 2;
        }
        const char *v = argv[1];
        int fd = fd_variant(v);
        printf("variant=%s\n", v);
        if (fd == -2) {
                int known, kept;
                FILE *f = file_variant(v, &known, &kept);
                if (!known) {
                        fprintf(stderr, "probe_open: unknown variant '%s'\n", v);
                        return 2;
                }
                if (!f)
                        probe_die(v);
                fd = fileno(f);
                printf("fd=%d\n", fd);
                probe_print_fdlink("fdlink", fd);
                if (kept >= 0)
                        printf("fileno_kept=%d\n", kept);
                if (strcmp(v, "fopen64_fileno_read") == 0) {
                        /* what libstdc++'s basic_filebuf does: fopen64, then read(fileno) */
                        if (probe_read_fd_all(fd, g_buf, sizeof g_buf) < 0)
                                probe_die("read(fileno)");
                } else {
                        probe_read_file_all(f, g_buf, sizeof g_buf);
                        if (ferror(f))
                                probe_die("fgets");
                }
                fclose(f);
        } else {
                if (fd < 0)
                        probe_die(v);
                probe_read_reported_fd(fd, g_buf, sizeof g_buf);
        }
        probe_report_text(g_buf);
        return 0;
}
