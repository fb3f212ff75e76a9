/* The whole derivation on arbitrary input: a host /proc/meminfo, a memory.stat, a
 * /proc/self/cgroup and a mountinfo, plus the numbers of up to four cgroup levels, go
 * through locate, pick, compute, render and sysinfo_fill; the invariants every consumer
 * relies on are checked on the result.
 *
 * Input layout: 80 header bytes (flags and little-endian numbers), then four NUL-separated
 * texts: meminfo, memory.stat, /proc/self/cgroup, mountinfo. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_locate.h"
#include "meminfo_parse.h"
#include "meminfo_render.h"
#include "mem_view.h"
#include "sysinfo_fill.h"
#include "value_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER 80

static uint64_t u64_at(const uint8_t *p)
{
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
                v = v << 8 | p[i];
        return v;
}

/* Numbers from the header: mostly plausible sizes, sometimes extremes. */
static uint64_t pick_number(const uint8_t *p)
{
        uint64_t v = u64_at(p);
        switch (v & 3) {
        case 0:
                return v >> 20; /* up to a few TiB */
        case 1:
                return (v >> 2) % (64ull << 30);
        case 2:
                return CGL_UNLIMITED;
        default:
                return v;
        }
}

static size_t next_text(const uint8_t *data, size_t size, size_t *pos, const char **text)
{
        size_t start = *pos;
        size_t i = start;
        while (i < size && data[i] != 0)
                i++;
        *text = (const char *)data + start;
        *pos = i < size ? i + 1 : size;
        return i - start;
}

#define check(cond)                                                                                \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "invariant broken: %s (line %d)\n", #cond, __LINE__);      \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

static void consider_lines(struct locate_state *st, const char *text, size_t len)
{
        size_t start = 0;
        static struct mount_entry e;
        static struct cgroup_location scratch;
        for (size_t i = 0; i <= len; i++) {
                if (i < len && text[i] != '\n')
                        continue;
                if (mountinfo_parse_line(text + start, i - start, &e) == 0)
                        cgroup_locate_consider(st, &e, &scratch);
                start = i + 1;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < HEADER)
                return 0;
        const uint8_t *h = data;
        size_t pos = HEADER;
        const char *meminfo, *stat_text, *cgroup_text, *mounts;
        size_t meminfo_len = next_text(data, size, &pos, &meminfo);
        size_t stat_len = next_text(data, size, &pos, &stat_text);
        size_t cgroup_len = next_text(data, size, &pos, &cgroup_text);
        size_t mounts_len = next_text(data, size, &pos, &mounts);

        /* Locating from the texts must never crash, whatever they hold. */
        struct proc_cgroup pc;
        if (proc_cgroup_parse(cgroup_text, cgroup_len, &pc) == 0) {
                struct locate_state st;
                struct cgroup_location loc;
                unsigned up;
                cgroup_locate_begin(&st, &pc);
                consider_lines(&st, mounts, mounts_len);
                int r = cgroup_locate_finish(&st, &loc, &up);
                if (r == 0 || r == -EXDEV)
                        check(loc.top_len <= strlen(loc.dir) && loc.dir[0] == '/');
        }

        struct host_meminfo host;
        if (meminfo_parse(meminfo, meminfo_len, &host) != 0)
                return 0;

        int version = (h[0] & 1) + 1;
        struct memstat stat;
        bool have_stat = memstat_parse(stat_text, stat_len, version, &stat) == 0;

        struct cgroup_sample s;
        memset(&s, 0, sizeof(s));
        s.version = version;
        s.nlevels = 1 + (h[1] & 3);
        s.top_is_root = h[2] & 1;
        s.hierarchical_limit = (h[2] & 2) ? pick_number(h + 64) : CGL_UNLIMITED;
        s.hierarchical_memsw = (h[2] & 4) ? pick_number(h + 72) : CGL_UNLIMITED;
        for (unsigned i = 0; i < s.nlevels; i++) {
                struct cgroup_level *lv = &s.level[i];
                const uint8_t *n = h + 8 + 12 * i;
                lv->accounted = !(h[3] & (1u << i));
                lv->has_swap = h[4] & (1u << i);
                lv->source = version == 1 ? LIMIT_V1_LIMIT : LIMIT_V2_MAX;
                lv->limit = pick_number(n);
                lv->usage = u64_at(n + 4) >> (h[5] & 63);
                lv->swap_limit = lv->has_swap ? pick_number(n + 2) : CGL_UNLIMITED;
                lv->swap_usage = u64_at(n + 3) >> (h[6] & 63);
        }
        uint64_t override = (h[7] & 1) ? pick_number(h + 56) : CGL_UNLIMITED;

        struct mem_view v;
        int level = mem_view_pick_limit(&s, &host, override, &v);
        if (v.passthrough) {
                check(v.limit >= host.mem_total);
                return 0;
        }
        check(v.limit < host.mem_total);
        mem_view_compute(&s, level >= 0 && have_stat ? &stat : NULL, &host, override, &v);

        const uint64_t *f = v.field;
        check(f[VF_MEM_TOTAL] == v.limit);
        check(f[VF_MEM_FREE] <= f[VF_MEM_AVAILABLE]);
        check(f[VF_MEM_AVAILABLE] <= f[VF_MEM_TOTAL]);
        check(f[VF_MEM_FREE] <= host.mem_free);
        check(f[VF_MEM_AVAILABLE] <= host.mem_available);
        check(f[VF_CACHED] + f[VF_SRECLAIMABLE] <= f[VF_MEM_TOTAL] - f[VF_MEM_FREE]);
        check(f[VF_SWAP_FREE] <= f[VF_SWAP_TOTAL]);
        check(f[VF_SWAP_TOTAL] <= host.swap_total);
        for (int k = 0; k < VF_COUNT; k++)
                if (k != VF_SWAP_TOTAL && k != VF_SWAP_FREE && k != VF_ZSWAPPED)
                        check(f[k] <= f[VF_MEM_TOTAL]);

        char out[4096];
        int len = meminfo_render(meminfo, meminfo_len, &v, out, sizeof(out) - 1);
        if (len >= 0) {
                check(len < 4096);
                struct host_meminfo back;
                check(meminfo_parse(out, (size_t)len, &back) == 0);
                check(back.mem_total == f[VF_MEM_TOTAL] / 1024 * 1024);
                check(back.mem_free <= back.mem_available);
                check(back.mem_available <= back.mem_total);
                check(back.swap_free <= back.swap_total);
        } else {
                check(len == -ENOSPC || len == -EINVAL);
        }

        struct sysinfo si;
        memset(&si, 0, sizeof(si));
        si.mem_unit = 1u << (h[8] % 13);
        sysinfo_fill(&v, &si);
        check(si.freeram <= si.totalram);
        check(si.freeswap <= si.totalswap);
        check(view_avphys_pages(&v, 4096) <= view_phys_pages(&v, 4096));
        return 0;
}
