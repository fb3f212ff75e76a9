/* lseek back to 0 on a synthesized descriptor the program keeps refreshes it: procps (free -s, top,
 * vmstat) opens /proc/meminfo once and does lseek(fd, 0, SEEK_SET) + read per refresh. */
#include <errno.h>
#include <unistd.h>

#include "meminfo_fd.h"
#include "real_functions.h"
#include "shim_state.h"
#include "shim_view.h"

static void refresh_fd(int fd)
{
        if (!meminfo_fd_maybe_ours(fd))
                return;
        int saved = errno;
        struct shim_work *w = shim_call_begin();
        if (w)
                meminfo_fd_refresh(w, fd);
        shim_call_end(w);
        errno = saved;
}

#define LSEEK_WRAPPER(name, off_type)                                                              \
        CGL_EXPORT off_type name(int fd, off_type offset, int whence)                              \
        {                                                                                          \
                if (offset == 0 && whence == SEEK_SET)                                             \
                        refresh_fd(fd);                                                            \
                real_##name##_fn real = real_##name();                                             \
                if (!real) {                                                                       \
                        errno = ENOSYS;                                                            \
                        return -1;                                                                 \
                }                                                                                  \
                return real(fd, offset, whence);                                                   \
        }

LSEEK_WRAPPER(lseek, off_t)
LSEEK_WRAPPER(lseek64, off64_t)
