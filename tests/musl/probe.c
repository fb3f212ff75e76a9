/* Prints MemTotal in kB as seen through each libc entry point the shim interposes:
 * one "<entry> <kB>" line per entry point, or "<entry> error" when it failed. */
#define _GNU_SOURCE
#define _LARGEFILE64_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

/* musl up to 1.2.3 maps open64/fopen64 onto open/fopen with macros; drop them so the probe
 * calls the LFS64 symbols themselves, which the shim exports too. */
#ifdef open64
#undef open64
int open64(const char *path, int flags, ...);
#endif
#ifdef fopen64
#undef fopen64
FILE *fopen64(const char *path, const char *mode);
#endif

static long memtotal_in(const char *text)
{
        const char *line = strstr(text, "MemTotal:");

        return line ? strtol(line + strlen("MemTotal:"), NULL, 10) : -1;
}

static long from_fd(int fd)
{
        char buf[8192];
        size_t len = 0;
        ssize_t n;

        if (fd < 0)
                return -1;
        while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
                len += (size_t)n;
        close(fd);
        buf[len] = '\0';
        return memtotal_in(buf);
}

static long from_stream(FILE *f)
{
        char line[256];
        long kb = -1;

        if (!f)
                return -1;
        while (kb < 0 && fgets(line, sizeof(line), f))
                kb = memtotal_in(line);
        fclose(f);
        return kb;
}

static long from_sysinfo(void)
{
        struct sysinfo si;

        if (sysinfo(&si) != 0)
                return -1;
        return (long)((unsigned long long)si.totalram * si.mem_unit / 1024);
}

static long pages_to_kb(long pages)
{
        long page = sysconf(_SC_PAGESIZE);

        return pages < 0 || page <= 0 ? -1 : pages * (page / 1024);
}

static void report(const char *entry, long kb)
{
        if (kb < 0)
                printf("%s error\n", entry);
        else
                printf("%s %ld\n", entry, kb);
}

int main(void)
{
        report("open", from_fd(open("/proc/meminfo", O_RDONLY)));
        report("openat", from_fd(openat(AT_FDCWD, "/proc/meminfo", O_RDONLY)));
        report("open64", from_fd(open64("/proc/meminfo", O_RDONLY)));
        report("fopen", from_stream(fopen("/proc/meminfo", "r")));
        report("fopen64", from_stream(fopen64("/proc/meminfo", "r")));
        report("sysinfo", from_sysinfo());
        report("sysconf", pages_to_kb(sysconf(_SC_PHYS_PAGES)));
        report("get_phys_pages", pages_to_kb(get_phys_pages()));
        return 0;
}
