/* How much memory may this process use, and how much can it still take?
 *
 *   cc memory.c $(pkg-config --cflags --libs cglimits-query) -o memory
 *   ./memory [PID]
 */
#include <cglimits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
        struct cglimits_memory m = {.size = sizeof(m)};
        pid_t pid = argc > 1 ? (pid_t)atoi(argv[1]) : 0;
        int r = cglimits_memory_pid(pid, &m, 0);
        if (r < 0) {
                fprintf(stderr, "cglimits_memory_pid: %s\n", strerror(-r));
                return 1;
        }
        printf("total=%" PRIu64 " free=%" PRIu64 " available=%" PRIu64 " used=%" PRIu64 "\n",
               m.total, m.free, m.available, m.used);
        printf("swap_total=%" PRIu64 " swap_free=%" PRIu64 "\n", m.swap_total, m.swap_free);
        if (m.flags & CGLIMITS_HOST)
                printf("limit=none (the host's figures)\n");
        else
                printf("limit=%" PRIu64 " from %s/%s\n", m.limit, m.limit_dir, m.limit_file);
        printf("cgroup=v%d %s\n", m.cgroup_version, m.cgroup_dir);
        printf("library=%s\n", cglimits_version());
        return 0;
}
