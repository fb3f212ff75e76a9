/* Timed loops over the calls the shim wraps: each mode runs for about MS milliseconds
 * after a short warm-up and prints "WALL CPU", nanoseconds per operation of wall-clock and
 * of this thread's CPU time (user + system), which leaves out the time other processes
 * take on a loaded machine. threads:T prints the operations per second of all threads. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

static const char *path;

static double clock_s(clockid_t id)
{
        struct timespec ts;
        clock_gettime(id, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
        return clock_s(CLOCK_MONOTONIC);
}

static void die(const char *what)
{
        perror(what);
        exit(1);
}

static void drain(int fd)
{
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof(buf))) > 0)
                ;
        if (n < 0)
                die("read");
}

static void op_open(void)
{
        int fd = open(path, O_RDONLY);
        if (fd < 0)
                die(path);
        close(fd);
}

static void op_fopen(void)
{
        FILE *f = fopen(path, "r");
        if (!f)
                die(path);
        fclose(f);
}

static void op_read(void)
{
        int fd = open(path, O_RDONLY);
        if (fd < 0)
                die(path);
        drain(fd);
        close(fd);
}

static void op_sysinfo(void)
{
        struct sysinfo si;
        if (sysinfo(&si) != 0)
                die("sysinfo");
}

static void op_nprocs(void)
{
        if (sysconf(_SC_NPROCESSORS_ONLN) < 1)
                die("sysconf(_SC_NPROCESSORS_ONLN)");
}

static int kept_fd = -1;

static void op_kept(void)
{
        if (kept_fd < 0 && (kept_fd = open(path, O_RDONLY)) < 0)
                die(path);
        if (lseek(kept_fd, 0, SEEK_SET) != 0)
                die("lseek");
        drain(kept_fd);
}

/* The least any synthesized file costs: a memfd created, filled with a /proc/meminfo-sized
 * text, read to its end and closed, as the shim and its caller do between them. */
static void op_memfd(void)
{
        static char text[1475];
        int fd = memfd_create("bench", MFD_CLOEXEC);
        if (fd < 0)
                die("memfd_create");
        if (pwrite(fd, text, sizeof(text), 0) != (ssize_t)sizeof(text))
                die("pwrite");
        drain(fd);
        close(fd);
}

/* What the shim does per kept file on every load: fstat to prove the descriptor is still
 * the file, then pread from 0. */
static void op_reread(void)
{
        static char buf[8192];
        struct stat st;
        if (kept_fd < 0 && (kept_fd = open(path, O_RDONLY)) < 0)
                die(path);
        if (fstat(kept_fd, &st) != 0 || pread(kept_fd, buf, sizeof(buf), 0) < 0)
                die("fstat+pread");
}

/* One public query (cglimits_memory), PATH being the library, loaded in main: no build-time
 * dependency on it. */
struct query_memory {
        unsigned size, flags;
        char rest[4096];
};
static int (*query_fn)(struct query_memory *, unsigned);

static void op_query(void)
{
        static struct query_memory m;
        m.size = sizeof(m);
        if (query_fn(&m, 0) != 0)
                die("cglimits_memory");
}

static atomic_int stop;

static void *spin(void *arg)
{
        unsigned long *count = arg;
        while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
                op_read();
                ++*count;
        }
        return NULL;
}

/* T threads doing open+read+close for ms milliseconds; prints total operations per second. */
static void threads(int t, int ms)
{
        pthread_t tid[64];
        unsigned long count[64][8] = {{0}}; /* a cache line apart */
        if (t < 1 || t > 64)
                exit(2);
        op_read();
        double t0 = now();
        for (int i = 0; i < t; i++)
                if (pthread_create(&tid[i], NULL, spin, count[i]) != 0)
                        die("pthread_create");
        struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000};
        nanosleep(&d, NULL);
        atomic_store(&stop, 1);
        unsigned long total = 0;
        for (int i = 0; i < t; i++) {
                pthread_join(tid[i], NULL);
                total += count[i][0];
        }
        printf("%.1f\n", (double)total / (now() - t0));
}

int main(int argc, char **argv)
{
        static const struct {
                const char *name;
                void (*op)(void);
        } ops[] = {{"open", op_open},       {"fopen", op_fopen},   {"read", op_read},
                   {"sysinfo", op_sysinfo}, {"kept", op_kept},     {"memfd", op_memfd},
                   {"reread", op_reread},   {"nprocs", op_nprocs}, {"query", op_query}};
        if (argc != 4) {
                fprintf(
                    stderr,
                    "usage: micro open|fopen|read|sysinfo|kept|memfd|reread|nprocs|query|threads:T "
                    "PATH MS\n");
                return 2;
        }
        path = argv[2];
        int ms = atoi(argv[3]);
        if (strcmp(argv[1], "query") == 0) {
                void *lib = dlopen(path, RTLD_NOW);
                if (!lib || !(query_fn = (int (*)(struct query_memory *, unsigned))dlsym(
                                  lib, "cglimits_memory"))) {
                        fprintf(stderr, "micro: %s\n", dlerror());
                        return 1;
                }
        }
        if (strncmp(argv[1], "threads:", 8) == 0) {
                threads(atoi(argv[1] + 8), ms);
                return 0;
        }
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
                if (strcmp(argv[1], ops[i].name) != 0)
                        continue;
                for (int k = 0; k < 8; k++)
                        ops[i].op();
                double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), t0 = now(), t;
                long n = 0;
                do {
                        for (int k = 0; k < 16; k++)
                                ops[i].op();
                        n += 16;
                } while ((t = now()) < t0 + ms * 1e-3);
                double c = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
                printf("%.1f %.1f\n", (t - t0) * 1e9 / (double)n, c * 1e9 / (double)n);
                return 0;
        }
        fprintf(stderr, "micro: unknown mode %s\n", argv[1]);
        return 2;
}
