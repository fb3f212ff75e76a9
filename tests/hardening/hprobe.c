/* Hardening probe for cglimits: one program, one mode per case (see README.md).
 * Prints key=value lines on stdout; the scripts compare them with and without the shim.
 *
 *   hprobe read                 open/read/close /proc/meminfo, sysinfo, sysconf, ids
 *   hprobe fdedge LEFT open|fopen   fill the fd table up to LEFT free slots, then open
 *   hprobe keep FIFO_IN         open, read, wait for a line on FIFO_IN, lseek 0, read again
 *   hprobe stress               64 threads (HPROBE_THREADS) for HPROBE_SECONDS (10)
 *   hprobe signals              nested SIGALRM/SIGUSR1 handlers inside the shim (counts)
 *   hprobe interrupt            a handler at every system call of a load (syscall_hook.so)
 *   hprobe forks                fork in a multithreaded program (HPROBE_SECONDS, 3)
 *   hprobe vfork PROG ARGS...   vfork + execv PROG, report its exit status
 *   hprobe childreads fork|vfork children read /proc/meminfo before _exit; parent's fds
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ 16384

/* Well-formed /proc/meminfo text: every line "Key:<spaces>digits[ kB]\n", MemTotal, MemFree
 * and MemAvailable present, MemFree <= MemTotal. Returns MemTotal in kB, or -1.
 * Async-signal-safe (no stdio, no allocation). */
static long check_meminfo(const char *buf, long len)
{
        if (len <= 0 || buf[len - 1] != '\n')
                return -1;
        long total = -1, free_kb = -1, avail = -1;
        long i = 0;
        while (i < len) {
                long ks = i;
                while (i < len && buf[i] != ':' && buf[i] != '\n' && buf[i] != ' ')
                        i++;
                if (i >= len || buf[i] != ':' || i == ks)
                        return -1;
                long klen = i - ks;
                i++;
                long sp = 0;
                while (i < len && buf[i] == ' ')
                        i++, sp++;
                if (sp == 0)
                        return -1;
                long v = 0, nd = 0;
                while (i < len && buf[i] >= '0' && buf[i] <= '9')
                        v = v * 10 + (buf[i++] - '0'), nd++;
                if (nd == 0)
                        return -1;
                if (i + 3 <= len && buf[i] == ' ' && buf[i + 1] == 'k' && buf[i + 2] == 'B')
                        i += 3;
                if (i >= len || buf[i] != '\n')
                        return -1;
                i++;
                const char *k = buf + ks;
                if (klen == 8 && memcmp(k, "MemTotal", 8) == 0)
                        total = v;
                else if (klen == 7 && memcmp(k, "MemFree", 7) == 0)
                        free_kb = v;
                else if (klen == 12 && memcmp(k, "MemAvailable", 12) == 0)
                        avail = v;
        }
        if (total < 0 || free_kb < 0 || avail < 0 || free_kb > total)
                return -1;
        return total;
}

static long read_all(int fd, char *buf, long cap)
{
        long len = 0;
        for (;;) {
                ssize_t n = read(fd, buf + len, (size_t)(cap - len));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -1;
                if (n == 0)
                        return len;
                len += n;
                if (len >= cap)
                        return -1;
        }
}

/* Open descriptors, counted with fcntl (which works without /proc). The library keeps none
 * between calls, so any difference is a leak. */
static int count_fds(void)
{
        struct rlimit rl;
        long max = 65536;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
                max = (long)rl.rlim_cur;
        int n = 0;
        for (long fd = 0; fd < max; fd++)
                if (fcntl((int)fd, F_GETFD) >= 0)
                        n++;
        return n;
}

static const char *errname(int e)
{
        switch (e) {
        case 0:
                return "0";
        case ENOENT:
                return "ENOENT";
        case EMFILE:
                return "EMFILE";
        case EACCES:
                return "EACCES";
        case EPERM:
                return "EPERM";
        case ENFILE:
                return "ENFILE";
        case 1234:
                return "1234";
        default: {
                static char b[16];
                snprintf(b, sizeof(b), "%d", e);
                return b;
        }
        }
}

static long env_long(const char *name, long def)
{
        const char *s = getenv(name);
        return s && *s ? strtol(s, NULL, 10) : def;
}

static long expected_total(void)
{
        return env_long("HPROBE_EXPECT_KB", 262144);
}

/* ------------------------------------------------------------------ read */

static int mode_read(void)
{
        static char buf[BUFSZ];
        int fds0 = count_fds();
        errno = 1234;
        int fd = open("/proc/meminfo", O_RDONLY);
        int e = errno;
        printf("open_rc=%s\n", fd >= 0 ? "ok" : "-1");
        printf("open_errno=%s\n", errname(e));
        if (fd >= 0) {
                long len = read_all(fd, buf, sizeof(buf));
                printf("memtotal_kb=%ld\n", check_meminfo(buf, len));
                struct stat st;
                fstat(fd, &st);
                char link[64], target[256] = "";
                snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
                ssize_t tl = readlink(link, target, sizeof(target) - 1);
                if (tl > 0)
                        target[tl] = 0;
                printf("fd_target=%s\n", target[0] ? target : "?");
                close(fd);
        }
        printf("fd_leak=%d\n", count_fds() - fds0);
        errno = 1234;
        FILE *f = fopen("/proc/meminfo", "r");
        e = errno;
        printf("fopen_rc=%s\nfopen_errno=%s\n", f ? "ok" : "NULL", errname(e));
        if (f) {
                long len = (long)fread(buf, 1, sizeof(buf) - 1, f);
                printf("fopen_memtotal_kb=%ld\n", check_meminfo(buf, len));
                fclose(f);
        }
        struct sysinfo si;
        errno = 1234;
        int r = sysinfo(&si);
        e = errno;
        printf("sysinfo_rc=%d\nsysinfo_errno=%s\n", r, errname(e));
        if (r == 0)
                printf("sysinfo_totalram_kb=%llu\n",
                       (unsigned long long)si.totalram * si.mem_unit / 1024);
        errno = 1234;
        long pages = sysconf(_SC_PHYS_PAGES);
        e = errno;
        printf("sysconf_phys_kb=%ld\nsysconf_errno=%s\n", pages * (sysconf(_SC_PAGESIZE) / 1024),
               errname(e));
        errno = 1234;
        long onln = sysconf(_SC_NPROCESSORS_ONLN);
        int nprocs = get_nprocs();
        e = errno;
        printf("nprocs_onln=%ld\nget_nprocs=%d\nnprocs_errno=%s\n", onln, nprocs, errname(e));
        /* A stream without a descriptor: fileno() fails with EBADF inside the seek
         * wrappers, which must not leak into the caller's errno. */
        char mem[16] = "";
        FILE *ms = fmemopen(mem, sizeof(mem), "r");
        errno = 1234;
        if (ms) {
                rewind(ms);
                fseek(ms, 0, SEEK_SET);
                fclose(ms);
        }
        printf("memstream_seek_errno=%s\n", ms ? errname(errno) : "no-fmemopen");
        printf("uid=%d\neuid=%d\n", (int)getuid(), (int)geteuid());
        printf("fds_end_leak=%d\n", count_fds() - fds0);
        return 0;
}

/* ---------------------------------------------------------------- fdedge */

static int mode_fdedge(int left, int use_fopen)
{
        static char buf[BUFSZ];
        struct rlimit rl = {64, 64};
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
                rl.rlim_cur = 64;
                if (rl.rlim_max < 64)
                        rl.rlim_cur = rl.rlim_max;
        }
        setrlimit(RLIMIT_NOFILE, &rl);
        int fds[1024], n = 0;
        for (;;) {
                int fd = open("/dev/null", O_RDONLY);
                if (fd < 0)
                        break;
                fds[n++] = fd;
        }
        for (int i = 0; i < left && n > 0; i++)
                close(fds[--n]);
        int before = count_fds();
        errno = 1234;
        int fd = -1;
        FILE *f = NULL;
        if (use_fopen) {
                f = fopen("/proc/meminfo", "r");
                fd = f ? fileno(f) : -1;
        } else {
                fd = open("/proc/meminfo", O_RDONLY);
        }
        int e = errno;
        printf("left=%d\nopen_rc=%s\nopen_errno=%s\n", left, fd >= 0 ? "ok" : "-1", errname(e));
        if (fd >= 0) {
                long len;
                if (f) {
                        len = (long)fread(buf, 1, sizeof(buf) - 1, f);
                } else {
                        len = read_all(fd, buf, sizeof(buf));
                }
                printf("memtotal_kb=%ld\n", check_meminfo(buf, len));
                char link[64], target[256] = "";
                snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
                ssize_t tl = readlink(link, target, sizeof(target) - 1);
                if (tl > 0)
                        target[tl] = 0;
                printf("fd_target=%s\n", target);
                if (f)
                        fclose(f);
                else
                        close(fd);
        }
        printf("fd_leak=%d\n", count_fds() - before);
        /* exactly LEFT descriptors can still be opened */
        int got = 0;
        for (;;) {
                int x = open("/dev/null", O_RDONLY);
                if (x < 0)
                        break;
                got++;
        }
        printf("free_slots_after=%d\n", got);
        return 0;
}

/* ------------------------------------------------------------------ keep */

static int mode_keep(const char *fifo)
{
        static char buf[BUFSZ];
        int fd = open("/proc/meminfo", O_RDONLY);
        if (fd < 0) {
                printf("open_failed=%s\n", errname(errno));
                return 1;
        }
        long len = read_all(fd, buf, sizeof(buf));
        printf("first_memtotal_kb=%ld\n", check_meminfo(buf, len));
        printf("ready=1\n");
        fflush(stdout);
        int in = open(fifo, O_RDONLY);
        char c;
        while (in >= 0 && read(in, &c, 1) == 1 && c != '\n')
                ;
        errno = 1234;
        off_t off = lseek(fd, 0, SEEK_SET);
        int e1 = errno;
        len = read_all(fd, buf, sizeof(buf));
        int e2 = errno;
        printf("lseek_rc=%lld\nlseek_errno=%s\nread_errno=%s\n", (long long)off, errname(e1),
               errname(e2));
        printf("second_memtotal_kb=%ld\n", check_meminfo(buf, len));
        errno = 1234;
        FILE *f = fopen("/proc/meminfo", "r");
        if (f) {
                len = (long)fread(buf, 1, sizeof(buf) - 1, f);
                printf("fresh_open_memtotal_kb=%ld\n", check_meminfo(buf, len));
                fclose(f);
        }
        struct sysinfo si;
        if (sysinfo(&si) == 0)
                printf("sysinfo_totalram_kb=%llu\n",
                       (unsigned long long)si.totalram * si.mem_unit / 1024);
        return 0;
}

/* ---------------------------------------------------------------- stress */

static volatile int stop;
static long g_bad, g_ops;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

static void *stress_thread(void *arg)
{
        long id = (long)arg, ops = 0, bad = 0, want = expected_total();
        char *buf = malloc(BUFSZ);
        int kept = open("/proc/meminfo", O_RDONLY);
        FILE *kf = fopen("/proc/meminfo", "r");
        if (kept < 0 || !kf)
                bad++;
        while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
                long step = (ops + id) % 5, len, t;
                if (step == 0) {
                        int fd = open("/proc/meminfo", O_RDONLY | (ops & 1 ? O_CLOEXEC : 0));
                        len = fd >= 0 ? read_all(fd, buf, BUFSZ) : -1;
                        if (fd >= 0)
                                close(fd);
                        t = check_meminfo(buf, len);
                } else if (step == 1 && kept >= 0) {
                        lseek(kept, 0, SEEK_SET);
                        len = read_all(kept, buf, BUFSZ);
                        t = check_meminfo(buf, len);
                } else if (step == 2 && kf) {
                        rewind(kf);
                        len = 0;
                        while (fgets(buf + len, (int)(BUFSZ - len), kf))
                                len += (long)strlen(buf + len);
                        t = check_meminfo(buf, len);
                } else if (step == 3) {
                        FILE *f = fopen("/proc/meminfo", ops & 1 ? "re" : "r");
                        len = f ? (long)fread(buf, 1, BUFSZ - 1, f) : -1;
                        if (f)
                                fclose(f);
                        t = check_meminfo(buf, len);
                } else {
                        struct sysinfo si;
                        t = sysinfo(&si) == 0 ? (long)(si.totalram * si.mem_unit / 1024) : -1;
                        if (t == want &&
                            sysconf(_SC_PHYS_PAGES) * (sysconf(_SC_PAGESIZE) / 1024) != want)
                                t = -2;
                }
                if (t != want) {
                        if (bad < 3)
                                fprintf(stderr, "thread %ld step %ld: got %ld\n", id, step, t);
                        bad++;
                }
                ops++;
        }
        if (kept >= 0)
                close(kept);
        if (kf)
                fclose(kf);
        free(buf);
        pthread_mutex_lock(&g_mu);
        g_bad += bad;
        g_ops += ops;
        pthread_mutex_unlock(&g_mu);
        return NULL;
}

static int mode_stress(void)
{
        int nthreads = (int)env_long("HPROBE_THREADS", 64);
        long secs = env_long("HPROBE_SECONDS", 10);
        int fds0 = count_fds();
        pthread_t th[512];
        if (nthreads > 512)
                nthreads = 512;
        for (long i = 0; i < nthreads; i++)
                pthread_create(&th[i], NULL, stress_thread, (void *)i);
        sleep((unsigned)secs);
        __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < nthreads; i++)
                pthread_join(th[i], NULL);
        printf("threads=%d\nseconds=%ld\nops=%ld\nbad=%ld\nfd_leak=%d\n", nthreads, secs, g_ops,
               g_bad, count_fds() - fds0);
        return 0;
}

/* --------------------------------------------------------------- signals */

/* Handlers read with buffers of their own invocation: with SA_NODEFER and two signals a
 * handler interrupts another, and a buffer shared between them (a static one, even per
 * thread) would be overwritten under the interrupted one's parse. */
static volatile sig_atomic_t stop_signals;
static long h_want;
static pthread_t main_thread;
static int h_calls, h_cg, h_host, h_bad, h_sysinfo_bad, h_depth, h_nested;

static void count(int *v)
{
        __atomic_add_fetch(v, 1, __ATOMIC_RELAXED);
}

/* One open/read/close and one sysinfo, checked: the cgroup's figures, the host's, or bad. */
static void handler_reads(void)
{
        char buf[4096];
        int fd = open("/proc/meminfo", O_RDONLY);
        long t = -1;
        if (fd >= 0) {
                t = check_meminfo(buf, read_all(fd, buf, sizeof(buf)));
                close(fd);
        }
        if (t == h_want)
                count(&h_cg);
        else if (t > 0)
                count(&h_host);
        else
                count(&h_bad);
        struct sysinfo si;
        if (sysinfo(&si) != 0 || si.totalram == 0)
                count(&h_sysinfo_bad);
}

static void handler(int sig)
{
        (void)sig;
        int saved = errno;
        int depth = __atomic_add_fetch(&h_depth, 1, __ATOMIC_RELAXED);
        /* A timer faster than a handler would nest without end: four levels read. */
        if (depth <= 4) {
                count(&h_calls);
                if (depth > 1)
                        count(&h_nested);
                handler_reads();
        }
        __atomic_sub_fetch(&h_depth, 1, __ATOMIC_RELAXED);
        errno = saved;
}

static void *usr1_thread(void *arg)
{
        (void)arg;
        struct timespec ts = {0, 300000};
        while (!stop_signals) {
                pthread_kill(main_thread, SIGUSR1);
                nanosleep(&ts, NULL);
        }
        return NULL;
}

/* Installs fn for on_stack (SA_NODEFER, on the thread's stack) and for alt (SA_NODEFER,
 * SA_ONSTACK, on a 1 MiB alternate stack set up here). */
static void install_nested_handlers(void (*fn)(int), int on_stack, int alt)
{
        stack_t ss = {.ss_size = 1 << 20, .ss_flags = 0};
        ss.ss_sp = malloc(ss.ss_size);
        sigaltstack(&ss, NULL);
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = fn;
        sa.sa_flags = SA_RESTART | SA_NODEFER;
        sigaction(on_stack, &sa, NULL);
        sa.sa_flags |= SA_ONSTACK;
        sigaction(alt, &sa, NULL);
}

/* Runs until the main loop has made HPROBE_LOOPS reads and the handlers HPROBE_HANDLER_CALLS
 * (counts, not time: a loaded machine takes longer, it does not fail); HPROBE_SECONDS only
 * bounds a run that would otherwise hang. SIGALRM (itimer) runs on the thread's stack,
 * SIGUSR1 (another thread) on an alternate stack, both SA_NODEFER: handlers interrupt the
 * main loop inside the shim, each other, and themselves. */
static int mode_signals(void)
{
        long want_loops = env_long("HPROBE_LOOPS", 300);
        long want_calls = env_long("HPROBE_HANDLER_CALLS", 3000);
        long secs = env_long("HPROBE_SECONDS", 600);
        h_want = expected_total();
        main_thread = pthread_self();
        int fds0 = count_fds();
        install_nested_handlers(handler, SIGALRM, SIGUSR1);
        pthread_t t;
        pthread_create(&t, NULL, usr1_thread, NULL);
        struct itimerval it = {{0, 200}, {0, 200}};
        setitimer(ITIMER_REAL, &it, NULL);
        time_t end = time(NULL) + secs;
        long loops = 0, bad = 0;
        static char buf[BUFSZ];
        while ((loops < want_loops || __atomic_load_n(&h_calls, __ATOMIC_RELAXED) < want_calls) &&
               time(NULL) < end) {
                int fd = open("/proc/meminfo", O_RDONLY);
                long v = -1;
                if (fd >= 0) {
                        v = check_meminfo(buf, read_all(fd, buf, BUFSZ));
                        close(fd);
                }
                if (v != h_want)
                        bad++;
                loops++;
        }
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
        stop_signals = 1;
        pthread_join(t, NULL);
        signal(SIGALRM, SIG_IGN);
        signal(SIGUSR1, SIG_IGN);
        printf("main_loops=%ld\nmain_bad=%ld\nhandler_calls=%d\nhandler_nested=%d\n"
               "handler_cgroup=%d\nhandler_host=%d\nhandler_bad=%d\nhandler_sysinfo_bad=%d\n"
               "fd_leak=%d\n",
               loops, bad, h_calls, h_nested, h_cg, h_host, h_bad, h_sysinfo_bad,
               count_fds() - fds0);
        return 0;
}

/* ------------------------------------------------------------- interrupt */

/* With syscall_hook.so preloaded before the shim: for every entry point, a handler is made
 * to run right before the 1st, 2nd, ... system call the shim makes for it, until a call
 * makes fewer; the handler itself reads (open, sysinfo, and a refresh of the descriptor
 * the interrupted call may be refreshing), and is in turn interrupted at each step of its
 * own read by a second handler on an alternate stack. The first load of a process (the
 * uncached discovery) is interrupted the same way, each step in a fresh child. Every read,
 * interrupted or interrupting, must be well-formed with the cgroup's figures, errno kept. */
static void (*hook_arm)(int, int);
static int i_fd = -1, i_inner_at, i_calls, i_bad, i_errno_bad;
static long i_want;
static long i_want_cpus; /* under CGLIMITS_CPUS=N: N, which handlers check too; else 0 */

static void i_check_text(int fd, int seek)
{
        char buf[4096];
        if (seek && lseek(fd, 0, SEEK_SET) != 0) {
                count(&i_bad);
                return;
        }
        if (check_meminfo(buf, read_all(fd, buf, sizeof(buf))) != i_want)
                count(&i_bad);
}

static void i_reads(void)
{
        errno = 4321;
        int fd = open("/proc/meminfo", O_RDONLY);
        if (fd < 0) {
                count(&i_bad);
        } else {
                i_check_text(fd, 0);
                close(fd);
        }
        struct sysinfo si;
        if (sysinfo(&si) != 0 || (long)(si.totalram / 1024 * si.mem_unit) != i_want)
                count(&i_bad);
        if (i_fd >= 0)
                i_check_text(i_fd, 1);
        if (i_want_cpus &&
            (sysconf(_SC_NPROCESSORS_ONLN) != i_want_cpus || get_nprocs() != i_want_cpus))
                count(&i_bad);
        if (errno != 4321)
                count(&i_errno_bad);
}

static void i_handler(int sig)
{
        int saved = errno;
        count(&i_calls);
        if (sig == SIGUSR1 && i_inner_at > 0)
                hook_arm(i_inner_at, SIGUSR2);
        i_reads();
        errno = saved;
}

enum { I_OPEN, I_FOPEN, I_SYSINFO, I_SYSCONF, I_REFRESH, I_COUNT };
static const char *const i_names[] = {"open", "fopen", "sysinfo", "sysconf", "refresh"};

/* One call of the entry point, checked; returns 0 when its result was right. */
static int i_call(int which)
{
        char buf[4096];
        errno = 1234;
        int ok = 0;
        switch (which) {
        case I_OPEN: {
                int fd = open("/proc/meminfo", O_RDONLY);
                if (fd >= 0) {
                        ok = check_meminfo(buf, read_all(fd, buf, sizeof(buf))) == i_want;
                        close(fd);
                }
                break;
        }
        case I_FOPEN: {
                FILE *f = fopen("/proc/meminfo", "r");
                if (f) {
                        size_t n = fread(buf, 1, sizeof(buf), f);
                        ok = check_meminfo(buf, (long)n) == i_want;
                        fclose(f);
                }
                break;
        }
        case I_SYSINFO: {
                struct sysinfo si;
                ok = sysinfo(&si) == 0 && (long)(si.totalram / 1024 * si.mem_unit) == i_want;
                break;
        }
        case I_SYSCONF:
                ok = sysconf(_SC_PHYS_PAGES) * (sysconf(_SC_PAGESIZE) / 1024) == i_want;
                break;
        case I_REFRESH:
                ok = lseek(i_fd, 0, SEEK_SET) == 0 &&
                     check_meminfo(buf, read_all(i_fd, buf, sizeof(buf))) == i_want;
                break;
        }
        if (errno != 1234)
                count(&i_errno_bad);
        return ok ? 0 : 1;
}

/* For k = 1, 2 ...: a fresh child runs call(k), which arms the hook for its kth system call;
 * stops at the first k the call no longer reaches. Counts the steps interrupted, and the
 * children whose reads were bad or that did not exit. */
static void each_step_in_a_child(int (*call)(int k), int *steps, int *bad)
{
        for (int k = 1; k < 400; k++) {
                pid_t p = fork();
                if (p == 0) {
                        int wrong = call(k);
                        _exit(i_calls == 0 ? 3 : (wrong || i_bad || i_errno_bad) ? 1 : 0);
                }
                int st = 0;
                if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st)) {
                        (*bad)++;
                        return;
                }
                if (WEXITSTATUS(st) == 3)
                        return;
                (*steps)++;
                if (WEXITSTATUS(st) != 0)
                        (*bad)++;
        }
}

/* The uncached first load, through open. */
static int first_open(int k)
{
        hook_arm(k, SIGUSR1);
        int wrong = i_call(I_OPEN);
        hook_arm(0, 0);
        return wrong;
}

/* The CPU count's load through sysconf; get_nprocs, asked afterwards, must agree. */
static int first_cpus(int k)
{
        hook_arm(k, SIGUSR1);
        errno = 1234;
        int wrong = sysconf(_SC_NPROCESSORS_ONLN) != i_want_cpus || errno != 1234;
        hook_arm(0, 0);
        return wrong || get_nprocs() != i_want_cpus;
}

static int mode_interrupt(void)
{
        hook_arm = (void (*)(int, int))dlsym(RTLD_DEFAULT, "syscall_hook_arm");
        if (!hook_arm) {
                printf("hook=missing\n");
                return 1;
        }
        i_want = expected_total();
        install_nested_handlers(i_handler, SIGUSR1, SIGUSR2);

        /* The first load of a process, each step in a fresh child. */
        int first_steps = 0, first_bad = 0;
        each_step_in_a_child(first_open, &first_steps, &first_bad);
        printf("first_load_steps_interrupted=%d\nfirst_load_bad=%d\n", first_steps, first_bad);

        /* The CPU count's load (affinity, discovery, the quota files), each step in a fresh
         * child: within a process the quota is remembered for a second. */
        const char *cpus_env = getenv("CGLIMITS_CPUS");
        i_want_cpus = cpus_env ? atol(cpus_env) : 0;
        int cpu_steps = 0, cpu_bad = 0;
        if (i_want_cpus > 0)
                each_step_in_a_child(first_cpus, &cpu_steps, &cpu_bad);
        printf("cpus_steps_interrupted=%d\ncpus_bad=%d\n", cpu_steps, cpu_bad);

        int fds0 = count_fds();
        i_fd = open("/proc/meminfo", O_RDONLY);
        int total_bad = 0;
        for (int which = 0; which < I_COUNT; which++) {
                int steps = 0, outer_bad = 0, nested = 0;
                for (int k = 1; k < 400; k++) {
                        int fired_any = 0;
                        for (int j = 0; j < 400; j++) {
                                int before = i_calls;
                                i_inner_at = j;
                                hook_arm(k, SIGUSR1);
                                outer_bad += i_call(which);
                                hook_arm(0, 0);
                                int fired = i_calls - before;
                                if (fired == 0)
                                        break; /* fewer than k steps: done */
                                fired_any = 1;
                                if (j > 0 && fired < 2)
                                        break; /* the handler's read has fewer than j steps */
                                nested += j > 0;
                        }
                        if (!fired_any)
                                break;
                        steps++;
                }
                printf("%s_steps_interrupted=%d\n%s_nested_interruptions=%d\n%s_bad=%d\n",
                       i_names[which], steps, i_names[which], nested, i_names[which], outer_bad);
                total_bad += outer_bad;
        }
        close(i_fd);
        printf("handler_calls=%d\nhandler_bad=%d\nerrno_bad=%d\nbad=%d\nfd_leak=%d\n", i_calls,
               i_bad, i_errno_bad, total_bad, count_fds() - fds0);
        return 0;
}

/* ----------------------------------------------------------------- forks */

static void *open_loop(void *arg)
{
        (void)arg;
        char *buf = malloc(BUFSZ);
        while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
                int fd = open("/proc/meminfo", O_RDONLY);
                if (fd >= 0) {
                        read_all(fd, buf, BUFSZ);
                        close(fd);
                }
                FILE *f = fopen("/proc/meminfo", "r");
                if (f) {
                        if (fread(buf, 1, BUFSZ - 1, f) == 0)
                                buf[0] = 0;
                        fclose(f);
                }
                struct sysinfo si;
                sysinfo(&si);
        }
        free(buf);
        return NULL;
}

static int mode_forks(void)
{
        static char buf[BUFSZ];
        long secs = env_long("HPROBE_SECONDS", 3), want = expected_total();
        pthread_t th[4];
        for (int i = 0; i < 4; i++)
                pthread_create(&th[i], NULL, open_loop, NULL);
        time_t end = time(NULL) + secs;
        long forks = 0, ok = 0, bad = 0, hung = 0;
        while (time(NULL) < end) {
                pid_t p = fork();
                if (p == 0) {
                        alarm(10);
                        int fd = open("/proc/meminfo", O_RDONLY);
                        long t = fd >= 0 ? check_meminfo(buf, read_all(fd, buf, BUFSZ)) : -1;
                        if (fd >= 0)
                                close(fd);
                        struct sysinfo si;
                        long s = sysinfo(&si) == 0 ? (long)(si.totalram * si.mem_unit / 1024) : -1;
                        _exit(t == want && s == want ? 0 : 1);
                }
                if (p < 0) {
                        bad++;
                        continue;
                }
                int st;
                waitpid(p, &st, 0);
                forks++;
                if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
                        ok++;
                else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
                        hung++;
                else
                        bad++;
        }
        __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < 4; i++)
                pthread_join(th[i], NULL);
        printf("forks=%ld\nchildren_ok=%ld\nchildren_bad=%ld\nchildren_hung=%ld\n", forks, ok, bad,
               hung);
        return 0;
}

static int mode_vfork(char **argv)
{
        pthread_t th;
        pthread_create(&th, NULL, open_loop, NULL);
        int ok = 0, n = (int)env_long("HPROBE_VFORKS", 20);
        for (int i = 0; i < n; i++) {
                pid_t p = vfork();
                if (p == 0) {
                        execv(argv[0], argv);
                        _exit(127);
                }
                int st = 0;
                if (p > 0)
                        waitpid(p, &st, 0);
                if (p > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
                        ok++;
        }
        __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
        pthread_join(th, NULL);
        printf("vforks=%d\nvfork_children_ok=%d\n", n, ok);
        return 0;
}

/* One open+read+close of /proc/meminfo; MemTotal in kB or -1. Async-signal-safe. */
static long read_meminfo_total(void)
{
        static char buf[BUFSZ];
        int fd = open("/proc/meminfo", O_RDONLY);
        if (fd < 0)
                return -1;
        long len = read_all(fd, buf, sizeof(buf));
        close(fd);
        return check_meminfo(buf, len);
}

/* The child's part: with HPROBE_CHILD_PROCS (a cgroup.procs file) it first moves itself
 * there, then expects HPROBE_CHILD_EXPECT_KB; otherwise the parent's figures. Raw calls and
 * no stdio, as a vfork child must. */
static int child_moves_and_reads(void)
{
        const char *procs = getenv("HPROBE_CHILD_PROCS");
        long want = expected_total();
        if (procs && *procs) {
                int fd = open(procs, O_WRONLY);
                if (fd < 0 || write(fd, "0", 1) != 1)
                        return 0;
                close(fd);
                want = env_long("HPROBE_CHILD_EXPECT_KB", want);
        }
        return read_meminfo_total() == want;
}

/* Children that read /proc/meminfo themselves before exiting, made with fork or (against
 * POSIX's advice, as some programs do) vfork, from a parent that has read it before: every
 * child must see the cgroup, and the parent must end with the descriptors it had. */
static int mode_childreads(int use_vfork)
{
        long parent_before = read_meminfo_total();
        read_meminfo_total();
        int fds0 = count_fds();
        int ok = 0, n = (int)env_long("HPROBE_CHILDREN", 50);
        for (int i = 0; i < n; i++) {
                pid_t p = use_vfork ? vfork() : fork();
                if (p == 0)
                        _exit(child_moves_and_reads() ? 0 : 1);
                int st = 0;
                if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0)
                        ok++;
        }
        long parent_after = read_meminfo_total();
        printf("children=%d\nchildren_ok=%d\nparent_before_kb=%ld\nparent_after_kb=%ld\n"
               "parent_fd_growth=%d\n",
               n, ok, parent_before, parent_after, count_fds() - fds0);
        return 0;
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc < 2) {
                fprintf(stderr, "usage: hprobe MODE ...\n");
                return 2;
        }
        const char *m = argv[1];
        if (!strcmp(m, "read"))
                return mode_read();
        if (!strcmp(m, "fdedge") && argc >= 4)
                return mode_fdedge(atoi(argv[2]), !strcmp(argv[3], "fopen"));
        if (!strcmp(m, "keep") && argc >= 3)
                return mode_keep(argv[2]);
        if (!strcmp(m, "stress"))
                return mode_stress();
        if (!strcmp(m, "signals"))
                return mode_signals();
        if (!strcmp(m, "interrupt"))
                return mode_interrupt();
        if (!strcmp(m, "forks"))
                return mode_forks();
        if (!strcmp(m, "vfork") && argc >= 3)
                return mode_vfork(argv + 2);
        if (!strcmp(m, "childreads") && argc >= 3)
                return mode_childreads(!strcmp(argv[2], "vfork"));
        if (!strcmp(m, "checkonly")) {
                /* exit 0 iff /proc/meminfo reads well-formed with the expected MemTotal */
                static char buf[BUFSZ];
                int fd = open("/proc/meminfo", O_RDONLY);
                return fd >= 0 && check_meminfo(buf, read_all(fd, buf, BUFSZ)) == expected_total()
                           ? 0
                           : 1;
        }
        fprintf(stderr, "hprobe: bad mode %s\n", m);
        return 2;
}
