#include "file_read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Closes a descriptor the library opened, after using it with result r. EBADF from it means
 * another thread of the program closed the number meanwhile, and it may already be the
 * program's again: it is left alone. */
static void close_own(int fd, long r)
{
        if (r == -EBADF)
                return;
        /* Linux closes the descriptor even when close() reports EINTR: never retry. */
        syscall(SYS_close, fd);
}

/* Everything goes through syscall(2) rather than open/read/close: those names are interposed
 * by the shim, and glibc's stdio would allocate. syscall() reports failures through errno,
 * which callers of lib/ save and restore around every call. */

static int sys_open_read(const char *path, int extra)
{
        long fd;
        do {
                fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | extra);
        } while (fd < 0 && errno == EINTR);
        return fd < 0 ? -errno : (int)fd;
}

static long sys_read(int fd, char *buf, size_t len)
{
        long n;
        do {
                n = syscall(SYS_read, fd, buf, len);
        } while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

int cgl_path_join(char *out, size_t cap, const char *prefix, const char *a, const char *b)
{
        const char *parts[3] = {prefix, a, b};
        size_t len = 0;

        for (size_t i = 0; i < 3; i++) {
                const char *p = parts[i];
                if (!p)
                        continue;
                size_t n = strlen(p);
                if (n >= cap - len)
                        return -ENAMETOOLONG;
                memcpy(out + len, p, n);
                len += n;
        }
        if (cap == 0)
                return -ENAMETOOLONG;
        out[len] = '\0';
        return (int)len;
}

/* The path as the kernel gets it: io->full holds the joined copy under a sysroot. */
static const char *full_path(struct cgl_io *io, const char *path, int *err)
{
        *err = 0;
        if (!io->root || !io->root[0])
                return path;
        int r = cgl_path_join(io->full, sizeof(io->full), io->root, path, NULL);
        if (r < 0) {
                *err = r;
                return NULL;
        }
        return io->full;
}

static int open_under_root(struct cgl_io *io, const char *path, int extra)
{
        int err;
        const char *full = full_path(io, path, &err);
        if (!full)
                return err;
        return sys_open_read(full, extra);
}

void cgl_io_init(struct cgl_io *io, const char *root)
{
        io->root = root;
        io->proc = NULL;
        io->mount_prefix = NULL;
}

int cgl_proc_path(struct cgl_io *io, const char *name)
{
        return cgl_path_join(io->name, sizeof(io->name), io->proc ? io->proc : "/proc/self", "/",
                             name);
}

/* Reads fd to its end into buf and NUL-terminates it. */
static int read_all(int fd, char *buf, size_t cap)
{
        size_t len = 0;
        for (;;) {
                /* Ask for one byte more than fits so that a file of exactly cap - 1 bytes is
                 * told apart from a longer one. */
                size_t asked = cap - len;
                long n = sys_read(fd, buf + len, asked);
                if (n < 0)
                        return (int)n;
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len >= cap)
                        return -EFBIG;
                /* seq_file (proc, cgroupfs) fills up to a page per read(2) with whole
                 * records, and a regular file reads short only at its end. So a short read
                 * that left the total under half a page is the end, unless a single record
                 * were longer than that, which none of the files read here has: this saves
                 * the second read(2) of every small file. Longer files read on to 0. */
                if ((size_t)n < asked && len < 2048)
                        break;
        }
        buf[len] = '\0';
        return (int)len;
}

int cgl_read_file(struct cgl_io *io, const char *path, char *buf, size_t cap)
{
        if (cap < 2)
                return -EINVAL;
        int fd = open_under_root(io, path, 0);
        if (fd < 0)
                return fd;
        int r = read_all(fd, buf, cap);
        close_own(fd, r);
        return r;
}

int cgl_read_lines(struct cgl_io *io, const char *path, cgl_line_fn fn, void *ctx)
{
        char *buf = io->chunk;
        const size_t cap = sizeof(io->chunk);
        int fd = open_under_root(io, path, 0);
        if (fd < 0)
                return fd;

        size_t have = 0;
        int ret = 0;
        long last = 0; /* the last read's result */
        for (;;) {
                long n = sys_read(fd, buf + have, cap - have);
                last = n;
                if (n < 0) {
                        ret = (int)n;
                        break;
                }
                size_t end = have + (size_t)n;
                size_t start = 0;
                for (size_t i = have; i < end; i++) {
                        if (buf[i] != '\n')
                                continue;
                        ret = fn(ctx, buf + start, i - start);
                        start = i + 1;
                        if (ret != 0)
                                goto out;
                }
                if (n == 0) {
                        if (start < end)
                                ret = fn(ctx, buf + start, end - start);
                        break;
                }
                have = end - start;
                if (have == cap) {
                        ret = -EFBIG;
                        break;
                }
                memmove(buf, buf + start, have);
        }
out:
        close_own(fd, last);
        return ret < 0 ? ret : 0;
}

int cgl_path_exists(struct cgl_io *io, const char *path)
{
        struct stat st;
        int r;
        const char *full = full_path(io, path, &r);
        if (!full)
                return r;
        if (syscall(SYS_newfstatat, AT_FDCWD, full, &st, 0) == 0)
                return 1;
        return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

int cgl_path_inode(struct cgl_io *io, const char *path, uint64_t *ino)
{
        struct stat st;
        int r;
        const char *full = full_path(io, path, &r);
        if (!full)
                return r;
        if (syscall(SYS_newfstatat, AT_FDCWD, full, &st, 0) < 0)
                return -errno;
        *ino = (uint64_t)st.st_ino;
        return 0;
}

/* The kernel's getdents64 record; glibc only exposes it from 2.30 on and musl not at all. */
struct linux_dirent64 {
        uint64_t d_ino;
        int64_t d_off;
        unsigned short d_reclen;
        unsigned char d_type;
        char d_name[];
};

int cgl_list_subdirs(struct cgl_io *io, const char *path, char *buf, size_t cap, cgl_dir_fn fn,
                     void *ctx)
{
        int fd = open_under_root(io, path, O_DIRECTORY);
        if (fd < 0)
                return fd;

        int ret = 0;
        long last = 0; /* the last getdents' result */
        for (;;) {
                long n;
                do {
                        n = syscall(SYS_getdents64, fd, buf, cap);
                } while (n < 0 && errno == EINTR);
                last = n < 0 ? -errno : n;
                if (n <= 0) {
                        ret = n < 0 ? -errno : 0;
                        break;
                }
                for (long off = 0; off < n;) {
                        struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
                        off += d->d_reclen;
                        if (d->d_type != DT_DIR)
                                continue;
                        if (d->d_name[0] == '.' &&
                            (d->d_name[1] == '\0' || (d->d_name[1] == '.' && d->d_name[2] == '\0')))
                                continue;
                        ret = fn(ctx, d->d_name);
                        if (ret != 0)
                                goto out;
                }
        }
out:
        close_own(fd, last);
        return ret < 0 ? ret : 0;
}
