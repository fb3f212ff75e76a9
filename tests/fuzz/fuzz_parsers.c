/* One libFuzzer target per parser, chosen at build time with -DFUZZ_<NAME>. Every parser
 * must return a result or a negative errno, never read out of bounds, and leave its output
 * untouched on failure. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_quota_parse.h"
#include "meminfo_parse.h"
#include "memstat_parse.h"
#include "mountinfo_parse.h"
#include "proc_cgroup_parse.h"
#include "value_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A copy without a terminating NUL, so that ASan sees any read past the end. */
static char *exact_copy(const uint8_t *data, size_t size)
{
        char *buf = malloc(size ? size : 1);
        if (size)
                memcpy(buf, data, size);
        return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *buf = exact_copy(data, size);
#if defined(FUZZ_MEMSTAT)
        for (int version = 1; version <= 2; version++) {
                struct memstat st, before;
                memset(&st, 0xa5, sizeof(st));
                before = st;
                int r = memstat_parse(buf, size, version, &st);
                if (r < 0 && memcmp(&st, &before, sizeof(st)) != 0)
                        abort();
                if (r == 0 && !(st.present & (1u << MS_ANON)))
                        abort();
        }
#elif defined(FUZZ_MEMINFO)
        struct host_meminfo h, before;
        memset(&h, 0x5a, sizeof(h));
        before = h;
        int r = meminfo_parse(buf, size, &h);
        if (r < 0 && memcmp(&h, &before, sizeof(h)) != 0)
                abort();
        if (r == 0 && (h.mem_total % 1024 || h.mem_free % 1024))
                abort();
#elif defined(FUZZ_PROC_CGROUP)
        struct proc_cgroup pc;
        int r = proc_cgroup_parse(buf, size, &pc);
        if (r == 0 && pc.has_v1 && pc.v1_path[0] != '/')
                abort();
        if (r == 0 && pc.has_unified && pc.unified_path[0] != '/')
                abort();
#elif defined(FUZZ_MOUNTINFO)
        struct mount_entry e;
        int r = mountinfo_parse_line(buf, size, &e);
        if (r == 0 && e.kind != MOUNT_OTHER &&
            (strlen(e.root) >= CGL_PATH_MAX || strlen(e.point) >= CGL_PATH_MAX))
                abort();
#elif defined(FUZZ_VALUES)
        uint64_t v = 7;
        if (cgl_parse_limit(buf, size, &v) < 0 && v != 7)
                abort();
        char *str = malloc(size + 1);
        memcpy(str, data, size);
        str[size] = '\0';
        v = 7;
        if (cgl_parse_size(str, &v) < 0 && v != 7)
                abort();
        char out[32];
        int n = cgl_format_u64(out, sizeof(out), v, size % 24);
        if (n < 0 && size % 24 <= 20)
                abort();
        free(str);
#elif defined(FUZZ_CPU_QUOTA)
        /* cpu.max as a whole; the v1 pair split at the first NUL (quota, then period). */
        struct cpu_quota q, before;
        memset(&q, 0x3c, sizeof(q));
        before = q;
        int r = cpu_max_parse(buf, size, &q);
        if (r < 0 && memcmp(&q, &before, sizeof(q)) != 0)
                abort();
        if (r == 0 && (q.period_us == 0 || cpu_quota_cpus(&q) == 0))
                abort();
        const char *nul = memchr(buf, '\0', size);
        size_t qlen = nul ? (size_t)(nul - buf) : size / 2;
        size_t prest = nul ? size - qlen - 1 : size - qlen;
        memset(&q, 0x3c, sizeof(q));
        r = cpu_cfs_parse(buf, qlen, buf + size - prest, prest, &q);
        if (r < 0 && memcmp(&q, &before, sizeof(q)) != 0)
                abort();
        if (r == 0 && (q.period_us == 0 || cpu_quota_cpus(&q) == 0))
                abort();
        if (r == 0 && cpu_count_rule(size % 7, &q, 1) == 0)
                abort();
#else
#error "choose a parser with -DFUZZ_<NAME>"
#endif
        free(buf);
        return 0;
}
