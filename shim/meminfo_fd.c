#include "meminfo_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim_view.h"

#define MEMFD_NAME "cglimits-meminfo"

/* Descriptors below this number are tracked for live refresh; a file handed out above it
 * still has correct figures, but keeps those of the moment it was opened. */
#define TRACKED_FDS 4096

static uint64_t handed_out[TRACKED_FDS / 64];
static uint64_t handed_out_ino[TRACKED_FDS];

static void mark(int fd, uint64_t ino)
{
        if (fd < 0 || fd >= TRACKED_FDS)
                return;
        __atomic_store_n(&handed_out_ino[fd], ino, __ATOMIC_RELAXED);
        __atomic_fetch_or(&handed_out[fd / 64], 1ull << (fd % 64), __ATOMIC_RELEASE);
}

static void unmark(int fd)
{
        __atomic_fetch_and(&handed_out[fd / 64], ~(1ull << (fd % 64)), __ATOMIC_RELAXED);
}

bool meminfo_fd_maybe_ours(int fd)
{
        if (fd < 0 || fd >= TRACKED_FDS)
                return false;
        return __atomic_load_n(&handed_out[fd / 64], __ATOMIC_ACQUIRE) & (1ull << (fd % 64));
}

static int write_all(int fd, const char *buf, size_t len)
{
        size_t done = 0;
        while (done < len) {
                long n = syscall(SYS_pwrite64, fd, buf + done, len - done, (off_t)done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                done += (size_t)n;
        }
        return 0;
}

/* Writes fresh figures into fd. When refreshing a file already handed out, a view that
 * now says "no limit" is served as the host's own text rather than left stale. */
static int fill(int fd, bool refreshing)
{
        struct view_load vl;
        char text[CGL_MEMINFO_MAX];
        int r = shim_view_load(&vl);
        if (r < 0)
                return r;
        /* One byte short of 4 KiB: node/libuv reads the file with a single 4095-byte read. */
        int len = shim_view_render(&vl, text, sizeof(text) - 1);
        const char *src = text;
        if (len == -EAGAIN && refreshing) {
                src = vl.host_text;
                len = (int)vl.host_len;
        }
        if (len < 0)
                return len;
        r = write_all(fd, src, (size_t)len);
        if (r < 0)
                return r;
        if (refreshing && syscall(SYS_ftruncate, fd, (off_t)len) < 0)
                return -errno;
        return 0;
}

int meminfo_fd_open(bool cloexec)
{
        long fd = syscall(SYS_memfd_create, MEMFD_NAME, cloexec ? MFD_CLOEXEC : 0u);
        if (fd < 0)
                return -errno;
        int r = fill((int)fd, false);
        struct stat st;
        if (r == 0 && syscall(SYS_fstat, fd, &st) < 0)
                r = -errno;
        if (r < 0) {
                syscall(SYS_close, fd);
                return r;
        }
        mark((int)fd, (uint64_t)st.st_ino);
        return (int)fd;
}

/* memfd inode numbers come from a 32-bit counter that wraps (shmem get_next_ino), so a
 * matching inode is confirmed by the memfd's name as /proc shows it. */
static bool really_ours(int fd)
{
        struct stat st;
        if (syscall(SYS_fstat, fd, &st) < 0 || !S_ISREG(st.st_mode))
                return false;
        if ((uint64_t)st.st_ino != __atomic_load_n(&handed_out_ino[fd], __ATOMIC_RELAXED))
                return false;

        char link[32] = "/proc/self/fd/";
        char target[64];
        size_t n = strlen(link);
        char digits[12];
        int d = 0;
        for (int v = fd; d == 0 || v; v /= 10)
                digits[d++] = (char)('0' + v % 10);
        while (d)
                link[n++] = digits[--d];
        link[n] = '\0';
        long len = syscall(SYS_readlinkat, AT_FDCWD, link, target, sizeof(target) - 1);
        static const char expect[] = "/memfd:" MEMFD_NAME " (deleted)";
        return len == (long)sizeof(expect) - 1 && memcmp(target, expect, (size_t)len) == 0;
}

void meminfo_fd_refresh(int fd)
{
        if (!meminfo_fd_maybe_ours(fd))
                return;
        if (!really_ours(fd)) {
                unmark(fd);
                return;
        }
        fill(fd, true);
}

void meminfo_fd_adopt(int from, int to)
{
        if (from < 0 || from >= TRACKED_FDS || !meminfo_fd_maybe_ours(from))
                return;
        mark(to, __atomic_load_n(&handed_out_ino[from], __ATOMIC_RELAXED));
}
