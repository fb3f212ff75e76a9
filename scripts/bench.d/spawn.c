/* Process start: spawns PROG RUNS times in each variant, in turn (without LD_PRELOAD, then
 * with LD_PRELOAD=LIB for each LIB given), and prints the medians of the child's CPU time
 * (user + system, from wait4) for each variant, then those of the wall time of
 * spawn+exec+wait, in nanoseconds, on one line. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

static double now_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static double median(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(double), cmp);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void run(char *prog, char **envp, double *cpu, double *wall)
{
        char *argv[] = {prog, NULL};
        struct rusage ru;
        pid_t pid;
        int status;
        double t0 = now_ns();
        if (posix_spawn(&pid, prog, NULL, NULL, argv, envp) != 0 ||
            wait4(pid, &status, 0, &ru) != pid || status != 0) {
                fprintf(stderr, "spawn: %s failed\n", prog);
                exit(1);
        }
        *wall = now_ns() - t0;
        *cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

int main(int argc, char **argv)
{
        if (argc < 3) {
                fprintf(stderr, "usage: spawn RUNS PROG [LIB...]\n");
                return 2;
        }
        int n = atoi(argv[1]), variants = argc - 2;
        char **env = calloc(2 * (size_t)variants, sizeof(char *));
        double *cpu = calloc((size_t)(variants * n), sizeof(double));
        double *wall = calloc((size_t)(variants * n), sizeof(double));
        if (n < 1 || !env || !cpu || !wall)
                return 2;
        for (int k = 1; k < variants; k++)
                if (asprintf(&env[2 * k], "LD_PRELOAD=%s", argv[2 + k]) < 0)
                        return 2;
        for (int i = -10; i < n; i++) /* the first ten rounds warm up */
                for (int k = 0; k < variants; k++)
                        run(argv[2], &env[2 * k], &cpu[k * n + (i < 0 ? 0 : i)],
                            &wall[k * n + (i < 0 ? 0 : i)]);
        for (int k = 0; k < variants; k++)
                printf("%.0f ", median(cpu + k * n, n));
        for (int k = 0; k < variants; k++)
                printf("%.0f%s", median(wall + k * n, n), k < variants - 1 ? " " : "\n");
        return 0;
}
