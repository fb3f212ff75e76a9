/* Small stacks: every interposed entry point called on a PTHREAD_STACK_MIN thread and in a
 * signal handler on an 8 KiB alternate stack (both with PROT_NONE guard pages below), and
 * the peak stack depth of each call. Prints key=value lines.
 *
 *   stackprobe all               every mode below for every entry point, each in a fresh
 *                                process (fork + exec of this program), and how each ended:
 *                                <mode>_<entry>_status=exit_0 | exit_N | signal_N
 *   stackprobe thread ENTRY SIZE ENTRY on a SIZE-byte thread: thread_<entry>_first_kb,
 *                                _later_kb (two more calls, one figure each), _headroom (bytes
 *                                never touched)
 *   stackprobe altstack ENTRY    the same in a SIGUSR1 handler on the 8 KiB sigaltstack,
 *                                raised by the thread itself (no lock held): altstack_<entry>_*
 *   stackprobe measure ENTRY     on a 256 KiB thread: stack_<entry>_first and _warm (the
 *                                deeper of two later calls), in bytes below the stack
 *                                pointer at the call
 *
 * ENTRY is an interposed name (sysconf_phys: sysconf(_SC_PHYS_PAGES), sysconf_nprocs:
 * sysconf(_SC_NPROCESSORS_ONLN), whose figure is a count of CPUs) called for /proc/meminfo, or
 * open_other, fopen_other...: the same name for /dev/null, which passes through. It is called for
 * the first time in its process in the mode under test, so the first call includes the library's
 * first-use work (dlsym of the real function, the configuration, the cgroup's location from
 * /proc/self/mountinfo). The refresh entry points (lseek, rewind, fseek...) need a descriptor or
 * stream from open/fopen: that one is opened beforehand on the main stack, so their first call
 * finds the location already loaded.
 *
 * The depth: the stack below the caller's stack pointer is painted with a pattern, the entry
 * point called, and the stack scanned from its low end for the first word not holding the
 * pattern. It counts the bytes written, not those merely reserved by a frame, and the top
 * RED_ZONE bytes are not painted (a call that stays within them shows as RED_ZONE). Run
 * with and without the shim: the difference is the library's own frames. Link with
 * -z now, so that lazy binding's resolver does not stand in for the callee on first calls.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#ifndef _LARGEFILE64_SOURCE
#define _LARGEFILE64_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

/* musl maps the large-file names onto the plain ones with macros: drop them, so that the
 * probe calls the *64 symbols, which the shim exports too. */
#ifndef __GLIBC__
#undef open64
#undef openat64
#undef fopen64
#undef freopen64
#undef lseek64
#undef fseeko64
#undef fsetpos64
int open64(const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);
FILE *fopen64(const char *path, const char *mode);
FILE *freopen64(const char *path, const char *mode, FILE *stream);
off_t lseek64(int fd, off_t offset, int whence);
int fseeko64(FILE *f, off_t offset, int whence);
int fsetpos64(FILE *f, const fpos_t *pos);
typedef fpos_t probe_fpos64_t;
#else
/* The _FORTIFY_SOURCE entry points, declared by bits/fcntl2.h only under fortification. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
long __sysconf(int name);
typedef fpos64_t probe_fpos64_t;
#endif

#define MEMINFO      "/proc/meminfo"
#define OTHER        "/dev/null"
#define ALT_SIZE     8192
#define MEASURE_SIZE (256 * 1024)
#define MIN_THREAD   16384
#define GUARD_SIZE   (64 * 1024)
#define PATTERN      0x5ca1ab1e0ddba11ull
#define LATER_CALLS  2

#if defined(__x86_64__)
#define RED_ZONE 128
#else
#define RED_ZONE 64
#endif

enum entry {
        E_OPEN,
        E_OPEN64,
        E_OPENAT,
        E_OPENAT64,
#ifdef __GLIBC__
        E_OPEN_2,
        E_OPEN64_2,
        E_OPENAT_2,
        E_OPENAT64_2,
#endif
        E_FOPEN,
        E_FOPEN64,
        E_FREOPEN,
        E_FREOPEN64,
        E_LSEEK,
        E_LSEEK64,
        E_REWIND,
        E_FSEEK,
        E_FSEEKO,
        E_FSEEKO64,
        E_FSETPOS,
        E_FSETPOS64,
        E_SYSINFO,
        E_SYSCONF_PHYS,
        E_SYSCONF_AVPHYS,
#ifdef __GLIBC__
        E___SYSCONF_PHYS,
        E___SYSCONF_AVPHYS,
#endif
        E_GET_PHYS_PAGES,
        E_GET_AVPHYS_PAGES,
        E_SYSCONF_NPROCS,
#ifdef __GLIBC__
        E___SYSCONF_NPROCS,
#endif
        E_GET_NPROCS,
        E_OPEN_OTHER,
        E_OPEN64_OTHER,
        E_OPENAT_OTHER,
        E_OPENAT64_OTHER,
#ifdef __GLIBC__
        E_OPEN_2_OTHER,
        E_OPEN64_2_OTHER,
        E_OPENAT_2_OTHER,
        E_OPENAT64_2_OTHER,
#endif
        E_FOPEN_OTHER,
        E_FOPEN64_OTHER,
        E_COUNT
};

static const char *const entry_name[E_COUNT] = {
    [E_OPEN] = "open",
    [E_OPEN64] = "open64",
    [E_OPENAT] = "openat",
    [E_OPENAT64] = "openat64",
#ifdef __GLIBC__
    [E_OPEN_2] = "__open_2",
    [E_OPEN64_2] = "__open64_2",
    [E_OPENAT_2] = "__openat_2",
    [E_OPENAT64_2] = "__openat64_2",
#endif
    [E_FOPEN] = "fopen",
    [E_FOPEN64] = "fopen64",
    [E_FREOPEN] = "freopen",
    [E_FREOPEN64] = "freopen64",
    [E_LSEEK] = "lseek",
    [E_LSEEK64] = "lseek64",
    [E_REWIND] = "rewind",
    [E_FSEEK] = "fseek",
    [E_FSEEKO] = "fseeko",
    [E_FSEEKO64] = "fseeko64",
    [E_FSETPOS] = "fsetpos",
    [E_FSETPOS64] = "fsetpos64",
    [E_SYSINFO] = "sysinfo",
    [E_SYSCONF_PHYS] = "sysconf_phys",
    [E_SYSCONF_AVPHYS] = "sysconf_avphys",
#ifdef __GLIBC__
    [E___SYSCONF_PHYS] = "__sysconf_phys",
    [E___SYSCONF_AVPHYS] = "__sysconf_avphys",
#endif
    [E_GET_PHYS_PAGES] = "get_phys_pages",
    [E_GET_AVPHYS_PAGES] = "get_avphys_pages",
    [E_SYSCONF_NPROCS] = "sysconf_nprocs",
#ifdef __GLIBC__
    [E___SYSCONF_NPROCS] = "__sysconf_nprocs",
#endif
    [E_GET_NPROCS] = "get_nprocs",
    [E_OPEN_OTHER] = "open_other",
    [E_OPEN64_OTHER] = "open64_other",
    [E_OPENAT_OTHER] = "openat_other",
    [E_OPENAT64_OTHER] = "openat64_other",
#ifdef __GLIBC__
    [E_OPEN_2_OTHER] = "__open_2_other",
    [E_OPEN64_2_OTHER] = "__open64_2_other",
    [E_OPENAT_2_OTHER] = "__openat_2_other",
    [E_OPENAT64_2_OTHER] = "__openat64_2_other",
#endif
    [E_FOPEN_OTHER] = "fopen_other",
    [E_FOPEN64_OTHER] = "fopen64_other",
};

enum kind {
        K_FD_OPEN,
        K_STREAM_OPEN,
        K_STREAM_REOPEN,
        K_FD_SEEK,
        K_STREAM_SEEK,
        K_SYSINFO,
        K_PAGES,
        K_CPUS,
        K_FD_OTHER,
        K_STREAM_OTHER
};

static enum kind kind_of(enum entry e)
{
        switch (e) {
        case E_FOPEN:
        case E_FOPEN64:
                return K_STREAM_OPEN;
        case E_FREOPEN:
        case E_FREOPEN64:
                return K_STREAM_REOPEN;
        case E_LSEEK:
        case E_LSEEK64:
                return K_FD_SEEK;
        case E_REWIND:
        case E_FSEEK:
        case E_FSEEKO:
        case E_FSEEKO64:
        case E_FSETPOS:
        case E_FSETPOS64:
                return K_STREAM_SEEK;
        case E_SYSINFO:
                return K_SYSINFO;
        case E_SYSCONF_PHYS:
        case E_SYSCONF_AVPHYS:
#ifdef __GLIBC__
        case E___SYSCONF_PHYS:
        case E___SYSCONF_AVPHYS:
#endif
        case E_GET_PHYS_PAGES:
        case E_GET_AVPHYS_PAGES:
                return K_PAGES;
        case E_SYSCONF_NPROCS:
#ifdef __GLIBC__
        case E___SYSCONF_NPROCS:
#endif
        case E_GET_NPROCS:
                return K_CPUS;
        case E_OPEN_OTHER:
        case E_OPEN64_OTHER:
        case E_OPENAT_OTHER:
        case E_OPENAT64_OTHER:
#ifdef __GLIBC__
        case E_OPEN_2_OTHER:
        case E_OPEN64_2_OTHER:
        case E_OPENAT_2_OTHER:
        case E_OPENAT64_2_OTHER:
#endif
                return K_FD_OTHER;
        case E_FOPEN_OTHER:
        case E_FOPEN64_OTHER:
                return K_STREAM_OTHER;
        default:
                return K_FD_OPEN;
        }
}

/* The state of the one call under way: one entry point per process, one call at a time. */
static struct {
        int fd;
        FILE *f;
        fpos_t pos0;
        probe_fpos64_t pos0_64;
        struct sysinfo si;
        long ret;
        char buf[8192];
} cx = {.fd = -1};

/* The interposed call itself and nothing else; inlined, so that the measured depth starts
 * at its caller's stack pointer. */
static inline __attribute__((always_inline)) void call_entry(enum entry e)
{
        switch (e) {
        case E_OPEN:
                cx.fd = open(MEMINFO, O_RDONLY);
                break;
        case E_OPEN64:
                cx.fd = open64(MEMINFO, O_RDONLY);
                break;
        case E_OPENAT:
                cx.fd = openat(AT_FDCWD, MEMINFO, O_RDONLY);
                break;
        case E_OPENAT64:
                cx.fd = openat64(AT_FDCWD, MEMINFO, O_RDONLY);
                break;
#ifdef __GLIBC__
        case E_OPEN_2:
                cx.fd = __open_2(MEMINFO, O_RDONLY);
                break;
        case E_OPEN64_2:
                cx.fd = __open64_2(MEMINFO, O_RDONLY);
                break;
        case E_OPENAT_2:
                cx.fd = __openat_2(AT_FDCWD, MEMINFO, O_RDONLY);
                break;
        case E_OPENAT64_2:
                cx.fd = __openat64_2(AT_FDCWD, MEMINFO, O_RDONLY);
                break;
#endif
        case E_FOPEN:
                cx.f = fopen(MEMINFO, "r");
                break;
        case E_FOPEN64:
                cx.f = fopen64(MEMINFO, "r");
                break;
        case E_FREOPEN:
                cx.f = freopen(MEMINFO, "r", cx.f);
                break;
        case E_FREOPEN64:
                cx.f = freopen64(MEMINFO, "r", cx.f);
                break;
        case E_LSEEK:
                cx.ret = (long)lseek(cx.fd, 0, SEEK_SET);
                break;
        case E_LSEEK64:
                cx.ret = (long)lseek64(cx.fd, 0, SEEK_SET);
                break;
        case E_REWIND:
                rewind(cx.f);
                cx.ret = 0;
                break;
        case E_FSEEK:
                cx.ret = fseek(cx.f, 0, SEEK_SET);
                break;
        case E_FSEEKO:
                cx.ret = fseeko(cx.f, 0, SEEK_SET);
                break;
        case E_FSEEKO64:
                cx.ret = fseeko64(cx.f, 0, SEEK_SET);
                break;
        case E_FSETPOS:
                cx.ret = fsetpos(cx.f, &cx.pos0);
                break;
        case E_FSETPOS64:
                cx.ret = fsetpos64(cx.f, &cx.pos0_64);
                break;
        case E_SYSINFO:
                cx.ret = sysinfo(&cx.si);
                break;
        case E_SYSCONF_PHYS:
                cx.ret = sysconf(_SC_PHYS_PAGES);
                break;
        case E_SYSCONF_AVPHYS:
                cx.ret = sysconf(_SC_AVPHYS_PAGES);
                break;
#ifdef __GLIBC__
        case E___SYSCONF_PHYS:
                cx.ret = __sysconf(_SC_PHYS_PAGES);
                break;
        case E___SYSCONF_AVPHYS:
                cx.ret = __sysconf(_SC_AVPHYS_PAGES);
                break;
#endif
        case E_SYSCONF_NPROCS:
                cx.ret = sysconf(_SC_NPROCESSORS_ONLN);
                break;
#ifdef __GLIBC__
        case E___SYSCONF_NPROCS:
                cx.ret = __sysconf(_SC_NPROCESSORS_ONLN);
                break;
#endif
        case E_GET_NPROCS:
                cx.ret = get_nprocs();
                break;
        case E_GET_PHYS_PAGES:
                cx.ret = get_phys_pages();
                break;
        case E_GET_AVPHYS_PAGES:
                cx.ret = get_avphys_pages();
                break;
        case E_OPEN_OTHER:
                cx.fd = open(OTHER, O_RDONLY);
                break;
        case E_OPEN64_OTHER:
                cx.fd = open64(OTHER, O_RDONLY);
                break;
        case E_OPENAT_OTHER:
                cx.fd = openat(AT_FDCWD, OTHER, O_RDONLY);
                break;
        case E_OPENAT64_OTHER:
                cx.fd = openat64(AT_FDCWD, OTHER, O_RDONLY);
                break;
#ifdef __GLIBC__
        case E_OPEN_2_OTHER:
                cx.fd = __open_2(OTHER, O_RDONLY);
                break;
        case E_OPEN64_2_OTHER:
                cx.fd = __open64_2(OTHER, O_RDONLY);
                break;
        case E_OPENAT_2_OTHER:
                cx.fd = __openat_2(AT_FDCWD, OTHER, O_RDONLY);
                break;
        case E_OPENAT64_2_OTHER:
                cx.fd = __openat64_2(AT_FDCWD, OTHER, O_RDONLY);
                break;
#endif
        case E_FOPEN_OTHER:
                cx.f = fopen(OTHER, "r");
                break;
        case E_FOPEN64_OTHER:
                cx.f = fopen64(OTHER, "r");
                break;
        case E_COUNT:
                break;
        }
}

/* MemTotal in kB from /proc/meminfo text, or -1. No library calls. */
static long memtotal_kb(const char *s, long len)
{
        static const char key[] = "MemTotal:";
        for (long i = 0; i + (long)sizeof(key) - 1 <= len;) {
                long k = 0;
                while (key[k] && i + k < len && s[i + k] == key[k])
                        k++;
                if (!key[k]) {
                        long j = i + k, v = 0, digits = 0;
                        while (j < len && s[j] == ' ')
                                j++;
                        while (j < len && s[j] >= '0' && s[j] <= '9')
                                v = v * 10 + (s[j++] - '0'), digits++;
                        return digits ? v : -1;
                }
                while (i < len && s[i] != '\n')
                        i++;
                i++;
        }
        return -1;
}

static long fd_kb(int fd)
{
        long len = 0;
        for (;;) {
                ssize_t n = read(fd, cx.buf + len, sizeof(cx.buf) - (size_t)len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -1;
                if (n == 0)
                        break;
                len += n;
                if (len >= (long)sizeof(cx.buf))
                        return -1;
        }
        return memtotal_kb(cx.buf, len);
}

static long stream_kb(FILE *f)
{
        size_t len = 0, n;
        while (len < sizeof(cx.buf) && (n = fread(cx.buf + len, 1, sizeof(cx.buf) - len, f)) > 0)
                len += n;
        return memtotal_kb(cx.buf, (long)len);
}

/* What the call just made reports, in kB (MemTotal; for the page counts, pages times the
 * page size; 0 for an open of /dev/null that worked), or -1. Closes what an open returned;
 * keeps what the next call works on. */
static long result_kb(enum entry e)
{
        long kb = -1;
        switch (kind_of(e)) {
        case K_FD_OPEN:
                if (cx.fd < 0)
                        return -1;
                kb = fd_kb(cx.fd);
                close(cx.fd);
                cx.fd = -1;
                return kb;
        case K_STREAM_OPEN:
                if (!cx.f)
                        return -1;
                kb = stream_kb(cx.f);
                fclose(cx.f);
                cx.f = NULL;
                return kb;
        case K_STREAM_REOPEN:
                return cx.f ? stream_kb(cx.f) : -1;
        case K_FD_SEEK:
                return cx.ret == 0 ? fd_kb(cx.fd) : -1;
        case K_STREAM_SEEK:
                return cx.ret == 0 ? stream_kb(cx.f) : -1;
        case K_SYSINFO:
                if (cx.ret != 0)
                        return -1;
                return (long)((unsigned long long)cx.si.totalram * cx.si.mem_unit / 1024);
        case K_PAGES:
                return cx.ret < 0 ? -1 : cx.ret * (getpagesize() / 1024);
        case K_CPUS:
                return cx.ret; /* a count of CPUs, not kB */
        case K_FD_OTHER:
                if (cx.fd < 0)
                        return -1;
                close(cx.fd);
                cx.fd = -1;
                return 0;
        case K_STREAM_OTHER:
                if (!cx.f)
                        return -1;
                fclose(cx.f);
                cx.f = NULL;
                return 0;
        }
        return -1;
}

/* What the refresh entry points and freopen work on, opened on the main stack. */
static int setup(enum entry e)
{
        switch (kind_of(e)) {
        case K_FD_SEEK:
                cx.fd = open(MEMINFO, O_RDONLY);
                return cx.fd >= 0 && fd_kb(cx.fd) > 0 ? 0 : -1;
        case K_STREAM_SEEK:
                cx.f = fopen(MEMINFO, "r");
                if (!cx.f || fgetpos(cx.f, &cx.pos0) != 0)
                        return -1;
#ifdef __GLIBC__
                if (fgetpos64(cx.f, &cx.pos0_64) != 0)
                        return -1;
#else
                cx.pos0_64 = cx.pos0;
#endif
                return stream_kb(cx.f) > 0 ? 0 : -1;
        case K_STREAM_REOPEN: {
                /* A stream the interposed names have not touched. */
                long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
                cx.f = fd >= 0 ? fdopen((int)fd, "r") : NULL;
                return cx.f ? 0 : -1;
        }
        default:
                return 0;
        }
}

/* ------------------------------------------------------------- stacks */

/* size bytes of stack with GUARD_SIZE bytes of PROT_NONE right below them. One guard page
 * is not enough to catch an overflow: without -fstack-clash-protection, a frame larger than
 * a page moves the stack pointer past it and writes into whatever is mapped below (seen
 * with musl, where a 20 KiB-deep call on the 8 KiB sigaltstack returned normally). */
static char *map_stack(size_t size)
{
        char *p = mmap(NULL, size + GUARD_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (p == MAP_FAILED || mprotect(p, GUARD_SIZE, PROT_NONE) != 0) {
                perror("stackprobe: mmap");
                exit(3);
        }
        return p + GUARD_SIZE;
}

static inline __attribute__((always_inline)) void paint(char *lo, char *hi)
{
        for (volatile uint64_t *p = (volatile uint64_t *)lo; (char *)p < hi; p++)
                *p = PATTERN;
}

/* Bytes from lo up to the first one written since paint(lo, ...). */
static inline __attribute__((always_inline)) size_t untouched(const char *lo, const char *hi)
{
        const volatile uint64_t *p = (const volatile uint64_t *)lo;
        while ((const char *)p < hi && *p == PATTERN)
                p++;
        return (size_t)((const char *)p - lo);
}

static enum entry g_entry;
static long g_kb[1 + LATER_CALLS];

/* The later calls' figures, separated by spaces. */
static const char *later_kb(void)
{
        static char text[(1 + LATER_CALLS) * 24];
        size_t len = 0;
        for (int i = 1; i <= LATER_CALLS && len < sizeof(text); i++)
                len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%ld", i > 1 ? " " : "",
                                        g_kb[i]);
        return text;
}

static void start_thread(void *(*fn)(void *), char *stack, size_t size)
{
        pthread_attr_t attr;
        pthread_t t;
        int r = pthread_attr_init(&attr);
        if (r == 0 && stack)
                r = pthread_attr_setstack(&attr, stack, size);
        if (r == 0)
                r = pthread_create(&t, &attr, fn, NULL);
        if (r == 0)
                r = pthread_join(t, NULL);
        if (r != 0) {
                fprintf(stderr, "stackprobe: thread: %s\n", strerror(r));
                exit(3);
        }
        pthread_attr_destroy(&attr);
}

/* --------------------------------------------------------- small thread */

static void *small_thread(void *arg)
{
        (void)arg;
        for (int i = 0; i <= LATER_CALLS; i++) {
                call_entry(g_entry);
                g_kb[i] = result_kb(g_entry);
        }
        return NULL;
}

static int mode_thread(size_t size)
{
        size_t page = (size_t)getpagesize();
        size = (size + page - 1) / page * page;
        char *stack = map_stack(size);
        paint(stack, stack + size);
        start_thread(small_thread, stack, size);
        const char *n = entry_name[g_entry];
        printf("thread_%s_first_kb=%ld\nthread_%s_later_kb=%s\nthread_%s_headroom=%zu\n", n,
               g_kb[0], n, later_kb(), n, untouched(stack, stack + size));
        return 0;
}

/* ------------------------------------------------------------ altstack */

static volatile sig_atomic_t h_calls;
static char *alt;

static void on_usr1(int sig)
{
        (void)sig;
        int saved = errno;
        int i = h_calls;
        call_entry(g_entry);
        g_kb[i] = result_kb(g_entry);
        h_calls = i + 1;
        errno = saved;
}

static void *alt_thread(void *arg)
{
        (void)arg;
        stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
        if (sigaltstack(&ss, NULL) != 0) {
                perror("stackprobe: sigaltstack");
                exit(3);
        }
        /* Raised by this thread for itself, outside any libc call: the handler interrupts
         * no lock holder, so stdio is safe in it. */
        for (int i = 0; i <= LATER_CALLS; i++)
                raise(SIGUSR1);
        ss.ss_flags = SS_DISABLE;
        sigaltstack(&ss, NULL);
        return NULL;
}

static int mode_altstack(void)
{
        alt = map_stack(ALT_SIZE);
        paint(alt, alt + ALT_SIZE);
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);
        start_thread(alt_thread, NULL, 0);
        const char *n = entry_name[g_entry];
        printf("altstack_%s_calls=%d\naltstack_%s_first_kb=%ld\naltstack_%s_later_kb=%s\n"
               "altstack_%s_headroom=%zu\n",
               n, (int)h_calls, n, g_kb[0], n, later_kb(), n, untouched(alt, alt + ALT_SIZE));
        return 0;
}

/* -------------------------------------------------------------- measure */

static char *measure_lo;

static inline __attribute__((always_inline)) char *stack_pointer(void)
{
        char *sp;
#if defined(__x86_64__)
        __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
        __asm__ volatile("mov %0, sp" : "=r"(sp));
#else
        sp = (char *)__builtin_frame_address(0) - 512;
#endif
        return sp;
}

/* Paints everything below this frame but the red zone, then makes the call. Returns the
 * stack pointer the call started from. */
static __attribute__((noinline)) char *paint_and_call(enum entry e)
{
        char *sp = stack_pointer();
        paint(measure_lo, (char *)((uintptr_t)(sp - RED_ZONE) & ~(uintptr_t)7));
        call_entry(e);
        return sp;
}

static __attribute__((noinline)) long measure_once(enum entry e)
{
        char *sp = paint_and_call(e);
        char *top = (char *)((uintptr_t)(sp - RED_ZONE) & ~(uintptr_t)7);
        return (long)(sp - (measure_lo + untouched(measure_lo, top)));
}

static long g_depth[1 + LATER_CALLS];

static void *measure_thread(void *arg)
{
        (void)arg;
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, NULL);
        for (int i = 0; i <= LATER_CALLS; i++) {
                g_depth[i] = measure_once(g_entry);
                g_kb[i] = result_kb(g_entry);
        }
        return NULL;
}

static int mode_measure(void)
{
        measure_lo = map_stack(MEASURE_SIZE);
        start_thread(measure_thread, measure_lo, MEASURE_SIZE);
        long warm = 0;
        for (int i = 1; i <= LATER_CALLS; i++)
                if (g_depth[i] > warm)
                        warm = g_depth[i];
        const char *n = entry_name[g_entry];
        printf("stack_%s_first=%ld\nstack_%s_warm=%ld\nmeasure_%s_first_kb=%ld\n"
               "measure_%s_later_kb=%s\n",
               n, g_depth[0], n, warm, n, g_kb[0], n, later_kb());
        return 0;
}

/* ------------------------------------------------------------------ all */

static void run_child(const char *self, const char *mode, const char *entry, const char *arg)
{
        fflush(stdout);
        pid_t p = fork();
        if (p == 0) {
                char *argv[] = {(char *)self, (char *)mode, (char *)entry, (char *)arg, NULL};
                execv("/proc/self/exe", argv);
                execv(self, argv);
                _exit(127);
        }
        int st = 0;
        if (p < 0 || waitpid(p, &st, 0) != p) {
                printf("%s_%s_status=fork_failed\n", mode, entry);
                return;
        }
        if (WIFSIGNALED(st))
                printf("%s_%s_status=signal_%d\n", mode, entry, WTERMSIG(st));
        else
                printf("%s_%s_status=exit_%d\n", mode, entry, WEXITSTATUS(st));
}

static int mode_all(const char *self)
{
        /* Asked here, not in the child: glibc 2.34+ defines PTHREAD_STACK_MIN as a __sysconf
         * call, which would be the child's first call of that entry point. */
        long min = sysconf(_SC_THREAD_STACK_MIN);
        if (min < MIN_THREAD)
                min = MIN_THREAD;
        char size[32];
        snprintf(size, sizeof(size), "%ld", min);
        printf("thread_stack=%ld\naltstack_size=%d\nmeasure_stack=%d\nentries=", min, ALT_SIZE,
               MEASURE_SIZE);
        for (int e = 0; e < E_COUNT; e++)
                printf("%s%s", e ? " " : "", entry_name[e]);
        printf("\n");
        for (int e = 0; e < E_COUNT; e++) {
                run_child(self, "thread", entry_name[e], size);
                run_child(self, "altstack", entry_name[e], NULL);
                run_child(self, "measure", entry_name[e], NULL);
        }
        return 0;
}

int main(int argc, char **argv)
{
        if (argc >= 2 && strcmp(argv[1], "all") == 0)
                return mode_all(argv[0]);
        if (argc < 3) {
                fprintf(stderr, "usage: stackprobe all | thread ENTRY SIZE | altstack ENTRY | "
                                "measure ENTRY\n");
                return 2;
        }
        int e = 0;
        while (e < E_COUNT && strcmp(entry_name[e], argv[2]) != 0)
                e++;
        if (e == E_COUNT) {
                fprintf(stderr, "stackprobe: unknown entry point %s\n", argv[2]);
                return 2;
        }
        g_entry = (enum entry)e;
        for (int i = 0; i <= LATER_CALLS; i++)
                g_kb[i] = -3; /* not called */
        if (setup(g_entry) != 0) {
                printf("setup_%s=failed\n", argv[2]);
                return 3;
        }
        if (strcmp(argv[1], "thread") == 0 && argc >= 4)
                return mode_thread((size_t)strtoul(argv[3], NULL, 10));
        if (strcmp(argv[1], "altstack") == 0)
                return mode_altstack();
        if (strcmp(argv[1], "measure") == 0)
                return mode_measure();
        fprintf(stderr, "stackprobe: bad mode %s\n", argv[1]);
        return 2;
}
