/* fopen and freopen of /proc/meminfo, and the stdio seeks that refresh a FILE* the program
 * keeps. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "meminfo_fd.h"
#include "path_match.h"
#include "real_functions.h"
#include "shim_view.h"
#include "shim_state.h"

/* The stdio paths call back into libc (fdopen, fflush): inside the re-entry guard, so that
 * those reach the real functions. On success the caller ends the call, then leaves the
 * guard. */
static struct shim_work *shim_stdio_begin(void)
{
        if (!shim_enter())
                return NULL;
        struct shim_work *w = shim_call_begin();
        if (!w)
                shim_leave();
        return w;
}

/* A FILE* over the synthesized descriptor, or NULL for "make the real call". fdopen keeps
 * an fd, so fileno() works, unlike fmemopen or fopencookie streams. */
static FILE *try_fopen(const char *path, const char *mode)
{
        if (!path_may_be_meminfo(path) || !fopen_mode_read_only(mode))
                return NULL;
        int saved = errno;
        FILE *f = NULL;
        struct shim_work *w = shim_stdio_begin();
        if (w) {
                int fd = -1;
                if (path_is_proc_meminfo(AT_FDCWD, path))
                        fd = meminfo_fd_open(w, fopen_mode_cloexec(mode));
                /* The element goes back before fdopen, which allocates. */
                shim_call_end(w);
                if (fd >= 0) {
                        f = fdopen(fd, mode);
                        if (!f)
                                syscall(SYS_close, fd);
                }
                shim_leave();
        }
        errno = saved;
        return f;
}

#define FOPEN_WRAPPER(name)                                                                        \
        CGL_EXPORT FILE *name(const char *path, const char *mode)                                  \
        {                                                                                          \
                FILE *f = try_fopen(path, mode);                                                   \
                if (f)                                                                             \
                        return f;                                                                  \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return NULL;                                                               \
                }                                                                                  \
                return real(path, mode);                                                           \
        }

FOPEN_WRAPPER(fopen)
FOPEN_WRAPPER(fopen64)

/* freopen keeps the caller's FILE object, which may be stdin: let the real freopen open the
 * real file on it, then put the synthesized file under the same descriptor number. */
static void swap_in_meminfo(FILE *f, const char *path, const char *mode)
{
        if (!f || !path_may_be_meminfo(path) || !fopen_mode_read_only(mode))
                return;
        int saved = errno;
        struct shim_work *w = shim_stdio_begin();
        if (w) {
                int target = fileno(f);
                if (target >= 0 && path_is_proc_meminfo(AT_FDCWD, path)) {
                        long fdflags = syscall(SYS_fcntl, target, F_GETFD);
                        bool cloexec = fdflags > 0 && (fdflags & FD_CLOEXEC);
                        int fd = meminfo_fd_open(w, cloexec);
                        if (fd >= 0) {
                                if (syscall(SYS_dup3, fd, target, cloexec ? O_CLOEXEC : 0) >= 0)
                                        meminfo_fd_adopt(fd, target);
                                meminfo_fd_close(fd);
                        }
                }
                shim_call_end(w);
                shim_leave();
        }
        errno = saved;
}

#define FREOPEN_WRAPPER(name)                                                                      \
        CGL_EXPORT FILE *name(const char *path, const char *mode, FILE *stream)                    \
        {                                                                                          \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return NULL;                                                               \
                }                                                                                  \
                FILE *f = real(path, mode, stream);                                                \
                swap_in_meminfo(f, path, mode);                                                    \
                return f;                                                                          \
        }

FREOPEN_WRAPPER(freopen)
FREOPEN_WRAPPER(freopen64)

/* glibc's rewind and fseek keep the read buffer when the target offset is still inside it
 * (a memfd reports a 4 KiB block, so the whole file sits in the buffer): refreshing the file
 * is not enough, the buffer has to be dropped first. fflush on a read stream does that. */
static void refresh_stream(FILE *f)
{
        if (!f)
                return;
        /* fileno sets EBADF for a stream without a descriptor (fmemopen, open_memstream,
         * fopencookie): errno is saved first. */
        int saved = errno;
        int fd = fileno_unlocked(f);
        if (!meminfo_fd_maybe_ours(fd)) {
                errno = saved;
                return;
        }
        struct shim_work *w = shim_stdio_begin();
        if (w) {
                fflush(f);
                meminfo_fd_refresh(w, fd);
                shim_call_end(w);
                shim_leave();
        }
        errno = saved;
}

CGL_EXPORT void rewind(FILE *f)
{
        refresh_stream(f);
        real_rewind_fn real = real_rewind();
        if (real)
                real(f);
}

#define FSEEK_WRAPPER(name, off_type)                                                              \
        CGL_EXPORT int name(FILE *f, off_type offset, int whence)                                  \
        {                                                                                          \
                if (offset == 0 && whence == SEEK_SET)                                             \
                        refresh_stream(f);                                                         \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return -1;                                                                 \
                }                                                                                  \
                return real(f, offset, whence);                                                    \
        }

FSEEK_WRAPPER(fseek, long)
FSEEK_WRAPPER(fseeko, off_t)
FSEEK_WRAPPER(fseeko64, off64_t)

/* Both C libraries keep the byte offset first in fpos_t (glibc __fpos_t.__pos, musl reads
 * it as an off_t in fsetpos.c). */
#define FSETPOS_WRAPPER(name, pos_type)                                                            \
        CGL_EXPORT int name(FILE *f, const pos_type *pos)                                          \
        {                                                                                          \
                off_t offset = 1;                                                                  \
                if (pos)                                                                           \
                        memcpy(&offset, pos, sizeof(offset));                                      \
                if (offset == 0)                                                                   \
                        refresh_stream(f);                                                         \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return -1;                                                                 \
                }                                                                                  \
                return real(f, pos);                                                               \
        }

FSETPOS_WRAPPER(fsetpos, fpos_t)
FSETPOS_WRAPPER(fsetpos64, fpos64_t)
