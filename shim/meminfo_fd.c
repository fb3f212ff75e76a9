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

/* The synthesized text, rendered before any descriptor is created: a process with one free
 * descriptor left still gets the cgroup's figures, since the cgroup files are read while
 * that slot is free. When refreshing a file already handed out, a view that now says "no
 * limit" is served as the host's own text rather than left stale. The text lands in
 * text or, for that case, in vl->host_text; *out points at it. */
static int render(struct view_load *vl, char *text, size_t cap, bool refreshing, const char **out)
{
        int r = shim_view_load(vl);
        if (r < 0)
                return r;
        int len = shim_view_render(vl, text, cap);
        *out = text;
        if (len == -EAGAIN && refreshing) {
                *out = vl->host_text;
                len = (int)vl->host_len;
        }
        return len;
}

int meminfo_fd_open(bool cloexec)
{
        struct view_load vl;
        char text[CGL_MEMINFO_MAX];
        const char *src;
        /* One byte short of 4 KiB: node/libuv reads the file with a single 4095-byte read. */
        int len = render(&vl, text, sizeof(text) - 1, false, &src);
        if (len < 0)
                return len;
        unsigned flags = cloexec ? MFD_CLOEXEC : 0u;
        long fd = syscall(SYS_memfd_create, MEMFD_NAME, flags);
        if (fd < 0) {
                /* Out of descriptors, or refused (a seccomp filter): hold none from now on.
                 * When that frees a number, the file can still be served; otherwise the real
                 * call decides, as it would without the shim. */
                int err = errno;
                if (shim_view_give_back() > 0 && (err == EMFILE || err == ENFILE))
                        fd = syscall(SYS_memfd_create, MEMFD_NAME, flags);
                if (fd < 0)
                        return -err;
        }
        int r = write_all((int)fd, src, (size_t)len);
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
        struct view_load vl;
        char text[CGL_MEMINFO_MAX];
        const char *src;
        int len = render(&vl, text, sizeof(text) - 1, true, &src);
        if (len >= 0 && write_all(fd, src, (size_t)len) == 0)
                syscall(SYS_ftruncate, fd, (off_t)len);
}

void meminfo_fd_adopt(int from, int to)
{
        if (from < 0 || from >= TRACKED_FDS || !meminfo_fd_maybe_ours(from))
                return;
        mark(to, __atomic_load_n(&handed_out_ino[from], __ATOMIC_RELAXED));
}
