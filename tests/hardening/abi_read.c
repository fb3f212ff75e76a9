/* Reads /proc/meminfo with open/openat/fopen/lseek and prints MemTotal (kB) of each; built
 * with several ABI-changing options (_FORTIFY_SOURCE=3, _FILE_OFFSET_BITS=64). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long memtotal(const char *buf)
{
        const char *p = strstr(buf, "MemTotal:");
        long v = -1;
        if (p && sscanf(p, "MemTotal: %ld kB", &v) != 1)
                v = -1;
        return v;
}

static long via_fd(int fd)
{
        char buf[8192];
        ssize_t n;
        size_t len = 0;
        if (fd < 0)
                return -1;
        while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
                len += (size_t)n;
        buf[len] = 0;
        return memtotal(buf);
}

int main(void)
{
        char buf[8192];
        int fd = open("/proc/meminfo", O_RDONLY);
        printf("open=%ld\n", via_fd(fd));
        printf("lseek=%ld\n", lseek(fd, 0, SEEK_SET) == 0 ? via_fd(fd) : -1);
        close(fd);
        fd = openat(AT_FDCWD, "/proc/meminfo", O_RDONLY | O_CLOEXEC);
        printf("openat=%ld\n", via_fd(fd));
        close(fd);
        FILE *f = fopen("/proc/meminfo", "r");
        size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
        buf[n] = 0;
        printf("fopen=%ld\n", memtotal(buf));
        if (f && fseeko(f, 0, SEEK_SET) == 0) {
                n = fread(buf, 1, sizeof(buf) - 1, f);
                buf[n] = 0;
                printf("fseeko=%ld\n", memtotal(buf));
        }
        if (f)
                fclose(f);
        printf("sizeof_off_t=%zu\n", sizeof(off_t));
        return 0;
}
