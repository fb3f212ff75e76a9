/* The reliability soak (scripts/soak runs it; see its --help).
 *
 *   soak run SECONDS shim|no-shim PROCS_A PROCS_B LIMIT_A_KB LIMIT_B_KB
 *       a supervisor: forks the soak proper, waits for it and reports whether it crashed or
 *       hung. The soak reads its memory figures through every entry point from 32 threads,
 *       from nested signal handlers (one on the thread's stack, one on a small alternate
 *       stack), from fork children and vfork+exec children, while a thread closes every
 *       descriptor from 64 up, another dup2s over that range and another moves the process
 *       between the two cgroups (their cgroup.procs files PROCS_A and PROCS_B) every 50 ms.
 *       Prints name=value lines, a summary, and exits 0 when every must-be-zero count is 0.
 *   soak child-read LIMIT_A_KB LIMIT_B_KB HOST_KB limit|host
 *       the program the vfork children exec: reads once through open, fopen, sysinfo and
 *       sysconf, exits 0 when every answer carries the expected figures.
 *
 * The soak's own descriptors stay below 64 (the lowest free number is always taken): the
 * readers hold a descriptor only inside one of READ_SLOTS slots and the handlers inside one of
 * HANDLER_SLOTS, so that at most FD_BUDGET are open at once, counting the library's own
 * while it reads (see the budget below). Each one is checked (harness_fds_above_63). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define READERS 32
/* The alternate signal stack of each thread, above a PROT_NONE guard page. */
#ifndef ALTSTACK_SIZE
#define ALTSTACK_SIZE (16 * 1024)
#endif
/* Stack a handler's read may take, the library's included: a handler on the alternate stack
 * reads only with that much room left, and as many SIGUSR2 frames are let nest there as fit
 * with it (see alt_max_frames). */
#define HANDLER_STACK_BUDGET (4 * 1024)
/* First descriptor number of the range the closer and dup2 threads attack: the library
 * used to keep its descriptors from 64 up. */
#define FOREIGN_FD_MIN 64
/* The dup2 thread takes numbers in [FOREIGN_FD_MIN, FOREIGN_FD_MIN + DUP2_SPAN): the library
 * kept at most 8 sets of 12 descriptors there. */
#define DUP2_SPAN  128
#define KEPT_FDS   4
#define KEPT_FILES 4
#define READ_SLOTS 6
/* Per read: the soak's descriptor and at most two of the library's (freopen: the real file,
 * the memfd and one cgroup file being read). */
#define FDS_PER_READ  3
#define HANDLER_SLOTS 10
/* A handler's open: the memfd handed out and one cgroup file the library reads meanwhile. */
#define FDS_PER_HANDLER 2
/* Normal-stack handlers read up to this nesting depth; deeper ones only count. */
#define HANDLER_MAX_DEPTH 4
/* stdio 3, kept descriptors and FILE*s, the /proc directory, the controller 1, the dup2
 * thread's 2 sources, the vfork thread's pipe 2. */
#define FD_BUDGET                                                                                  \
        (3 + KEPT_FDS + KEPT_FILES + 1 + READ_SLOTS * FDS_PER_READ +                               \
         HANDLER_SLOTS * FDS_PER_HANDLER + 1 + 2 + 2)
_Static_assert(FD_BUDGET < FOREIGN_FD_MIN, "the soak's descriptors must stay below 64");

#define MOVE_INTERVAL_NS (50 * 1000 * 1000L)
/* The sender wakes every SEND_INTERVAL_NS (later on a busy machine) and sends SEND_BURST
 * signals to random threads. */
#define SEND_INTERVAL_NS  (100 * 1000L)
#define SEND_BURST        8
#define SPAWN_INTERVAL_NS (2 * 1000 * 1000L)
#define DUP2_INTERVAL_NS  (300 * 1000L)
#define BUF_CAP           (MEMINFO_MAX + 512)
#define PROBLEM_REPORTS   12
/* How long past SECONDS the supervisor waits before it calls the soak hung. */
#define GRACE_SECONDS 60

enum entry {
        E_OPEN,
        E_OPENAT,
        E_OPEN64,
        E_OPEN_2,
        E_FOPEN,
        E_FOPEN64,
        E_FREOPEN,
        E_KEPT_FD,
        E_KEPT_FILE,
        E_SYSINFO,
        E_SYSCONF_PHYS,
        E_SYSCONF_AVPHYS,
        E_GET_PHYS,
        E_GET_AVPHYS,
        E_COUNT
};

static const char *const entry_names[E_COUNT] = {
    "open",
    "openat",
    "open64",
    "open_2_fortified",
    "fopen",
    "fopen64",
    "freopen",
    "kept_fd_lseek0",
    "kept_file_seek0",
    "sysinfo",
    "sysconf_phys_pages",
    "sysconf_avphys_pages",
    "get_phys_pages",
    "get_avphys_pages",
};

#ifdef __GLIBC__
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
#endif

/* ------------------------------------------------------------------ shared state */

static struct expect want;
static bool shim_mode;
static enum figures expected; /* F_LIMIT with the library, F_HOST without */
static int alt_max_frames;
static int stop_senders, stop_all;
static sem_t read_slots;
static int handler_fds_busy;
static int proc_dirfd = -1;
static char self_exe[512];
static const char *procs_path[2];
static long seconds;

static struct {
        pthread_mutex_t mu;
        int fd;
} kept_fd[KEPT_FDS];

static struct {
        pthread_mutex_t mu;
        FILE *f;
        fpos_t start;
} kept_file[KEPT_FILES];

/* Counters written by several threads or by handlers: relaxed atomics. */
static long n_reads, n_problems;
static long limit_hits[2]; /* answers whose MemTotal was limit 0, limit 1 */
static long reasons[R_COUNT];
static long handler_calls[2], handler_reads, handler_fig[F_COUNT], handler_nested_skips,
    handler_room_skips, handler_busy_skips, handler_no_state;
static long harness_fd_high;
static long problem_reports;
static long altstack_peak;

#define ADD(var, n) __atomic_fetch_add(&(var), (n), __ATOMIC_RELAXED)
#define GET(var)    __atomic_load_n(&(var), __ATOMIC_RELAXED)

struct tstate {
        char *map;
        size_t map_len;
        unsigned long alt_lo, alt_hi;
        volatile int depth;
        int ready;        /* set up: the sender may signal the thread */
        int usr2_pending; /* a SIGUSR2 sent and not yet handled (set by the sender) */
        int usr2_active;  /* SIGUSR2 handlers running, that is frames on the alternate stack */
        char *buf;        /* the thread's own reads */
        char *hbuf;       /* HANDLER_MAX_DEPTH buffers, one per nesting depth */
};

static __thread struct tstate *self;

/* ----------------------------------------------------------- async-signal-safe output */

static void say(const char *a, const char *b, const char *c, const char *d)
{
        char line[512];
        size_t n = 0;
        const char *parts[4] = {a, b, c, d};
        for (int i = 0; i < 4; i++)
                for (const char *s = parts[i]; s && *s && n < sizeof(line) - 1; s++)
                        line[n++] = *s;
        line[n++] = '\n';
        if (write(2, line, n) < 0)
                return;
}

static bool is_problem(enum figures f, bool in_handler)
{
        if (f == expected)
                return false;
        return !(in_handler && shim_mode && f == F_HOST);
}

/* Counts one answer; the first problems are described on stderr (with the text of a
 * malformed /proc/meminfo). */
static void tally(const char *where, enum figures f, enum reason why, long value_kb,
                  const char *text, long len, bool in_handler)
{
        ADD(n_reads, 1);
        if (f == F_MALFORMED)
                ADD(reasons[why], 1);
        for (int i = 0; i < 2; i++)
                if (f == F_LIMIT && value_kb == want.limit_kb[i])
                        ADD(limit_hits[i], 1);
        if (!is_problem(f, in_handler))
                return;
        ADD(n_problems, 1);
        if (ADD(problem_reports, 1) >= PROBLEM_REPORTS)
                return;
        char v[24];
        format_long(v, value_kb);
        say("soak: problem: ", where, f == F_MALFORMED ? ": malformed, " : ": figures of ",
            f == F_MALFORMED ? reason_name(why) : figures_name(f));
        if (f != F_MALFORMED && value_kb >= 0)
                say("soak:   MemTotal or page count in kB: ", v, NULL, NULL);
        if (f == F_MALFORMED && text && len > 0) {
                say("soak:   text read follows ----", NULL, NULL, NULL);
                if (write(2, text, (size_t)(len < BUF_CAP ? len : BUF_CAP)) < 0)
                        return;
                say("soak:   ---- end of text", NULL, NULL, NULL);
        }
}

static void note_fd(int fd)
{
        if (fd >= FOREIGN_FD_MIN)
                ADD(harness_fd_high, 1);
}

/* ----------------------------------------------------------------------- reading */

/* MemTotal of a text whose form is right, for the reports; -1 otherwise. */
static long meminfo_total(const char *buf, long len)
{
        struct meminfo_figures m;
        return len >= 0 && meminfo_parse(buf, len, &m) == R_NONE ? m.total : -1;
}

/* Reads an open /proc/meminfo descriptor to its end, closes it and sorts the text. */
static enum figures read_fd(int fd, char *buf, enum reason *why, long *len)
{
        *len = -1;
        if (fd < 0) {
                *why = R_CALL_FAILED;
                return F_MALFORMED;
        }
        note_fd(fd);
        *len = read_all(fd, buf, BUF_CAP);
        close(fd);
        return classify_meminfo(&want, buf, *len, why);
}

/* Calls sysinfo and sorts the answer; *kb is its total in kB when the call worked. */
static enum figures read_sysinfo(enum reason *why, long *kb)
{
        struct sysinfo si;
        if (sysinfo(&si) != 0) {
                *why = R_CALL_FAILED;
                return F_MALFORMED;
        }
        *kb = (long)(si.totalram * (si.mem_unit ? si.mem_unit : 1) / 1024);
        return classify_sysinfo(&want, &si, why);
}

static long read_stream(FILE *f, char *buf, bool by_line, char **line, size_t *line_cap)
{
        long len = 0;
        if (!by_line) {
                len = (long)fread(buf, 1, BUF_CAP, f);
                return ferror(f) ? -1 : len;
        }
        ssize_t n;
        while ((n = getline(line, line_cap, f)) > 0) {
                if (len + n > BUF_CAP)
                        return BUF_CAP;
                memcpy(buf + len, *line, (size_t)n);
                len += n;
        }
        return ferror(f) ? -1 : len;
}

static enum figures classify_pages(long pages, bool free_count, enum reason *why, long *kb)
{
        *kb = pages > 0 ? pages * want.page_kb : -1;
        *why = R_NONE;
        if (pages <= 0)
                *why = R_CALL_FAILED;
        else if (free_count && *kb > want.host_kb)
                *why = R_RANGE;
        if (*why != R_NONE)
                return F_MALFORMED;
        return free_count ? figures_of_free(&want, *kb) : figures_of_total(&want, *kb);
}

struct reader {
        pthread_t th;
        int id;
        struct tstate ts;
        long reads[E_COUNT];
        long fig[E_COUNT][F_COUNT];
        long hits[E_COUNT][2]; /* answers with MemTotal limit 0, limit 1 */
        char *line;
        size_t line_cap;
};

static FILE *freopen_meminfo(unsigned long k)
{
        FILE *f = fopen("/dev/null", "r");
        if (!f)
                return NULL;
        note_fd(fileno(f));
        /* A failed freopen has closed f. */
        return k & 1 ? freopen64("/proc/meminfo", "r", f) : freopen("/proc/meminfo", "r", f);
}

static bool seek_to_start(FILE *f, const fpos_t *start, unsigned long how)
{
        switch (how % 4) {
        case 0:
                rewind(f);
                return true;
        case 1:
                return fseek(f, 0, SEEK_SET) == 0;
        case 2:
                return fseeko(f, 0, SEEK_SET) == 0;
        default:
                return fsetpos(f, start) == 0;
        }
}

/* The entry points that answer with free memory, not with MemTotal. */
static bool free_count_entry(enum entry e)
{
        return e == E_SYSCONF_AVPHYS || e == E_GET_AVPHYS;
}

/* One read through entry e (the k-th read of this thread); returns whose figures it saw. */
static enum figures read_entry(struct reader *r, enum entry e, unsigned long k)
{
        char *buf = r->ts.buf;
        enum reason why = R_NONE;
        enum figures f;
        long len = -1, kb = -1;
        int cloexec = k & 2 ? O_CLOEXEC : 0;
        FILE *s;
        switch (e) {
        case E_OPEN:
                f = read_fd(open("/proc/meminfo", O_RDONLY | cloexec), buf, &why, &len);
                break;
        case E_OPENAT:
                f = read_fd(k & 1 ? openat(proc_dirfd, "meminfo", O_RDONLY | cloexec)
                                  : openat(AT_FDCWD, "/proc/meminfo", O_RDONLY | cloexec),
                            buf, &why, &len);
                break;
        case E_OPEN64:
                f = read_fd(k & 1 ? openat64(AT_FDCWD, "/proc/meminfo", O_RDONLY | cloexec)
                                  : open64("/proc/meminfo", O_RDONLY | cloexec),
                            buf, &why, &len);
                break;
        case E_OPEN_2: {
                int fd;
#ifdef __GLIBC__
                switch (k % 4) {
                case 0:
                        fd = __open_2("/proc/meminfo", O_RDONLY | cloexec);
                        break;
                case 1:
                        fd = __open64_2("/proc/meminfo", O_RDONLY | cloexec);
                        break;
                case 2:
                        fd = __openat_2(AT_FDCWD, "/proc/meminfo", O_RDONLY | cloexec);
                        break;
                default:
                        fd = __openat64_2(proc_dirfd, "meminfo", O_RDONLY | cloexec);
                        break;
                }
#else
                fd = open("/proc/meminfo", O_RDONLY | cloexec);
#endif
                f = read_fd(fd, buf, &why, &len);
                break;
        }
        case E_FOPEN:
        case E_FOPEN64:
        case E_FREOPEN: {
                const char *mode = k & 2 ? "re" : "r";
                if (e == E_FOPEN)
                        s = fopen("/proc/meminfo", mode);
                else if (e == E_FOPEN64)
                        s = fopen64("/proc/meminfo", mode);
                else
                        s = freopen_meminfo(k);
                if (s) {
                        note_fd(fileno(s));
                        len = read_stream(s, buf, k & 4, &r->line, &r->line_cap);
                        fclose(s);
                }
                f = s ? classify_meminfo(&want, buf, len, &why) : F_MALFORMED;
                if (!s)
                        why = R_CALL_FAILED;
                break;
        }
        case E_KEPT_FD: {
                int i = (int)((k / 2 + (unsigned long)r->id) % KEPT_FDS);
                pthread_mutex_lock(&kept_fd[i].mu);
                off_t at =
                    k & 1 ? lseek64(kept_fd[i].fd, 0, SEEK_SET) : lseek(kept_fd[i].fd, 0, SEEK_SET);
                if (at == 0)
                        len = read_all(kept_fd[i].fd, buf, BUF_CAP);
                pthread_mutex_unlock(&kept_fd[i].mu);
                f = classify_meminfo(&want, buf, len, &why);
                break;
        }
        case E_KEPT_FILE: {
                int i = (int)((k / 8 + (unsigned long)r->id) % KEPT_FILES);
                pthread_mutex_lock(&kept_file[i].mu);
                if (seek_to_start(kept_file[i].f, &kept_file[i].start, k))
                        len = read_stream(kept_file[i].f, buf, k & 4, &r->line, &r->line_cap);
                pthread_mutex_unlock(&kept_file[i].mu);
                f = classify_meminfo(&want, buf, len, &why);
                break;
        }
        case E_SYSINFO:
                f = read_sysinfo(&why, &kb);
                break;
        case E_SYSCONF_PHYS:
                f = classify_pages(sysconf(_SC_PHYS_PAGES), false, &why, &kb);
                break;
        case E_SYSCONF_AVPHYS:
                f = classify_pages(sysconf(_SC_AVPHYS_PAGES), true, &why, &kb);
                break;
        case E_GET_PHYS:
                f = classify_pages(get_phys_pages(), false, &why, &kb);
                break;
        default:
                f = classify_pages(get_avphys_pages(), true, &why, &kb);
                break;
        }
        if (len >= 0 && kb < 0)
                kb = meminfo_total(buf, len);
        tally(entry_names[e], f, why, kb, buf, len, false);
        for (int i = 0; i < 2; i++)
                if (f == F_LIMIT && kb == want.limit_kb[i] && !free_count_entry(e))
                        r->hits[e][i]++;
        return f;
}

/* ------------------------------------------------------------------ signal handlers */

/* Both handlers read: open+read+close of /proc/meminfo and sysinfo, into a buffer of their
 * own nesting depth (a nested handler must not overwrite the one it interrupted; depth is
 * counted per thread, and handlers nest strictly, so the counter is exact). */
static void handler_read(struct tstate *t, int depth)
{
        char *buf = t->hbuf + (size_t)(depth - 1) * BUF_CAP;
        enum reason why;
        long len;
        enum figures f = read_fd(open("/proc/meminfo", O_RDONLY | O_CLOEXEC), buf, &why, &len);
        ADD(handler_fig[f], 1);
        tally("handler open", f, why, meminfo_total(buf, len), buf, len, true);
        long kb = -1;
        f = read_sysinfo(&why, &kb);
        ADD(handler_fig[f], 1);
        tally("handler sysinfo", f, why, kb, NULL, 0, true);
        ADD(handler_reads, 2);
}

static void on_signal(int sig)
{
        int saved = errno;
        ADD(handler_calls[sig == SIGUSR2], 1);
        struct tstate *t = self;
        if (!t) {
                ADD(handler_no_state, 1);
                errno = saved;
                return;
        }
        if (sig == SIGUSR2) {
                ADD(t->usr2_active, 1);
                __atomic_store_n(&t->usr2_pending, 0, __ATOMIC_RELEASE);
        }
        unsigned long sp = (unsigned long)__builtin_frame_address(0);
        bool on_alt = sp >= t->alt_lo && sp < t->alt_hi;
        int depth = ++t->depth;
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        if (depth > HANDLER_MAX_DEPTH) {
                ADD(handler_nested_skips, 1);
        } else if (on_alt && sp - t->alt_lo < HANDLER_STACK_BUDGET) {
                ADD(handler_room_skips, 1);
        } else if (ADD(handler_fds_busy, FDS_PER_HANDLER) + FDS_PER_HANDLER >
                   HANDLER_SLOTS * FDS_PER_HANDLER) {
                ADD(handler_busy_skips, 1);
                ADD(handler_fds_busy, -FDS_PER_HANDLER);
        } else {
                handler_read(t, depth);
                ADD(handler_fds_busy, -FDS_PER_HANDLER);
        }
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        t->depth--;
        if (sig == SIGUSR2)
                ADD(t->usr2_active, -1);
        errno = saved;
}

/* SIGUSR1 runs on the thread's stack, SIGUSR2 on the alternate stack, both SA_NODEFER.
 *
 * Frames on the alternate stack must stay bounded, or they overflow it whatever the library
 * does: each takes AT_MINSIGSTKSZ (3.3 KiB with AVX-512), and a thread preempted at the
 * first instruction of a handler collects a new frame every time it is scheduled with a
 * signal pending (seen here: six frames on a 16 KiB stack). No handler code can prevent
 * that, so the bound is kept outside the handler: SIGUSR2's sa_mask holds SIGUSR1 (which
 * would otherwise land on the alternate stack too), and the sender sends SIGUSR2 to a thread
 * only when none is pending there and fewer than alt_max_frames of its handlers run. */
static void install_handlers(long frame)
{
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_NODEFER | SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        sigaddset(&sa.sa_mask, SIGUSR1);
        sa.sa_flags = SA_NODEFER | SA_RESTART | SA_ONSTACK;
        sigaction(SIGUSR2, &sa, NULL);
        alt_max_frames = (int)(ALTSTACK_SIZE / (frame + HANDLER_STACK_BUDGET));
        if (alt_max_frames < 1)
                alt_max_frames = 1;
}

/* ------------------------------------------------------------------- thread set-up */

static int tstate_init(struct tstate *t)
{
        size_t pg = (size_t)getpagesize();
        t->map_len = pg + (ALTSTACK_SIZE + pg - 1) / pg * pg;
        t->map = mmap(NULL, t->map_len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        t->buf = malloc(BUF_CAP);
        t->hbuf = malloc((size_t)HANDLER_MAX_DEPTH * BUF_CAP);
        if (t->map == MAP_FAILED || !t->buf || !t->hbuf)
                return -1;
        if (mprotect(t->map, pg, PROT_NONE) != 0)
                return -1;
        char *lo = t->map + t->map_len - ALTSTACK_SIZE;
        memset(lo, 0xA5, ALTSTACK_SIZE);
        stack_t ss = {.ss_sp = lo, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
        if (sigaltstack(&ss, NULL) != 0)
                return -1;
        t->alt_lo = (unsigned long)lo;
        t->alt_hi = t->alt_lo + ALTSTACK_SIZE;
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        self = t;
        __atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
        return 0;
}

/* Takes the alternate stack down and records how deep it was ever used (the bytes that no
 * longer hold the fill pattern, from the top). */
static void tstate_fini(struct tstate *t)
{
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        __atomic_store_n(&t->ready, 0, __ATOMIC_RELEASE);
        self = NULL;
        stack_t ss = {.ss_flags = SS_DISABLE};
        sigaltstack(&ss, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        const unsigned char *lo = (const unsigned char *)t->alt_lo;
        long untouched = 0;
        while (untouched < ALTSTACK_SIZE && lo[untouched] == 0xA5)
                untouched++;
        long used = ALTSTACK_SIZE - untouched, peak = GET(altstack_peak);
        while (used > peak && !__atomic_compare_exchange_n(&altstack_peak, &peak, used, false,
                                                           __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                ;
        munmap(t->map, t->map_len);
        free(t->buf);
        free(t->hbuf);
}

static unsigned long long next_rnd(unsigned long long *x)
{
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        return *x;
}

static void pause_ns(long ns)
{
        struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
        nanosleep(&ts, NULL);
}

static bool stopping(void)
{
        return __atomic_load_n(&stop_all, __ATOMIC_RELAXED);
}

/* -------------------------------------------------------------------------- threads */

static void *reader_thread(void *arg)
{
        struct reader *r = arg;
        if (tstate_init(&r->ts) != 0) {
                perror("soak: reader set-up");
                exit(2);
        }
        for (unsigned long k = 0; !stopping(); k++) {
                enum entry e = (enum entry)((k + (unsigned long)r->id) % E_COUNT);
                while (sem_wait(&read_slots) != 0)
                        ;
                enum figures f = read_entry(r, e, k / E_COUNT);
                sem_post(&read_slots);
                r->reads[e]++;
                r->fig[e][f]++;
        }
        tstate_fini(&r->ts);
        free(r->line);
        return NULL;
}

static struct reader readers[READERS];
static pthread_t main_thread;
static struct tstate main_ts;
static long signals_sent, signal_failures, signals_withheld;

/* Sends SIGUSR2 to a thread only as the alternate stack's frame bound allows (see
 * install_handlers): the check and the claim cannot race with another sender (there is
 * one), and a thread's usr2_active only grows when a pending signal is delivered. */
static bool may_send_usr2(struct tstate *t)
{
        if (GET(t->usr2_active) >= alt_max_frames)
                return false;
        int idle = 0;
        return __atomic_compare_exchange_n(&t->usr2_pending, &idle, 1, false, __ATOMIC_ACQ_REL,
                                           __ATOMIC_RELAXED);
}

static void *sender_thread(void *arg)
{
        (void)arg;
        unsigned long long x = 88172645463325252ull;
        while (!__atomic_load_n(&stop_senders, __ATOMIC_RELAXED)) {
                for (int i = 0; i < SEND_BURST; i++) {
                        unsigned long long v = next_rnd(&x);
                        unsigned target = (unsigned)(v % (READERS + 1));
                        int sig = (v >> 32) & 1 ? SIGUSR2 : SIGUSR1;
                        pthread_t th = target == READERS ? main_thread : readers[target].th;
                        struct tstate *t = target == READERS ? &main_ts : &readers[target].ts;
                        if (!__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE) ||
                            (sig == SIGUSR2 && !may_send_usr2(t))) {
                                signals_withheld++;
                                continue;
                        }
                        if (pthread_kill(th, sig) == 0)
                                signals_sent++;
                        else
                                signal_failures++;
                }
                pause_ns(SEND_INTERVAL_NS);
        }
        return NULL;
}

static long moves, move_failures;

static void *controller_thread(void *arg)
{
        (void)arg;
        char pid[24];
        int n = format_long(pid, (long)getpid());
        for (int which = 1; !stopping(); which ^= 1) {
                pause_ns(MOVE_INTERVAL_NS);
                int fd = open(procs_path[which], O_WRONLY | O_CLOEXEC);
                note_fd(fd);
                bool ok = fd >= 0 && write(fd, pid, (size_t)n) == n;
                if (fd >= 0)
                        ok = close(fd) == 0 && ok;
                if (ok)
                        moves++;
                else if (move_failures++ < 3)
                        fprintf(stderr, "soak: moving to %s: %s\n", procs_path[which],
                                strerror(errno));
        }
        return NULL;
}

static long closer_passes, closer_found_open;

static void close_foreign(void)
{
        if (syscall(SYS_close_range, FOREIGN_FD_MIN, ~0u, 0) == 0)
                return;
        struct rlimit rl;
        long max = 4096;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
                max = (long)rl.rlim_cur;
        for (long fd = FOREIGN_FD_MIN; fd < max; fd++)
                close((int)fd);
}

/* Like a daemon's closefrom(64) loop: closes every descriptor from 64 up (the soak has none
 * there), which is where the library kept its own. */
static void *closer_thread(void *arg)
{
        (void)arg;
        unsigned long long x = 0x2545F4914F6CDD1Dull;
        while (!stopping()) {
                for (int fd = FOREIGN_FD_MIN; fd < FOREIGN_FD_MIN + 2 * DUP2_SPAN; fd++)
                        if (fcntl(fd, F_GETFD) >= 0)
                                closer_found_open++;
                close_foreign();
                closer_passes++;
                pause_ns(500000 + (long)(next_rnd(&x) % 1500000));
        }
        return NULL;
}

static long dup2_calls, dup2_over_open, dup2_failures;

/* dup2(own, N) then close(N) for N in [64, 64 + DUP2_SPAN): takes numbers the library may
 * hold. One source is /dev/null, the other a regular file holding a plausible figure
 * ("4096\n"), so that a library reading through a number it no longer owns would read
 * something that parses. */
static void *dup2_thread(void *arg)
{
        (void)arg;
        unsigned long long x = 0x9E3779B97F4A7C15ull;
        int src[2];
        src[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
        src[1] = (int)syscall(SYS_memfd_create, "soak-dup2-source", 1u /* MFD_CLOEXEC */);
        note_fd(src[0]);
        note_fd(src[1]);
        if (src[1] >= 0 && write(src[1], "4096\n", 5) != 5)
                perror("soak: dup2 source");
        for (unsigned long k = 0; !stopping(); k++) {
                int n = FOREIGN_FD_MIN + (int)(next_rnd(&x) % DUP2_SPAN);
                bool was_open = fcntl(n, F_GETFD) >= 0;
                if (dup2(src[k & 1], n) < 0) {
                        dup2_failures++;
                } else {
                        dup2_calls++;
                        dup2_over_open += was_open;
                        close(n);
                }
                pause_ns(DUP2_INTERVAL_NS);
        }
        close(src[0]);
        close(src[1]);
        return NULL;
}

/* Exit status of a reading child: 0 when every answer carried the expected figures, else
 * 10 + the figures of the first that did not (10 limit, 11 host, 12 neither, 13 malformed). */
static int child_status(enum figures a, enum figures b)
{
        if (a != expected)
                return 10 + (int)a;
        return b != expected ? 10 + (int)b : 0;
}

static void describe_child(const char *what, int st)
{
        char v[24];
        if (WIFEXITED(st)) {
                format_long(v, WEXITSTATUS(st));
                say("soak: problem: ", what, " exited with status ", v);
                if (WEXITSTATUS(st) >= 10 && WEXITSTATUS(st) < 10 + F_COUNT)
                        say("soak:   it read figures of ", figures_name(WEXITSTATUS(st) - 10), NULL,
                            NULL);
        } else if (WIFSIGNALED(st)) {
                format_long(v, WTERMSIG(st));
                say("soak: problem: ", what, " killed by signal ", v);
        }
}

static long forks, fork_bad, fork_signaled, fork_failures;

static void *fork_thread(void *arg)
{
        (void)arg;
        char *buf = malloc(BUF_CAP);
        while (!stopping() && buf) {
                pid_t p = fork();
                if (p == 0) {
                        alarm(10);
                        enum reason why;
                        long len;
                        enum figures a = read_fd(open("/proc/meminfo", O_RDONLY), buf, &why, &len);
                        struct sysinfo si;
                        enum figures b =
                            sysinfo(&si) == 0 ? classify_sysinfo(&want, &si, &why) : F_MALFORMED;
                        _exit(child_status(a, b));
                }
                if (p < 0) {
                        fork_failures++;
                } else {
                        int st = 0;
                        while (waitpid(p, &st, 0) < 0 && errno == EINTR)
                                ;
                        forks++;
                        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
                                fork_signaled += WIFSIGNALED(st);
                                if (fork_bad++ < 4)
                                        describe_child("fork child", st);
                        }
                }
                pause_ns(SPAWN_INTERVAL_NS);
        }
        free(buf);
        return NULL;
}

/* The child runs in this thread's memory until execve: it only calls dup2 and execve. */
static pid_t __attribute__((noinline)) vfork_exec(const char *path, char *const argv[], int out)
{
        pid_t p = vfork();
        if (p == 0) {
                if (out >= 0)
                        dup2(out, 1);
                execve(path, argv, environ);
                _exit(127);
        }
        return p;
}

static long vforks_self, vforks_cat, vfork_bad, vfork_signaled, vfork_failures;

/* One thread execs the soak itself (child-read), another /bin/cat /proc/meminfo into a
 * pipe; arg says which. */
static void *vfork_thread(void *arg)
{
        bool cat = arg != NULL;
        char *buf = malloc(BUF_CAP);
        char a[24], b[24], h[24];
        format_long(a, want.limit_kb[0]);
        format_long(b, want.limit_kb[1]);
        format_long(h, want.host_kb);
        char *self_argv[] = {self_exe, "child-read", a, b, h, shim_mode ? "limit" : "host", NULL};
        char *cat_argv[] = {"cat", "/proc/meminfo", NULL};
        while (!stopping() && buf) {
                int pipefd[2] = {-1, -1};
                pid_t p = -1;
                if (!cat) {
                        p = vfork_exec(self_exe, self_argv, -1);
                } else if (pipe2(pipefd, O_CLOEXEC) == 0) {
                        note_fd(pipefd[0]);
                        note_fd(pipefd[1]);
                        p = vfork_exec("/bin/cat", cat_argv, pipefd[1]);
                        close(pipefd[1]);
                }
                long len = -1;
                if (cat && p > 0)
                        len = read_all(pipefd[0], buf, BUF_CAP);
                if (cat && pipefd[0] >= 0)
                        close(pipefd[0]);
                if (p < 0) {
                        ADD(vfork_failures, 1);
                        pause_ns(SPAWN_INTERVAL_NS);
                        continue;
                }
                int st = 0;
                while (waitpid(p, &st, 0) < 0 && errno == EINTR)
                        ;
                bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
                ADD(*(cat ? &vforks_cat : &vforks_self), 1);
                enum reason why;
                enum figures f = cat ? classify_meminfo(&want, buf, len, &why) : expected;
                if (!ok || f != expected) {
                        ADD(vfork_signaled, WIFSIGNALED(st));
                        bool report = ADD(vfork_bad, 1) < 4;
                        if (report && !ok)
                                describe_child(cat ? "vfork+exec cat" : "vfork+exec soak", st);
                        else if (report)
                                say("soak: problem: vfork+exec cat: figures of ", figures_name(f),
                                    f == F_MALFORMED ? ", " : NULL,
                                    f == F_MALFORMED ? reason_name(why) : NULL);
                }
                pause_ns(SPAWN_INTERVAL_NS);
        }
        free(buf);
        return NULL;
}

/* ------------------------------------------------------------------ descriptors */

struct fd_list {
        int n;
        int fd[1024];
};

static void list_fds(struct fd_list *l)
{
        l->n = 0;
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
                long fd;
                if (!parse_long(de->d_name, &fd) || fd == dirfd(d))
                        continue;
                if (l->n < (int)(sizeof(l->fd) / sizeof(l->fd[0])))
                        l->fd[l->n++] = (int)fd;
        }
        closedir(d);
}

static bool listed(const struct fd_list *l, int fd)
{
        for (int i = 0; i < l->n; i++)
                if (l->fd[i] == fd)
                        return true;
        return false;
}

static void describe_fd_change(const struct fd_list *start, const struct fd_list *end)
{
        for (int i = 0; i < end->n; i++) {
                if (listed(start, end->fd[i]))
                        continue;
                char link[64], target[256];
                snprintf(link, sizeof(link), "/proc/self/fd/%d", end->fd[i]);
                ssize_t n = readlink(link, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = '\0';
                fprintf(stderr, "soak: descriptor %d open at the end, not at the start: %s\n",
                        end->fd[i], target);
        }
        for (int i = 0; i < start->n; i++)
                if (!listed(end, start->fd[i]))
                        fprintf(stderr, "soak: descriptor %d open at the start is gone\n",
                                start->fd[i]);
}

/* ---------------------------------------------------------------------- the soak */

/* The host's MemTotal, read with raw system calls (the library does not see them). */
static long host_memtotal_raw(void)
{
        char buf[BUF_CAP];
        int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/meminfo", O_RDONLY | O_CLOEXEC);
        long len = fd >= 0 ? read_all(fd, buf, sizeof(buf)) : -1;
        if (fd >= 0)
                syscall(SYS_close, fd);
        long total = -1;
        enum reason why = len < 0 ? R_CALL_FAILED : meminfo_check(buf, len, true, &total);
        if (why != R_NONE) {
                fprintf(stderr, "soak: the host's /proc/meminfo fails the soak's check (%s):\n",
                        reason_name(why));
                if (len > 0)
                        fwrite(buf, 1, (size_t)len, stderr);
                return -1;
        }
        return total;
}

static void open_kept(void)
{
        proc_dirfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        note_fd(proc_dirfd);
        for (int i = 0; i < KEPT_FDS; i++) {
                pthread_mutex_init(&kept_fd[i].mu, NULL);
                kept_fd[i].fd = i & 1 ? open64("/proc/meminfo", O_RDONLY)
                                      : open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
                note_fd(kept_fd[i].fd);
        }
        for (int i = 0; i < KEPT_FILES; i++) {
                pthread_mutex_init(&kept_file[i].mu, NULL);
                kept_file[i].f =
                    i & 1 ? fopen64("/proc/meminfo", "r") : fopen("/proc/meminfo", "re");
                if (kept_file[i].f) {
                        note_fd(fileno(kept_file[i].f));
                        fgetpos(kept_file[i].f, &kept_file[i].start);
                }
        }
}

static bool kept_ok(void)
{
        bool ok = proc_dirfd >= 0;
        for (int i = 0; i < KEPT_FDS; i++)
                ok = ok && kept_fd[i].fd >= 0;
        for (int i = 0; i < KEPT_FILES; i++)
                ok = ok && kept_file[i].f;
        return ok;
}

static void close_kept(void)
{
        for (int i = 0; i < KEPT_FDS; i++)
                close(kept_fd[i].fd);
        for (int i = 0; i < KEPT_FILES; i++)
                fclose(kept_file[i].f);
        close(proc_dirfd);
}

static double now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int failures;

/* One line of the summary; a must-be-zero count that is not zero fails the run. */
static void must_be_zero(const char *what, long v)
{
        printf("  %-58s %10ld  %s\n", what, v, v == 0 ? "ok" : "FAIL");
        failures += v != 0;
}

static void must_be_positive(const char *what, long v)
{
        printf("  %-58s %10ld  %s\n", what, v, v > 0 ? "ok" : "FAIL (none)");
        failures += v <= 0;
}

static void info(const char *what, long v)
{
        printf("  %-58s %10ld\n", what, v);
}

/* ---------------------------------------------------------------------- the report */

struct totals {
        double elapsed;
        long frame;
        long reads[E_COUNT], fig[F_COUNT], hits[E_COUNT][2];
        long outside, handler, malformed, one_sided, fd_change;
};

static void add_up(struct totals *t)
{
        for (int i = 0; i < READERS; i++)
                for (int e = 0; e < E_COUNT; e++) {
                        t->reads[e] += readers[i].reads[e];
                        for (int f = 0; f < F_COUNT; f++)
                                t->fig[f] += readers[i].fig[e][f];
                        t->hits[e][0] += readers[i].hits[e][0];
                        t->hits[e][1] += readers[i].hits[e][1];
                }
        for (int e = 0; e < E_COUNT; e++) {
                t->outside += t->reads[e];
                /* With the library every entry point that reports MemTotal follows the moves:
                 * a kept descriptor that is not refreshed, or a stale cache, shows one limit. */
                if (shim_mode && !free_count_entry((enum entry)e) &&
                    (!t->hits[e][0] || !t->hits[e][1])) {
                        t->one_sided++;
                        fprintf(stderr,
                                "soak: %s answered MemTotal %ld kB %ld times, %ld kB %ld "
                                "times\n",
                                entry_names[e], want.limit_kb[0], t->hits[e][0], want.limit_kb[1],
                                t->hits[e][1]);
                }
        }
        for (int r = 0; r < R_COUNT; r++)
                t->malformed += reasons[r];
        t->handler = handler_reads;
}

static void print_counts(const struct totals *t, int fds_start, int fds_end)
{
        printf("mode=%s\nseconds=%ld\nelapsed_s=%.1f\nreaders=%d\n", shim_mode ? "shim" : "no-shim",
               seconds, t->elapsed, READERS);
        printf("limits_kb=%ld,%ld\nhost_memtotal_kb=%ld\n", want.limit_kb[0], want.limit_kb[1],
               want.host_kb);
        printf("altstack_bytes=%d\naltstack_frame_bytes=%ld\n", ALTSTACK_SIZE, t->frame);
        printf("altstack_max_sigusr2_frames=%d\naltstack_peak_use_bytes=%ld\n", alt_max_frames,
               altstack_peak);
        for (int e = 0; e < E_COUNT; e++)
                printf("reads_%s=%ld\n", entry_names[e], t->reads[e]);
        printf("reads_outside_handlers=%ld\nhandler_reads=%ld\nreads_total=%ld\n", t->outside,
               t->handler, t->outside + t->handler);
        printf("reads_limit_figures=%ld\nreads_host_figures_outside_handlers=%ld\n",
               t->fig[F_LIMIT], t->fig[F_HOST]);
        printf("handler_reads_limit_figures=%ld\nhandler_reads_host_figures=%ld\n",
               handler_fig[F_LIMIT], handler_fig[F_HOST]);
        printf("memtotal_neither_limit_nor_host=%ld\n", t->fig[F_NEITHER] + handler_fig[F_NEITHER]);
        for (int i = 0; i < 2; i++)
                printf("memtotal_%ld_kb=%ld\n", want.limit_kb[i], limit_hits[i]);
        printf("entries_missing_a_limit=%ld\n", t->one_sided);
        printf("malformed_reads=%ld\n", t->malformed);
        for (int r = 1; r < R_COUNT; r++)
                if (reasons[r])
                        printf("malformed_%s=%ld\n", reason_name((enum reason)r), reasons[r]);
        printf("handler_calls_sigusr1=%ld\nhandler_calls_sigusr2_altstack=%ld\n", handler_calls[0],
               handler_calls[1]);
        printf("handler_skipped_nested=%ld\nhandler_skipped_altstack_room=%ld\n"
               "handler_skipped_fd_budget=%ld\n",
               handler_nested_skips, handler_room_skips, handler_busy_skips);
        printf("signals_sent=%ld\nsignals_withheld=%ld\nsignal_send_failures=%ld\n", signals_sent,
               signals_withheld, signal_failures);
        printf("fork_children=%ld\nfork_children_bad=%ld\nfork_children_signaled=%ld\n"
               "fork_failures=%ld\n",
               forks, fork_bad, fork_signaled, fork_failures);
        printf("vfork_exec_children=%ld\nvfork_exec_self=%ld\nvfork_exec_cat=%ld\n"
               "vfork_children_bad=%ld\nvfork_children_signaled=%ld\nvfork_failures=%ld\n",
               vforks_self + vforks_cat, vforks_self, vforks_cat, vfork_bad, vfork_signaled,
               vfork_failures);
        printf("cgroup_moves=%ld\ncgroup_move_failures=%ld\n", moves, move_failures);
        printf("closer_passes=%ld\ncloser_found_open=%ld\n", closer_passes, closer_found_open);
        printf("dup2_calls=%ld\ndup2_over_open=%ld\ndup2_failures=%ld\n", dup2_calls,
               dup2_over_open, dup2_failures);
        printf("harness_fds_above_63=%ld\nfds_start=%d\nfds_end=%d\n", harness_fd_high, fds_start,
               fds_end);
}

static void print_summary(const struct totals *t)
{
        long all = t->outside + t->handler;
        printf("\n== soak summary: %s, %.0f s, %ld reads (%.0f/s), %ld in signal handlers\n",
               shim_mode ? "with the library" : "without the library (--no-shim)", t->elapsed, all,
               (double)all / t->elapsed, t->handler);
        char what[80];
        for (int e = 0; e < E_COUNT; e++) {
                snprintf(what, sizeof(what), "reads through %s", entry_names[e]);
                must_be_positive(what, t->reads[e]);
        }
        must_be_positive("reads in signal handlers", t->handler);
        must_be_positive("fork children", forks);
        must_be_positive("vfork+exec children (the soak itself)", vforks_self);
        must_be_positive("vfork+exec children (/bin/cat)", vforks_cat);
        must_be_positive("moves between the two cgroups", moves);
        if (shim_mode) {
                for (int i = 0; i < 2; i++) {
                        snprintf(what, sizeof(what), "answers with MemTotal %ld kB (cgroup %c)",
                                 want.limit_kb[i], 'a' + i);
                        must_be_positive(what, limit_hits[i]);
                }
                must_be_zero("entry points that never answered one of the limits", t->one_sided);
        }
        must_be_zero("malformed reads", t->malformed);
        if (shim_mode) {
                must_be_zero("reads with host figures outside handlers", t->fig[F_HOST]);
                info("handler reads with host figures (information)", handler_fig[F_HOST]);
        } else {
                must_be_zero("reads with a limit's figures (no library loaded)",
                             t->fig[F_LIMIT] + handler_fig[F_LIMIT]);
                info("reads with host figures (all of them, without the library)",
                     t->fig[F_HOST] + handler_fig[F_HOST]);
        }
        must_be_zero(shim_mode ? "MemTotal equal to neither limit (nor the host's)"
                               : "MemTotal not the host's (nor a limit)",
                     t->fig[F_NEITHER] + handler_fig[F_NEITHER]);
        must_be_zero("descriptors at the end minus at the start", t->fd_change);
        must_be_zero("fork children bad", fork_bad);
        must_be_zero("vfork+exec children bad", vfork_bad);
        must_be_zero("failed fork/vfork calls", fork_failures + vfork_failures);
        must_be_zero("failed moves between the cgroups", move_failures);
        must_be_zero("harness descriptors numbered 64 or more (harness bug)", harness_fd_high);
        info("descriptors >= 64 found open by the closer (all passes)", closer_found_open);
        info("dup2 over a number that was open", dup2_over_open);
        info("deepest use of an alternate signal stack (bytes)", altstack_peak);
}

static int soak(void)
{
        struct fd_list fds_start, fds_end;
        /* Descriptors inherited from 64 up would be the closer's first victims. */
        close_foreign();
        list_fds(&fds_start);
        want.host_kb = host_memtotal_raw();
        want.page_kb = getpagesize() / 1024;
        expected = shim_mode ? F_LIMIT : F_HOST;
        long frame = (long)getauxval(AT_MINSIGSTKSZ);
        if (frame <= 0)
                frame = MINSIGSTKSZ;
        ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
        if (n <= 0)
                perror("soak: /proc/self/exe");
        if (want.host_kb <= 0 || n <= 0)
                return 2;
        self_exe[n] = '\0';
        const char *preload = getenv("LD_PRELOAD");
        bool preloaded = preload && strstr(preload, "cglimits");
        if (preloaded != shim_mode) {
                fprintf(stderr, "soak: mode %s but LD_PRELOAD is '%s'\n",
                        shim_mode ? "shim" : "no-shim", preload ? preload : "");
                return 2;
        }
        sem_init(&read_slots, 0, READ_SLOTS);
        install_handlers(frame);
        open_kept();
        if (!kept_ok()) {
                perror("soak: opening the kept /proc/meminfo descriptors");
                return 2;
        }
        main_thread = pthread_self();
        if (tstate_init(&main_ts) != 0) {
                perror("soak: main thread set-up");
                return 2;
        }
        pthread_t sender, controller, closer, duper, forker, vforker[2];
        for (int i = 0; i < READERS; i++) {
                readers[i].id = i;
                pthread_create(&readers[i].th, NULL, reader_thread, &readers[i]);
        }
        pthread_create(&controller, NULL, controller_thread, NULL);
        pthread_create(&closer, NULL, closer_thread, NULL);
        pthread_create(&duper, NULL, dup2_thread, NULL);
        pthread_create(&forker, NULL, fork_thread, NULL);
        pthread_create(&vforker[0], NULL, vfork_thread, NULL);
        pthread_create(&vforker[1], NULL, vfork_thread, &vforker);
        pthread_create(&sender, NULL, sender_thread, NULL);

        double start = now_s(), end = start + (double)seconds, next_note = start + 10;
        for (double t = start; t < end; t = now_s()) {
                pause_ns(20 * 1000 * 1000L);
                if (t >= next_note) {
                        fprintf(stderr, "soak: %3.0f s: %ld reads, %ld problems\n", t - start,
                                GET(n_reads), GET(n_problems));
                        next_note += 10;
                }
        }
        double elapsed = now_s() - start;

        __atomic_store_n(&stop_senders, 1, __ATOMIC_RELAXED);
        pthread_join(sender, NULL);
        __atomic_store_n(&stop_all, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < READERS; i++)
                pthread_join(readers[i].th, NULL);
        pthread_join(controller, NULL);
        pthread_join(closer, NULL);
        pthread_join(duper, NULL);
        pthread_join(forker, NULL);
        pthread_join(vforker[0], NULL);
        pthread_join(vforker[1], NULL);
        signal(SIGUSR1, SIG_IGN);
        signal(SIGUSR2, SIG_IGN);
        tstate_fini(&main_ts);
        close_kept();
        list_fds(&fds_end);

        struct totals t = {.elapsed = elapsed, .frame = frame};
        add_up(&t);
        t.fd_change = fds_end.n - fds_start.n;
        print_counts(&t, fds_start.n, fds_end.n);
        print_summary(&t);
        if (t.fd_change)
                describe_fd_change(&fds_start, &fds_end);
        fflush(stdout);
        return failures ? 1 : 0;
}

/* ------------------------------------------------------------------ supervisor */

static const char *signal_name(int sig)
{
        const char *s = sigabbrev_np(sig);
        return s ? s : "?";
}

static int supervise(void)
{
        fflush(stdout);
        pid_t p = fork();
        if (p < 0) {
                perror("soak: fork");
                return 2;
        }
        if (p == 0)
                _exit(soak());
        int st = 0;
        bool hung = false;
        double deadline = now_s() + (double)seconds + GRACE_SECONDS;
        for (;;) {
                pid_t w = waitpid(p, &st, WNOHANG);
                if (w == p)
                        break;
                if (w < 0 && errno != EINTR) {
                        perror("soak: waitpid");
                        return 2;
                }
                if (!hung && now_s() > deadline) {
                        hung = true;
                        fprintf(stderr, "soak: still running %d s after the end: killing it\n",
                                GRACE_SECONDS);
                        kill(p, SIGKILL);
                }
                pause_ns(100 * 1000 * 1000L);
        }
        bool crashed = WIFSIGNALED(st) && !hung;
        printf("crashes=%d\ncrash_signal=%s\ncore_dumped=%s\nhung=%d\n", crashed ? 1 : 0,
               crashed ? signal_name(WTERMSIG(st)) : "none",
               WIFSIGNALED(st) && WCOREDUMP(st) ? "yes" : "no", hung ? 1 : 0);
        must_be_zero("crashes of the soak process (supervised)", crashed);
        must_be_zero("soak process hung", hung);
        int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
        if (crashed)
                printf("soak: the soak process was killed by SIG%s%s\n", signal_name(WTERMSIG(st)),
                       WCOREDUMP(st) ? " (core dumped)" : "");
        if (rc == 0 && (crashed || hung))
                rc = 1;
        printf("result=%s\n", rc == 0 ? "PASS" : "FAIL");
        return rc;
}

/* ---------------------------------------------------------------- child-read */

static int child_read(void)
{
        static char buf[BUF_CAP];
        enum reason why;
        long len;
        enum figures a = read_fd(open("/proc/meminfo", O_RDONLY), buf, &why, &len);
        FILE *f = fopen("/proc/meminfo", "r");
        enum figures b = F_MALFORMED;
        if (f) {
                len = (long)fread(buf, 1, BUF_CAP, f);
                b = classify_meminfo(&want, buf, ferror(f) ? -1 : len, &why);
                fclose(f);
        }
        struct sysinfo si;
        enum figures c = sysinfo(&si) == 0 ? classify_sysinfo(&want, &si, &why) : F_MALFORMED;
        long kb;
        enum figures d = classify_pages(sysconf(_SC_PHYS_PAGES), false, &why, &kb);
        int st = child_status(a, b);
        return st ? st : child_status(c, d);
}

static int usage(void)
{
        fprintf(stderr, "usage: soak run SECONDS shim|no-shim PROCS_A PROCS_B LIMIT_A_KB "
                        "LIMIT_B_KB\n       soak child-read LIMIT_A_KB LIMIT_B_KB HOST_KB "
                        "limit|host\n");
        return 2;
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        want.page_kb = getpagesize() / 1024;
        if (argc == 6 && strcmp(argv[1], "child-read") == 0) {
                if (!parse_long(argv[2], &want.limit_kb[0]) ||
                    !parse_long(argv[3], &want.limit_kb[1]) || !parse_long(argv[4], &want.host_kb))
                        return usage();
                shim_mode = strcmp(argv[5], "limit") == 0;
                expected = shim_mode ? F_LIMIT : F_HOST;
                return child_read();
        }
        if (argc != 8 || strcmp(argv[1], "run") != 0 || !parse_long(argv[2], &seconds) ||
            seconds <= 0 || !parse_long(argv[6], &want.limit_kb[0]) ||
            !parse_long(argv[7], &want.limit_kb[1]))
                return usage();
        if (strcmp(argv[3], "shim") != 0 && strcmp(argv[3], "no-shim") != 0)
                return usage();
        shim_mode = strcmp(argv[3], "shim") == 0;
        procs_path[0] = argv[4];
        procs_path[1] = argv[5];
        return supervise();
}
