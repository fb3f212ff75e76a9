#include "fd_write.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void cgl_write_all(int fd, const char *s, size_t n)
{
        while (n > 0) {
                long w = syscall(SYS_write, fd, s, n);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return;
                s += w;
                n -= (size_t)w;
        }
}

void cgl_write_str(int fd, const char *s)
{
        cgl_write_all(fd, s, strlen(s));
}
