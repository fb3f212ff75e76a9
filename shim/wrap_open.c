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
        struct shim_work *w = shim_call_begin();
        if (w && path_is_proc_meminfo(dirfd, path)) {
                fd = meminfo_fd_open(w, (flags & O_CLOEXEC) != 0);
                if (fd < 0)
                        fd = -1;
        }
        shim_call_end(w);
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
                return real(path, flags, mode);                                                    \
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
                return real(dirfd, path, flags, mode);                                             \
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
                return real(path, flags);                                                          \
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
                return real(dirfd, path, flags);                                                   \
        }

OPEN2_WRAPPER(__open_2, open)
OPEN2_WRAPPER(__open64_2, open64)
OPENAT2_WRAPPER(__openat_2, openat)
OPENAT2_WRAPPER(__openat64_2, openat64)
#endif
