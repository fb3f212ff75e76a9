/* The CPU bandwidth limits of the calling process's cpu cgroup, level by level, and the
 * CPUs the process may run on: what the CPU count (CGLIMITS_CPUS) is made of. */
#ifndef CGLIMITS_CPU_VIEW_H
#define CGLIMITS_CPU_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup_locate.h"
#include "cgroup_sample.h"
#include "cpu_quota_parse.h"
#include "file_read.h"

/* Everything a load needs beyond a small stack (caller-provided, one load at a time), and
 * what it found. */
struct cpu_work {
        struct cgl_io io;
        struct locate_work locate;
        struct cgroup_location loc; /* loc.version is 0 when no cpu cgroup is visible */
        unsigned nlevels;
        struct cpu_quota level[CGL_MAX_LEVELS];   /* level[0] is the process's own cgroup */
        unsigned short level_len[CGL_MAX_LEVELS]; /* its directory is loc.dir[0..level_len) */
};

/* Reads the quota of every visible level of the process's cpu cgroup (root: the sysroot
 * prefix or NULL): v2 cpu.max, v1 cpu.cfs_quota_us and cpu.cfs_period_us. A level without
 * those files (v2 without +cpu in the parent's subtree_control, the real root, a kernel
 * without CFS bandwidth control) limits nothing, and so does a process whose cpu controller
 * no mount shows (nlevels 0). An unreadable or garbled file, or a cgroup that a namespace
 * search cannot find, is a negative errno: the caller then passes through. pid is the
 * caller's, or 0 to have it asked only for that search. */
int cgl_cpu_limit_load(const char *root, pid_t pid, struct cpu_work *w);

/* The level whose quota allows the fewest CPUs, or -1 when none limits. */
int cgl_cpu_limiting_level(const struct cpu_work *w);

/* The number of CPUs in the calling thread's affinity mask (sched_getaffinity), read
 * through buf (cap bytes, a multiple of 8; 4 KiB covers 32768 CPUs). At least 1, or a
 * negative errno (-EINVAL when the kernel's mask is larger than cap). */
int cgl_affinity_count(void *buf, size_t cap);

/* The number of bits set in a mask of len bytes. */
uint32_t cgl_mask_count(const unsigned char *mask, size_t len);

#endif
