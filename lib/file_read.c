#include "file_read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

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

static void sys_close(int fd)
{
        /* Linux closes the descriptor even when close() reports EINTR: never retry. */
        syscall(SYS_close, fd);
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

static int open_under_root(const char *root, const char *path, int extra)
{
        char full[CGL_PATH_MAX];
        int r = cgl_path_join(full, sizeof(full), root, path, NULL);
        if (r < 0)
                return r;
        return sys_open_read(full, extra);
}

static long sys_pread(int fd, char *buf, size_t len, off_t off)
{
        long n;
        do {
                n = syscall(SYS_pread64, fd, buf, len, off);
        } while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

/* Reads fd to its end into buf and NUL-terminates it: with pread(2) from offset 0 when
 * positioned (a kept descriptor, whose offset is never used), else with read(2). */
static int read_all(int fd, char *buf, size_t cap, bool positioned)
{
        size_t len = 0;
        for (;;) {
                /* Ask for one byte more than fits so that a file of exactly cap - 1 bytes is
                 * told apart from a longer one. */
                size_t asked = cap - len;
                long n = positioned ? sys_pread(fd, buf + len, asked, (off_t)len)
                                    : sys_read(fd, buf + len, asked);
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

int cgl_read_file(const char *root, const char *path, char *buf, size_t cap)
{
        if (cap < 2)
                return -EINVAL;
        int fd = open_under_root(root, path, 0);
        if (fd < 0)
                return fd;
        int r = read_all(fd, buf, cap, false);
        sys_close(fd);
        return r;
}

/* Kept descriptors start at this number: the lowest-numbered-free rule keeps a program's own
 * descriptors below it, and a program that wants the number (dup2 onto it) simply takes it,
 * which the identity check then notices. 64 is the end of the table every process starts
 * with, so keeping costs the kernel one 1 KiB table, not more. */
#define KEPT_FD_MIN 64

static int fd_identity(int fd, uint64_t *dev, uint64_t *ino)
{
        struct stat st;
        if (syscall(SYS_fstat, fd, &st) < 0)
                return -errno;
        *dev = (uint64_t)st.st_dev;
        *ino = (uint64_t)st.st_ino;
        return 0;
}

static void slot_forget(struct cgl_kept_files *files, struct cgl_kept_slot *s)
{
        s->fd_plus1 = 0;
        __atomic_fetch_sub(&files->held, 1, __ATOMIC_RELAXED);
}

/* The slot's descriptor if it still names the file opened into it (then reading it gives
 * that file's figures, whoever opened it); otherwise the slot is emptied without closing:
 * the number belongs to someone else now. */
static int slot_check(struct cgl_kept_files *files, struct cgl_kept_slot *s)
{
        if (!s->fd_plus1)
                return -1;
        int fd = s->fd_plus1 - 1;
        uint64_t dev = 0, ino = 0;
        if (fd_identity(fd, &dev, &ino) == 0 && dev == s->dev && ino == s->ino)
                return fd;
        slot_forget(files, s);
        return -1;
}

/* Closes the slot's descriptor if it is the library's own open file: the same file is not
 * enough (a program may have closed ours and opened that file again under the number), the
 * open file must also carry the marks it was opened with. */
static int slot_close(struct cgl_kept_files *files, struct cgl_kept_slot *s)
{
        int fd = slot_check(files, s);
        if (fd < 0)
                return 0;
        long fl = syscall(SYS_fcntl, fd, F_GETFL);
        long fdfl = syscall(SYS_fcntl, fd, F_GETFD);
        int ours = fl >= 0 && (fl & O_NONBLOCK) && fdfl >= 0 && (fdfl & FD_CLOEXEC);
        if (ours)
                sys_close(fd);
        slot_forget(files, s);
        return ours;
}

static int close_set(struct cgl_kept_files *files, struct cgl_kept_set *set)
{
        int closed = 0;
        for (int j = 0; j < CGL_KEPT_SLOTS; j++)
                closed += slot_close(files, &set->slot[j]);
        return closed;
}

static bool owned_by(const struct cgl_kept_files *files, int pid)
{
        unsigned char *mark = __atomic_load_n(&files->fork_mark, __ATOMIC_ACQUIRE);
        return mark && __atomic_load_n(mark, __ATOMIC_ACQUIRE) &&
               __atomic_load_n(&files->owner_pid, __ATOMIC_RELAXED) == pid;
}

/* Neither is in every libc's headers (musl-gcc sees no linux/ headers): the values are the
 * kernel's ABI (include/uapi/linux/kcmp.h, include/uapi/asm-generic/mman-common.h). */
#ifndef KCMP_VM
#define KCMP_VM 1
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

/* The mark page: byte 0 says "claimed by owner_pid", byte 1 "a claim is under way". Both
 * read zero in a forked child. Without MADV_WIPEONFORK (before Linux 4.14) a forked child
 * could not be told from a vfork child, so nothing is ever kept. */
enum { MARK_OWNED, MARK_CLAIMING };

static unsigned char *new_fork_mark(void)
{
        void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED)
                return NULL;
        if (madvise(page, 4096, MADV_WIPEONFORK) != 0) {
                munmap(page, 4096);
                return NULL;
        }
        unsigned char *mark = page;
        mark[MARK_CLAIMING] = 1; /* published with the pointer: the creator is claiming */
        return mark;
}

/* Whether the caller runs in its parent's memory: a vfork(2) child of a forked child that has
 * not read yet sees the mark page zero too, as that child would. kcmp(2) may be refused (a
 * seccomp filter, no CONFIG_KCMP): then the caller is taken for a forked child. */
static bool shares_parent_memory(int pid)
{
        return syscall(SYS_kcmp, pid, (pid_t)syscall(SYS_getppid), KCMP_VM, 0, 0) == 0;
}

/* Makes the calling process the owner of the sets: the first time ever, or in a forked
 * child, which closes its copies of the parent's descriptors first (*closed counts them).
 * Refused in a vfork child (the mark is set, the pid is another; or the memory is the
 * parent's) and while another thread of this process is at it. Lock-free: the claim flag
 * lives in the mark page, so a child forked in the middle of a claim starts with none. */
static bool claim(struct cgl_kept_files *files, int pid, int *closed)
{
        unsigned char *mark = __atomic_load_n(&files->fork_mark, __ATOMIC_ACQUIRE);
        if (!mark) {
                unsigned char *fresh = new_fork_mark();
                if (!fresh) {
                        __atomic_store_n(&files->given_back, 1, __ATOMIC_RELAXED);
                        return false;
                }
                if (!__atomic_compare_exchange_n(&files->fork_mark, &mark, fresh, false,
                                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                        munmap(fresh, 4096); /* another thread made one: read plainly */
                        return false;
                }
                mark = fresh;
        } else if (__atomic_load_n(&mark[MARK_OWNED], __ATOMIC_ACQUIRE)) {
                return __atomic_load_n(&files->owner_pid, __ATOMIC_RELAXED) == pid;
        } else if (shares_parent_memory(pid) ||
                   __atomic_exchange_n(&mark[MARK_CLAIMING], 1, __ATOMIC_ACQUIRE)) {
                return false;
        } else {
                /* A forked child: the sets hold copies of the parent's descriptors, and sets
                 * that were busy at the fork belong to threads this process does not have.
                 * held restarts from zero: a fork between a slot's update and its count
                 * would otherwise leave it off by one. */
                for (int i = 0; i < CGL_KEPT_SETS; i++) {
                        *closed += close_set(files, &files->set[i]);
                        __atomic_store_n(&files->set[i].busy, 0, __ATOMIC_RELAXED);
                }
                __atomic_store_n(&files->held, 0, __ATOMIC_RELAXED);
        }
        __atomic_store_n(&files->owner_pid, pid, __ATOMIC_RELAXED);
        __atomic_store_n(&mark[MARK_OWNED], 1, __ATOMIC_RELEASE);
        return true;
}

static bool owned_or_claimed(struct cgl_kept_files *files, int pid, int *closed)
{
        return owned_by(files, pid) || claim(files, pid, closed);
}

void cgl_reader_begin(struct cgl_reader *rd, const char *root, int pid,
                      struct cgl_kept_files *files)
{
        rd->root = root;
        rd->pid = pid;
        rd->files = files;
        rd->set = NULL;
        rd->next = 0;
        if (!files || !__atomic_load_n(&files->loads, __ATOMIC_RELAXED) ||
            __atomic_load_n(&files->given_back, __ATOMIC_RELAXED))
                return;
        int closed = 0;
        if (!owned_or_claimed(files, pid, &closed))
                return;
        for (int i = 0; i < CGL_KEPT_SETS; i++) {
                if (!__atomic_exchange_n(&files->set[i].busy, 1, __ATOMIC_ACQUIRE)) {
                        rd->set = &files->set[i];
                        return;
                }
        }
}

int cgl_reader_end(struct cgl_reader *rd, int complete)
{
        struct cgl_kept_files *files = rd->files;
        int closed = 0;
        if (!files)
                return 0;
        if (complete)
                __atomic_fetch_add(&files->loads, 1, __ATOMIC_RELAXED);
        else
                __atomic_store_n(&files->loads, 0, __ATOMIC_RELAXED);
        if (rd->set) {
                /* A complete load lets go of the files it no longer reads; after a failure,
                 * or once the program ran out of descriptors, nothing is held. */
                bool keep = complete && !__atomic_load_n(&files->given_back, __ATOMIC_RELAXED);
                for (unsigned i = keep ? rd->next : 0; i < CGL_KEPT_SLOTS; i++)
                        closed += slot_close(files, &rd->set->slot[i]);
                __atomic_store_n(&rd->set->busy, 0, __ATOMIC_RELEASE);
                rd->set = NULL;
        }
        if (!complete)
                closed += cgl_kept_close_all(files, rd->pid);
        return closed;
}

/* Opens full into slot s, moved up to KEPT_FD_MIN or above. Returns the descriptor, or -1
 * with *plain set to an open descriptor that could not be moved (read it, then close it). */
static int slot_open(struct cgl_reader *rd, struct cgl_kept_slot *s, const char *full, unsigned len,
                     int *plain)
{
        *plain = -1;
        /* O_NONBLOCK changes nothing for proc and cgroup files: it marks the open file as
         * the library's (slot_close). */
        int fd = sys_open_read(full, O_NONBLOCK);
        if (fd < 0)
                return fd;
        uint64_t dev = 0, ino = 0;
        long high = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, KEPT_FD_MIN);
        if (high < 0 || fd_identity((int)high, &dev, &ino) < 0) {
                /* No number that high (RLIMIT_NOFILE below it, or all taken). */
                if (high >= 0)
                        sys_close((int)high);
                *plain = fd;
                return -1;
        }
        sys_close(fd);
        s->fd_plus1 = (int)high + 1;
        s->dev = dev;
        s->ino = ino;
        s->len = len;
        memcpy(s->path, full, len);
        __atomic_fetch_add(&rd->files->held, 1, __ATOMIC_RELAXED);
        return (int)high;
}

int cgl_reader_read(struct cgl_reader *rd, const char *path, char *buf, size_t cap)
{
        if (!rd->set || rd->next >= CGL_KEPT_SLOTS || cap < 2)
                return cgl_read_file(rd->root, path, buf, cap);
        struct cgl_kept_slot *s = &rd->set->slot[rd->next++];
        char full[CGL_PATH_MAX];
        int n = cgl_path_join(full, sizeof(full), rd->root, path, NULL);
        if (n < 0)
                return n;
        if ((size_t)n >= CGL_KEPT_PATH) {
                slot_close(rd->files, s);
                return cgl_read_file(rd->root, path, buf, cap);
        }
        if (s->fd_plus1 && (s->len != (unsigned)n || memcmp(s->path, full, s->len)))
                slot_close(rd->files, s);
        int fd = slot_check(rd->files, s);
        if (fd >= 0) {
                int r = read_all(fd, buf, cap, true);
                if (r >= 0 || r == -EFBIG)
                        return r;
                /* The file went away under the descriptor (a removed cgroup's files read
                 * ENODEV, a dead process's ESRCH): what the path names now decides. */
                slot_close(rd->files, s);
        }
        int plain;
        fd = slot_open(rd, s, full, (unsigned)n, &plain);
        if (fd >= 0) {
                int r = read_all(fd, buf, cap, true);
                if (r >= 0 || r == -EFBIG)
                        return r;
                /* pread(2) refused on a file just opened (a seccomp filter that allows
                 * read(2) only): the plain way still works. */
                slot_close(rd->files, s);
                return cgl_read_file(rd->root, path, buf, cap);
        }
        if (plain < 0)
                return fd;
        int r = read_all(plain, buf, cap, false);
        sys_close(plain);
        return r;
}

int cgl_kept_close_all(struct cgl_kept_files *files, int pid)
{
        /* A forked child that has not read yet still holds the parent's copies: claiming
         * closes them. */
        int closed = 0;
        if (!__atomic_load_n(&files->held, __ATOMIC_RELAXED) ||
            !owned_or_claimed(files, pid, &closed))
                return closed;
        for (int i = 0; i < CGL_KEPT_SETS; i++) {
                struct cgl_kept_set *set = &files->set[i];
                if (__atomic_exchange_n(&set->busy, 1, __ATOMIC_ACQUIRE))
                        continue;
                closed += close_set(files, set);
                __atomic_store_n(&set->busy, 0, __ATOMIC_RELEASE);
        }
        return closed;
}

int cgl_kept_give_back(struct cgl_kept_files *files, int pid)
{
        int closed = 0;
        if (!owned_or_claimed(files, pid, &closed))
                return 0;
        __atomic_store_n(&files->given_back, 1, __ATOMIC_RELAXED);
        return closed + cgl_kept_close_all(files, pid);
}

#define LINE_CHUNK 4096

int cgl_read_lines(const char *root, const char *path, cgl_line_fn fn, void *ctx)
{
        char buf[LINE_CHUNK];
        int fd = open_under_root(root, path, 0);
        if (fd < 0)
                return fd;

        size_t have = 0;
        int ret = 0;
        for (;;) {
                long n = sys_read(fd, buf + have, sizeof(buf) - have);
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
                if (have == sizeof(buf)) {
                        ret = -EFBIG;
                        break;
                }
                memmove(buf, buf + start, have);
        }
out:
        sys_close(fd);
        return ret < 0 ? ret : 0;
}

int cgl_path_exists(const char *root, const char *path)
{
        char full[CGL_PATH_MAX];
        struct stat st;
        int r = cgl_path_join(full, sizeof(full), root, path, NULL);
        if (r < 0)
                return r;
        if (syscall(SYS_newfstatat, AT_FDCWD, full, &st, 0) == 0)
                return 1;
        return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

int cgl_path_inode(const char *root, const char *path, uint64_t *ino)
{
        char full[CGL_PATH_MAX];
        struct stat st;
        int r = cgl_path_join(full, sizeof(full), root, path, NULL);
        if (r < 0)
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

int cgl_list_subdirs(const char *root, const char *path, cgl_dir_fn fn, void *ctx)
{
        _Alignas(8) char buf[2048];
        int fd = open_under_root(root, path, O_DIRECTORY);
        if (fd < 0)
                return fd;

        int ret = 0;
        for (;;) {
                long n;
                do {
                        n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
                } while (n < 0 && errno == EINTR);
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
        sys_close(fd);
        return ret < 0 ? ret : 0;
}
