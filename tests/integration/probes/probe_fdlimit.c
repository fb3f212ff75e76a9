/* probe_fdlimit: the library must cost the program no descriptor it could notice. With
 * RLIMIT_NOFILE lowered to 256, reads /proc/meminfo three times, then opens /dev/null until
 * EMFILE, closes those, reads /proc/meminfo once more, and execs itself with "count" to see
 * what a new program inherits.
 *
 * First, in a child that reads /proc/meminfo twice more, moves itself to the cgroup.procs of
 * PROBE_MOVE_PROCS when that is set, fills its table with dup(2), which the shim does not
 * see, and opens /proc/meminfo: full_open is the MemTotal it got, or the errno name (never
 * the host's figures: with no descriptor left the open fails as it would without the shim).
 *
 * Output: kept_MemTotal (third read), opened (descriptors obtained before EMFILE),
 * emfile_errno, after_MemTotal, full_open, then from the exec'd image: inherited
 * (descriptors >= 3). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIMIT 256

static char g_buf[PROBE_BUF_SIZE];

int main(int argc, char **argv)
{
        if (argc > 1 && strcmp(argv[1], "count") == 0) {
                int n = 0;
                for (int fd = 3; fd < LIMIT; fd++)
                        n += fcntl(fd, F_GETFD) >= 0;
                printf("inherited=%d\n", n);
                return 0;
        }
        struct rlimit rl = {LIMIT, LIMIT};
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
                probe_die("setrlimit");
        long long total = 0;
        for (int i = 0; i < 3; i++)
                total = probe_read_mem_total();
        printf("kept_MemTotal=%lld\n", total);
        fflush(stdout);

        pid_t child = fork();
        if (child < 0)
                probe_die("fork");
        if (child == 0) {
                probe_read_mem_total();
                probe_read_mem_total();
                /* With PROBE_MOVE_PROCS (a cgroup.procs file), move there first: the next
                 * load then has files to open while the table is full. */
                const char *procs = getenv("PROBE_MOVE_PROCS");
                if (procs && *procs) {
                        FILE *f = fopen(procs, "w");
                        if (!f || fprintf(f, "0\n") < 0 || fclose(f) != 0)
                                probe_die("move");
                }
                while (dup(0) >= 0)
                        ;
                int fd = open(PROBE_MEMINFO, O_RDONLY);
                if (fd < 0) {
                        printf("full_open=%s\n", errno == EMFILE ? "EMFILE" : strerror(errno));
                } else {
                        struct probe_meminfo m;
                        if (probe_read_fd_all(fd, g_buf, sizeof(g_buf)) < 0 ||
                            probe_meminfo_parse(g_buf, &m) < 0)
                                probe_die("read after dup");
                        printf("full_open=%lld\n", m.mem_total);
                }
                fflush(stdout);
                _exit(0);
        }
        int status;
        if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
                probe_die("child");

        static int fds[LIMIT];
        int n = 0;
        for (;;) {
                int fd = open("/dev/null", O_RDONLY);
                if (fd < 0) {
                        printf("emfile_errno=%s\n", errno == EMFILE ? "EMFILE" : strerror(errno));
                        break;
                }
                fds[n++] = fd;
        }
        printf("opened=%d\n", n);
        while (n > 0)
                close(fds[--n]);
        printf("after_MemTotal=%lld\n", probe_read_mem_total());
        fflush(stdout);

        execl("/proc/self/exe", argv[0], "count", (char *)NULL);
        probe_die("exec");
}
