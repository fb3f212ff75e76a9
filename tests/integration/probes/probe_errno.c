/* probe_errno: errno behaviour around the intercepted calls.
 *
 * errno_after_* : errno is set to 1234 before a call that succeeds; prints
 *                 errno afterwards (must stay 1234, glibc leaves it alone).
 * missing_* / meminfo_* / edge_* : result of an open that the kernel
 *                 answers in a particular way: "ok" (plus ";read=ok" or
 *                 ";read=ERRNO" for one read of 1 byte, ";write=..." for a
 *                 write-only descriptor) or the errno name.  The test runs
 *                 this probe with and without the shim and compares. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define MAGIC_ERRNO 1234

static void print_io(int fd, int accmode)
{
        char c = 'x';
        if (accmode == O_WRONLY) {
                errno = 0;
                ssize_t n = write(fd, &c, 1);
                printf(";write=%s", n >= 0 ? "ok" : probe_errname(errno));
        } else {
                errno = 0;
                ssize_t n = read(fd, &c, 1);
                printf(";read=%s", n >= 0 ? "ok" : probe_errname(errno));
        }
}

static void try_openat(const char *name, int dirfd, const char *path, int flags)
{
        errno = 0;
        int fd = openat(dirfd, path, flags, 0644);
        if (fd < 0) {
                printf("%s=%s\n", name, probe_errname(errno));
                return;
        }
        printf("%s=ok", name);
        if (!(flags & O_PATH))
                print_io(fd, flags & O_ACCMODE);
        else
                print_io(fd, O_RDONLY);
        printf("\n");
        close(fd);
}

static void try_open(const char *name, const char *path, int flags)
{
        try_openat(name, AT_FDCWD, path, flags);
}

static void try_fopen(const char *name, const char *path, const char *mode)
{
        errno = 0;
        FILE *f = fopen(path, mode);
        if (!f) {
                printf("%s=%s\n", name, probe_errname(errno));
                return;
        }
        printf("%s=ok\n", name);
        fclose(f);
}

int main(void)
{
        /* errno preserved across successful calls */
        errno = MAGIC_ERRNO;
        int fd = open("/proc/version", O_RDONLY);
        printf("errno_after_unrelated_open=%d\n", errno);
        if (fd >= 0)
                close(fd);

        errno = MAGIC_ERRNO;
        FILE *f = fopen("/proc/version", "r");
        printf("errno_after_unrelated_fopen=%d\n", errno);
        if (f)
                fclose(f);

        errno = MAGIC_ERRNO;
        fd = open(PROBE_MEMINFO, O_RDONLY);
        printf("errno_after_meminfo_open=%d\n", errno);
        if (fd >= 0) {
                char buf[8192];
                probe_read_fd_all(fd, buf, sizeof buf);
                errno = MAGIC_ERRNO;
                off_t off = lseek(fd, 0, SEEK_SET);
                printf("errno_after_meminfo_lseek=%d\n", off == 0 ? errno : -1);
                close(fd);
        }

        errno = MAGIC_ERRNO;
        f = fopen(PROBE_MEMINFO, "r");
        printf("errno_after_meminfo_fopen=%d\n", errno);
        if (f) {
                char buf[8192];
                probe_read_file_all(f, buf, sizeof buf);
                errno = MAGIC_ERRNO;
                rewind(f);
                printf("errno_after_meminfo_rewind=%d\n", errno);
                fclose(f);
        }

        errno = MAGIC_ERRNO;
        struct sysinfo si;
        int rc = sysinfo(&si);
        printf("errno_after_sysinfo=%d\n", rc == 0 ? errno : -1);

        errno = MAGIC_ERRNO;
        long pages = sysconf(_SC_PHYS_PAGES);
        printf("errno_after_sysconf_phys_pages=%d\n", pages > 0 ? errno : -1);

        errno = MAGIC_ERRNO;
        pages = sysconf(_SC_AVPHYS_PAGES);
        printf("errno_after_sysconf_avphys_pages=%d\n", pages >= 0 ? errno : -1);

        /* failures must look exactly like the real ones */
        try_open("missing_open", "/nonexistent-cglimits-test/file", O_RDONLY);
        try_openat("missing_openat", AT_FDCWD, "/nonexistent-cglimits-test/file", O_RDONLY);
        try_fopen("missing_fopen", "/nonexistent-cglimits-test/file", "r");
        try_open("missing_proc_neighbour", "/proc/meminfo-cglimits-nonexistent", O_RDONLY);
        try_open("meminfo_wronly", PROBE_MEMINFO, O_WRONLY);
        try_open("meminfo_directory", PROBE_MEMINFO, O_RDONLY | O_DIRECTORY);
        try_fopen("meminfo_fopen_w", PROBE_MEMINFO, "w");

        /* less common flag combinations */
        try_open("edge_rdwr", PROBE_MEMINFO, O_RDWR);
        try_open("edge_creat_excl", PROBE_MEMINFO, O_RDONLY | O_CREAT | O_EXCL);
        try_open("edge_wronly_trunc", PROBE_MEMINFO, O_WRONLY | O_TRUNC);
        try_open("edge_path", PROBE_MEMINFO, O_PATH);
        try_open("edge_nofollow", PROBE_MEMINFO, O_RDONLY | O_NOFOLLOW);
        try_open("edge_trailing_slash", "/proc/meminfo/", O_RDONLY);
        try_openat("edge_openat_closed_dirfd", 987, "meminfo", O_RDONLY);
        int regular = open("/proc/version", O_RDONLY | O_CLOEXEC);
        try_openat("edge_openat_file_dirfd", regular, "meminfo", O_RDONLY);
        if (regular >= 0)
                close(regular);
        try_fopen("edge_fopen_a", PROBE_MEMINFO, "a");
        try_fopen("edge_fopen_rplus", PROBE_MEMINFO, "r+");
        try_fopen("edge_fopen_bad_mode", PROBE_MEMINFO, "z");
        return 0;
}
