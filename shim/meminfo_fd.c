/* Synthesized /proc/meminfo files: a memfd per open, filled with the rendered text, and
 * rewritten in place when the program seeks it back to 0.
 *
 * Concurrency of a rewrite. The memfd belongs to the program, and several writers may
 * rewrite one at once: threads sharing the descriptor, and a signal handler that seeks it
 * while the code it interrupted is rewriting it. Every writer has a whole text of its own
 * (rendered into its work element); a rewrite is pwrite(text at 0) then ftruncate(length).
 * A counter per descriptor number, rewrites[fd], is incremented when a rewrite begins; a
 * writer that finds it moved by the time its truncation is done rewrites again (at most four
 * rounds), so a handler's rewrite that slipped between our write and our truncation cannot
 * be left cut or padded with zeros: handlers nest, so the interrupted writer's last round
 * comes after the handler's and wins whole. Left as they are: more than three interruptions
 * of one rewrite, and a parent and a forked child rewriting the memfd they share at the same
 * moment (their counters are separate copies); either can leave a cut text only when the
 * two texts differ in length, which the kernel's fixed-width layout makes rare (a value
 * crossing 10^8 kB, or a switch between a limit and none). Readers of the same open file in
 * other threads while it is rewritten may see a mix of two texts of equal length: the
 * program shares one file offset between them anyway.
 * The number may change hands while the view loads: the program may close it and open
 * another file under it. The identity (inode and /proc/self/fd name) is checked before
 * loading, and the device and inode again right before each write. */
#include "meminfo_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "handed_out.h"
#include "shim_view.h"

#define MEMFD_NAME "cglimits-meminfo"

bool meminfo_fd_maybe_ours(int fd)
{
        return handed_out_inode(fd) != 0;
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

/* The synthesized text in w->text, rendered before any descriptor is created: a process
 * with one free descriptor left still gets the cgroup's figures, since the cgroup files are
 * read while that slot is free. When refreshing a file already handed out, a view that now
 * says "no limit" is served as the host's own text rather than left stale. *out points at
 * the text to serve. */
static int render(struct shim_work *w, bool refreshing, const char **out)
{
        int r = shim_view_load(w);
        if (r < 0)
                return r;
        /* One byte short of 4 KiB: node/libuv reads the file with a single 4095-byte read. */
        int len = shim_view_render(w, sizeof(w->text) - 1);
        *out = w->text;
        if (len == -EAGAIN && refreshing) {
                *out = w->vl.host_text;
                len = (int)w->vl.host_len;
        }
        return len;
}

/* The device of the memfds (shmem's internal mount, the same for all), learnt at the first
 * one: with the inode it tells a memfd from a file of the program's with the same inode
 * number on a disk. */
static uint64_t memfd_dev;

/* Writing a memfd counts against RLIMIT_FSIZE like any file, and going past it raises
 * SIGXFSZ, which kills by default: under a limit below the largest text (sandboxes,
 * LimitFSIZE=) the real file is served instead. Read afresh each time: setrlimit may
 * change it. */
static bool file_size_allowed(void)
{
        struct {
                uint64_t cur, max;
        } rl;
        if (syscall(SYS_prlimit64, 0, RLIMIT_FSIZE, NULL, &rl) != 0)
                return false;
        return rl.cur >= CGL_MEMINFO_MAX;
}

int meminfo_fd_open(struct shim_work *w, bool cloexec)
{
        if (!file_size_allowed())
                return -EFBIG;
        const char *src;
        int len = render(w, false, &src);
        if (len < 0)
                return len;
        unsigned flags = cloexec ? MFD_CLOEXEC : 0u;
        long fd = syscall(SYS_memfd_create, MEMFD_NAME, flags);
        if (fd < 0)
                return -errno; /* out of descriptors, or refused: the real call decides */
        int r = write_all((int)fd, src, (size_t)len);
        struct stat st;
        if (r == 0 && syscall(SYS_fstat, fd, &st) < 0)
                r = -errno;
        if (r < 0) {
                if (r != -EBADF) /* else the number is no longer ours (lib/file_read.c) */
                        syscall(SYS_close, fd);
                return r;
        }
        __atomic_store_n(&memfd_dev, (uint64_t)st.st_dev, __ATOMIC_RELAXED);
        handed_out_mark((int)fd, (uint64_t)st.st_ino);
        return (int)fd;
}

void meminfo_fd_close(int fd)
{
        uint64_t ino = handed_out_inode(fd);
        if (ino)
                handed_out_forget(fd, ino);
        syscall(SYS_close, fd);
}

/* memfd inode numbers come from a 32-bit counter that wraps (shmem get_next_ino), so a
 * matching inode is confirmed by the memfd's name as /proc shows it. */
static bool really_ours(int fd, uint64_t ino)
{
        struct stat st;
        if (syscall(SYS_fstat, fd, &st) < 0 || !S_ISREG(st.st_mode))
                return false;
        if ((uint64_t)st.st_ino != ino)
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

/* Whether fd still names the memfd with inode ino (one fstat). */
static bool same_memfd(int fd, uint64_t ino)
{
        struct stat st;
        return syscall(SYS_fstat, fd, &st) == 0 && (uint64_t)st.st_ino == ino &&
               (uint64_t)st.st_dev == __atomic_load_n(&memfd_dev, __ATOMIC_RELAXED);
}

/* Rewrites begun, per descriptor number (see meminfo_fd_refresh). */
static unsigned rewrites[HANDED_OUT_FDS];

void meminfo_fd_refresh(struct shim_work *w, int fd)
{
        uint64_t ino = handed_out_inode(fd);
        if (!ino)
                return;
        if (!really_ours(fd, ino)) {
                handed_out_forget(fd, ino);
                return;
        }
        if (!file_size_allowed())
                return;
        const char *src;
        int len = render(w, true, &src);
        if (len < 0)
                return;
        /* A signal handler may refresh the same descriptor between our write and our
         * truncation (or another thread may, at any point): its text is whole, but a
         * truncation to our length would then cut it or pad it with zeros. So the rewrite is
         * made again while another one began during it; a nested handler's rewrite is over
         * before ours resumes, so the last one standing is whole. The descriptor is checked
         * again right before writing: it is the program's, which may have closed it and
         * opened another file under the number while the view was loading. */
        for (int attempt = 0; attempt < 4; attempt++) {
                unsigned begun = __atomic_add_fetch(&rewrites[fd], 1, __ATOMIC_ACQ_REL);
                if (!same_memfd(fd, ino))
                        return;
                if (write_all(fd, src, (size_t)len) != 0 ||
                    syscall(SYS_ftruncate, fd, (off_t)len) != 0)
                        return;
                if (__atomic_load_n(&rewrites[fd], __ATOMIC_ACQUIRE) == begun)
                        return;
        }
}

void meminfo_fd_adopt(int from, int to)
{
        uint64_t ino = handed_out_inode(from);
        if (ino)
                handed_out_mark(to, ino);
}
