#include "path_match.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

bool path_may_be_meminfo(const char *path)
{
        static const char base[] = "meminfo";
        const size_t blen = sizeof(base) - 1;
        if (!path)
                return false;
        size_t n = strlen(path);
        if (n < blen || memcmp(path + n - blen, base, blen) != 0)
                return false;
        return n == blen || path[n - blen - 1] == '/';
}

bool path_is_proc_meminfo(int dirfd, const char *path)
{
        if (!path_may_be_meminfo(path))
                return false;
        /* What nearly every program passes: it names /proc/meminfo by definition, whatever
         * is mounted there, so the two stats below would only compare it with itself. A
         * missing /proc makes the load fail, and the real call then reports ENOENT. */
        static const char canonical[] = "/proc/meminfo";
        if (strcmp(path, canonical) == 0)
                return true;
        struct stat want, got;
        if (syscall(SYS_newfstatat, dirfd, path, &got, 0) < 0)
                return false;
        if (syscall(SYS_newfstatat, AT_FDCWD, "/proc/meminfo", &want, 0) < 0)
                return false;
        return got.st_dev == want.st_dev && got.st_ino == want.st_ino;
}

bool open_flags_read_only(int flags)
{
        /* O_TMPFILE contains O_DIRECTORY, so it is refused here too. */
        return (flags & O_ACCMODE) == O_RDONLY &&
               !(flags & (O_CREAT | O_TRUNC | O_DIRECTORY | O_PATH));
}

bool fopen_mode_read_only(const char *mode)
{
        return mode && mode[0] == 'r' && !strchr(mode, '+');
}

bool fopen_mode_cloexec(const char *mode)
{
        return strchr(mode, 'e') != NULL;
}
