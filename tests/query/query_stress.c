/* The public call from many threads on 16 KiB stacks at once, more of them than the
 * library's static work areas (so some calls map theirs), and from signal handlers on an
 * 8 KiB alternate stack that interrupt those calls. Every call must succeed, leave errno
 * alone and give the same answer as the first: with the test build over a fixture tree the
 * whole struct (CGLIMITS_SYSROOT set), with the installed build on the real system the
 * cgroup directory. Counts, not times, end it: each thread makes CALLS calls, and main
 * sends each thread SIGNALS signals, each one after the previous one was handled.
 *
 *   query_stress exact|dir */
#include <cglimits.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 10
#define CALLS   300
#define SIGNALS 40

static struct cglimits_memory first;
static int exact;
static atomic_int failures;
static atomic_int handled[THREADS];
static atomic_int finished;
static atomic_int ready;
static __thread int self = -1;

static void check(const char *where)
{
        struct cglimits_memory m = {.size = sizeof(m)};
        errno = 4242;
        int r = cglimits_memory(&m, 0);
        int same = exact ? memcmp(&m, &first, sizeof(m)) == 0
                         : strcmp(m.cgroup_dir, first.cgroup_dir) == 0;
        if (r != 0 || errno != 4242 || !same) {
                atomic_fetch_add(&failures, 1);
                static const char msg[] = "query_stress: a call failed or differed\n";
                (void)!write(2, msg, sizeof(msg) - 1);
        }
        (void)where;
}

static void on_signal(int sig)
{
        (void)sig;
        int saved = errno;
        check("handler");
        atomic_fetch_add(&handled[self], 1);
        errno = saved;
}

static void *worker(void *arg)
{
        self = (int)(long)arg;
        static char alt[THREADS][8192];
        stack_t ss = {.ss_sp = alt[self], .ss_size = sizeof(alt[self])};
        if (sigaltstack(&ss, NULL) != 0)
                abort();
        /* Signals only once self and the alternate stack are set. */
        atomic_fetch_add(&ready, 1);
        for (int i = 0; i < CALLS; i++)
                check("thread");
        /* Stay until main has delivered every signal. */
        while (atomic_load(&handled[self]) < SIGNALS)
                sched_yield();
        atomic_fetch_add(&finished, 1);
        return NULL;
}

int main(int argc, char **argv)
{
        exact = argc > 1 && strcmp(argv[1], "exact") == 0;
        first.size = sizeof(first);
        int r = cglimits_memory(&first, 0);
        if (r != 0) {
                fprintf(stderr, "query_stress: first call: %s\n", strerror(-r));
                return 1;
        }
        struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_ONSTACK | SA_RESTART};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);

        pthread_t tid[THREADS];
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 16384 > PTHREAD_STACK_MIN ? 16384 : PTHREAD_STACK_MIN);
        for (long i = 0; i < THREADS; i++)
                if (pthread_create(&tid[i], &attr, worker, (void *)i) != 0)
                        abort();
        while (atomic_load(&ready) < THREADS)
                sched_yield();
        for (int s = 0; s < SIGNALS; s++)
                for (int i = 0; i < THREADS; i++) {
                        int before = atomic_load(&handled[i]);
                        pthread_kill(tid[i], SIGUSR1);
                        while (atomic_load(&handled[i]) == before)
                                sched_yield();
                }
        for (int i = 0; i < THREADS; i++)
                pthread_join(tid[i], NULL);
        int f = atomic_load(&failures);
        printf("%d threads x %d calls, %d handled signals, %d failures (%s)\n", THREADS, CALLS,
               THREADS * SIGNALS, f, exact ? "whole struct" : "cgroup directory");
        return f == 0 && atomic_load(&finished) == THREADS ? 0 : 1;
}
