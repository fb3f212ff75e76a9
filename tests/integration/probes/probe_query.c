/* probe_query: the public call (cglimits_memory, or cglimits_memory_pid with a pid
 * argument), then /proc/meminfo read by this same process (through the shim when it is
 * preloaded). Prints api_* keys (bytes; api_total_kB etc. in kB for comparison with
 * meminfo_* keys) and the meminfo_* keys of probe_meminfo_print. */
#include "probe_common.h"

#include <cglimits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        struct cglimits_memory m = {.size = sizeof(m)};
        pid_t pid = argc > 1 ? (pid_t)atoi(argv[1]) : 0;
        int r = cglimits_memory_pid(pid, &m, 0);
        if (r < 0) {
                fprintf(stderr, "probe_query: cglimits_memory_pid: %s\n", strerror(-r));
                return 1;
        }
        printf("api_total_bytes=%" PRIu64 "\napi_free_bytes=%" PRIu64 "\n", m.total, m.free);
        printf("api_available_bytes=%" PRIu64 "\napi_used_bytes=%" PRIu64 "\n", m.available,
               m.used);
        printf("api_MemTotal=%" PRIu64 "\napi_MemFree=%" PRIu64 "\napi_MemAvailable=%" PRIu64 "\n",
               m.total / 1024, m.free / 1024, m.available / 1024);
        printf("api_limit_bytes=%" PRIu64 "\napi_host=%d\napi_cgroup_version=%d\n", m.limit,
               (m.flags & CGLIMITS_HOST) ? 1 : 0, m.cgroup_version);
        printf("api_cgroup_dir=%s\napi_limit_dir=%s\napi_limit_file=%s\n", m.cgroup_dir,
               m.limit_dir, m.limit_file);

        static char buf[PROBE_BUF_SIZE];
        int fd = open(PROBE_MEMINFO, O_RDONLY);
        if (fd < 0 || probe_read_fd_all(fd, buf, sizeof(buf)) < 0)
                probe_die("read " PROBE_MEMINFO);
        close(fd);
        struct probe_meminfo mi;
        if (probe_meminfo_parse(buf, &mi) < 0)
                probe_die("parse " PROBE_MEMINFO);
        probe_meminfo_print("meminfo_", &mi);
        return 0;
}
