/* Counts heap allocations made on the open/read/close path of /proc/meminfo, by sysinfo()
 * and by fopen/fclose. malloc, calloc and realloc defined here interpose for the whole
 * process (a preloaded shim included) and forward to glibc's __libc_* entry points.
 * Prints, for open, sysinfo and fopen in turn, the allocations of the first call and the
 * average per call over the next N calls. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <unistd.h>

void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);

static unsigned long allocs;

void *malloc(size_t n)
{
        __atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
        return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
        __atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
        return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
        __atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
        return __libc_realloc(p, n);
}

static void fail(const char *what)
{
        perror(what);
        exit(1);
}

static void do_open(void)
{
        char buf[4096];
        int fd = open("/proc/meminfo", O_RDONLY);
        if (fd < 0)
                fail("open");
        while (read(fd, buf, sizeof(buf)) > 0)
                ;
        close(fd);
}

static void do_sysinfo(void)
{
        struct sysinfo si;
        if (sysinfo(&si) != 0)
                fail("sysinfo");
}

static void do_fopen(void)
{
        char buf[4096];
        FILE *f = fopen("/proc/meminfo", "r");
        if (!f)
                fail("fopen");
        while (fread(buf, 1, sizeof(buf), f) > 0)
                ;
        fclose(f);
}

static void count(void (*op)(void), int n)
{
        unsigned long before = __atomic_load_n(&allocs, __ATOMIC_RELAXED);
        op();
        unsigned long first = __atomic_load_n(&allocs, __ATOMIC_RELAXED);
        for (int i = 0; i < n; i++)
                op();
        printf(" %lu %g", first - before,
               (double)(__atomic_load_n(&allocs, __ATOMIC_RELAXED) - first) / n);
}

int main(int argc, char **argv)
{
        int n = argc > 1 ? atoi(argv[1]) : 100;
        count(do_open, n);
        count(do_sysinfo, n);
        count(do_fopen, n);
        putchar('\n');
        return 0;
}
