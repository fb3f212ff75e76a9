/* probe_fork_exec keep|strip: opens /proc/meminfo WITHOUT O_CLOEXEC, forks,
 * and the child execs this very program as "probe_fork_exec --child FD", which
 * reads the inherited descriptor from offset 0.  With "strip" the child runs
 * without LD_PRELOAD, so what it reads must come from the descriptor itself.
 *
 * Output (parent): parent_MemTotal (fresh open in the parent after the child
 * finished), child_status (0).  Output (child): child_fd_cloexec (0),
 * child_fdlink, child_MemTotal, child_MemFree, child_MemAvailable,
 * child_preload (1 when LD_PRELOAD was set in the child). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char g_buf[PROBE_BUF_SIZE];

static int child_main(const char *fdarg)
{
        int fd = atoi(fdarg);
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0)
                probe_die("child fcntl(F_GETFD) on inherited fd");
        printf("child_fd_cloexec=%d\n", (flags & FD_CLOEXEC) ? 1 : 0);
        printf("child_preload=%d\n", getenv("LD_PRELOAD") ? 1 : 0);
        probe_print_fdlink("child_fdlink", fd);
        if (probe_read_fd_all(fd, g_buf, sizeof g_buf) < 0)
                probe_die("child read");
        struct probe_meminfo m;
        probe_meminfo_parse(g_buf, &m);
        printf("child_MemTotal=%lld\nchild_MemFree=%lld\nchild_MemAvailable=%lld\n", m.mem_total,
               m.mem_free, m.mem_available);
        printf("child_wellformed=%d\n", m.wellformed);
        return 0;
}

int main(int argc, char **argv)
{
        if (argc == 3 && strcmp(argv[1], "--child") == 0)
                return child_main(argv[2]);
        if (argc != 2 || (strcmp(argv[1], "keep") != 0 && strcmp(argv[1], "strip") != 0)) {
                fprintf(stderr, "usage: %s keep|strip\n", argv[0]);
                return 2;
        }
        int strip = strcmp(argv[1], "strip") == 0;
        int fd = open(PROBE_MEMINFO, O_RDONLY);
        if (fd < 0)
                probe_die("open");
        char fdstr[16];
        snprintf(fdstr, sizeof fdstr, "%d", fd);
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
                probe_die("fork");
        if (pid == 0) {
                if (strip)
                        unsetenv("LD_PRELOAD");
                execl("/proc/self/exe", argv[0], "--child", fdstr, (char *)NULL);
                probe_die("execl /proc/self/exe");
        }
        int status;
        if (waitpid(pid, &status, 0) != pid)
                probe_die("waitpid");
        close(fd);
        printf("child_status=%d\n",
               WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        printf("parent_MemTotal=%lld\n", probe_read_mem_total());
        return 0;
}
