#include "cpu_view.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int read_level_file(struct cpu_work *w, unsigned level, const char *name, char *buf,
                           size_t cap)
{
        int r = cgroup_level_file(&w->io, &w->loc, w->level_len[level], name);
        if (r < 0)
                return r;
        return cgl_read_file(&w->io, w->io.name, buf, cap);
}

/* -ENOENT: the level has no bandwidth files, so no limit. */
static int read_level_quota(struct cpu_work *w, unsigned level, struct cpu_quota *q)
{
        char quota[64], period[64];
        if (w->loc.version == 2) {
                int n = read_level_file(w, level, "cpu.max", quota, sizeof(quota));
                if (n < 0)
                        return n;
                return cpu_max_parse(quota, (size_t)n, q);
        }
        int nq = read_level_file(w, level, "cpu.cfs_quota_us", quota, sizeof(quota));
        if (nq < 0)
                return nq;
        int np = read_level_file(w, level, "cpu.cfs_period_us", period, sizeof(period));
        if (np < 0)
                return np;
        return cpu_cfs_parse(quota, (size_t)nq, period, (size_t)np, q);
}

/* 0 with w->loc set, 1 when no mount shows the process's cpu cgroup, or a negative errno. */
static int locate_cpu(struct cpu_work *w, pid_t pid)
{
        struct proc_cgroup *pc = &w->locate.pc;
        int r = cgroup_proc_cgroup_read(&w->io, CGL_CPU, pc);
        if (r < 0)
                return r;
        unsigned up = 0;
        r = cgroup_locate_mounts(&w->io, pc, &w->locate, &w->loc, &up);
        if (r == -ENOENT)
                return 1;
        if (r != -EXDEV)
                return r;
        return cgroup_locate_search(&w->io, pid, pc, up, &w->locate, &w->loc);
}

int cgl_cpu_limit_load(const char *root, pid_t pid, struct cpu_work *w)
{
        cgl_io_init(&w->io, root);
        w->nlevels = 0;
        int r = locate_cpu(w, pid);
        if (r == 1) {
                /* No mount shows the cpu controller (or the process has no cgroup of it):
                 * nothing limits. A failed namespace search is not this case. */
                memset(&w->loc, 0, sizeof(w->loc));
                return 0;
        }
        if (r < 0)
                return r;
        size_t len = strlen(w->loc.dir);
        if (len < w->loc.top_len)
                return -EINVAL;
        for (;;) {
                unsigned i = w->nlevels;
                w->level_len[i] = (unsigned short)len;
                r = read_level_quota(w, i, &w->level[i]);
                if (r == -ENOENT)
                        w->level[i] = (struct cpu_quota){.limited = false, .period_us = 1};
                else if (r < 0)
                        return r;
                w->nlevels++;
                size_t parent = cgroup_parent_len(&w->loc, len);
                if (parent == len || w->nlevels == CGL_MAX_LEVELS)
                        return 0;
                len = parent;
        }
}

int cgl_cpu_limiting_level(const struct cpu_work *w)
{
        int best = -1;
        uint32_t fewest = UINT32_MAX;
        for (unsigned i = 0; i < w->nlevels; i++) {
                uint32_t cpus = cpu_quota_cpus(&w->level[i]);
                if (cpus < fewest) {
                        fewest = cpus;
                        best = (int)i;
                }
        }
        return best;
}

uint32_t cgl_mask_count(const unsigned char *mask, size_t len)
{
        uint32_t n = 0;
        for (size_t i = 0; i < len; i++)
                n += (uint32_t)__builtin_popcount(mask[i]);
        return n;
}

int cgl_affinity_count(void *buf, size_t cap)
{
        /* The raw call returns the size of the kernel's mask (nr_cpu_ids bits rounded up to
         * a long) and fails with EINVAL when cap is smaller; the libc wrappers differ in
         * what they clear. */
        long n = syscall(SYS_sched_getaffinity, 0, cap, buf);
        if (n < 0)
                return -errno;
        if ((size_t)n > cap)
                return -EINVAL;
        uint32_t cpus = cgl_mask_count(buf, (size_t)n);
        return cpus > 0 ? (int)cpus : 1;
}
