/* open, openat and their _FORTIFY_SOURCE and large-file twins. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>

#include "meminfo_fd.h"
#include "path_match.h"
#include "real_functions.h"
#include "shim_view.h"
#include "shim_state.h"

/* Returns a synthesized descriptor, or -1 when the real call must be made. errno is as the
 * caller left it either way. */
static int try_meminfo(int dirfd, const char *path, int flags)
{
        if (!path_may_be_meminfo(path) || !open_flags_read_only(flags))
                return -1;
        int saved = errno;
        int fd = -1;
        if (shim_enabled()) {
                if (path_is_proc_meminfo(dirfd, path)) {
                        fd = meminfo_fd_open((flags & O_CLOEXEC) != 0);
                        if (fd < 0)
                                fd = -1;
                }
        }
        errno = saved;
        return fd;
}

/* musl's open.c: mode is an argument only when O_CREAT or the whole of O_TMPFILE is set. */
static mode_t mode_arg(int flags, va_list ap)
{
        if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
                return (mode_t)va_arg(ap, int);
        return 0;
}

/* The wrappers below make a call that failed for want of descriptors once more when the
 * shim gave back those it kept: the program sees EMFILE only where it would without it. */
#define OPEN_WRAPPER(name)                                                                         \
        CGL_EXPORT int name(const char *path, int flags, ...)                                      \
        {                                                                                          \
                va_list ap;                                                                        \
                va_start(ap, flags);                                                               \
                mode_t mode = mode_arg(flags, ap);                                                 \
                va_end(ap);                                                                        \
                int fd = try_meminfo(AT_FDCWD, path, flags);                                       \
                if (fd >= 0)                                                                       \
                        return fd;                                                                 \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return -1;                                                                 \
                }                                                                                  \
                int r = real(path, flags, mode);                                                   \
                if (r < 0 && shim_view_gave_back_after_emfile())                                   \
                        r = real(path, flags, mode);                                               \
                return r;                                                                          \
        }

#define OPENAT_WRAPPER(name)                                                                       \
        CGL_EXPORT int name(int dirfd, const char *path, int flags, ...)                           \
        {                                                                                          \
                va_list ap;                                                                        \
                va_start(ap, flags);                                                               \
                mode_t mode = mode_arg(flags, ap);                                                 \
                va_end(ap);                                                                        \
                int fd = try_meminfo(dirfd, path, flags);                                          \
                if (fd >= 0)                                                                       \
                        return fd;                                                                 \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return -1;                                                                 \
                }                                                                                  \
                int r = real(dirfd, path, flags, mode);                                            \
                if (r < 0 && shim_view_gave_back_after_emfile())                                   \
                        r = real(dirfd, path, flags, mode);                                        \
                return r;                                                                          \
        }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)

#if CGL_GLIBC
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

/* The fortified entry points (bits/fcntl2.h) abort on O_CREAT without a mode; the real ones
 * do that check, so they are called for everything that is not ours. */
#define OPEN2_WRAPPER(name, fallback)                                                              \
        CGL_EXPORT int name(const char *path, int flags)                                           \
        {                                                                                          \
                int fd = try_meminfo(AT_FDCWD, path, flags);                                       \
                if (fd >= 0)                                                                       \
                        return fd;                                                                 \
                real_##name##_fn real = real_##name();                                             \
                if (!real)                                                                         \
                        return fallback(path, flags);                                              \
                int r = real(path, flags);                                                         \
                if (r < 0 && shim_view_gave_back_after_emfile())                                   \
                        r = real(path, flags);                                                     \
                return r;                                                                          \
        }

#define OPENAT2_WRAPPER(name, fallback)                                                            \
        CGL_EXPORT int name(int dirfd, const char *path, int flags)                                \
        {                                                                                          \
                int fd = try_meminfo(dirfd, path, flags);                                          \
                if (fd >= 0)                                                                       \
                        return fd;                                                                 \
                real_##name##_fn real = real_##name();                                             \
                if (!real)                                                                         \
                        return fallback(dirfd, path, flags);                                       \
                int r = real(dirfd, path, flags);                                                  \
                if (r < 0 && shim_view_gave_back_after_emfile())                                   \
                        r = real(dirfd, path, flags);                                              \
                return r;                                                                          \
        }

OPEN2_WRAPPER(__open_2, open)
OPEN2_WRAPPER(__open64_2, open64)
OPENAT2_WRAPPER(__openat_2, openat)
OPENAT2_WRAPPER(__openat64_2, openat64)
#endif
