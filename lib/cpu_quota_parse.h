/* CPU bandwidth limits of a cgroup level: cgroup v2's cpu.max and cgroup v1's
 * cpu.cfs_quota_us with cpu.cfs_period_us, and the whole CPUs such a limit allows. */
#ifndef CGLIMITS_CPU_QUOTA_PARSE_H
#define CGLIMITS_CPU_QUOTA_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu_quota {
        bool limited;       /* false: "max" (v2) or -1 (v1), no bandwidth limit */
        uint64_t quota_us;  /* run time allowed per period, when limited */
        uint64_t period_us; /* never 0 */
};

/* cpu.max as the kernel prints it: "max PERIOD\n" or "QUOTA PERIOD\n" (one trailing newline
 * allowed). -EINVAL on anything else, a period of 0 included; -ERANGE on overflow. out is
 * written only on success. */
int cpu_max_parse(const char *buf, size_t len, struct cpu_quota *out);

/* cpu.cfs_quota_us ("-1\n" for none, else a positive number) and cpu.cfs_period_us. The
 * kernel shows every unlimited quota as -1; any other negative value or a quota or period of
 * 0 is -EINVAL. out is written only on success. */
int cpu_cfs_parse(const char *quota, size_t quota_len, const char *period, size_t period_len,
                  struct cpu_quota *out);

/* The CPUs a quota allows, rounded up (0.5 CPU gives 1, 1.5 gives 2), as OpenJDK and .NET
 * count them; UINT32_MAX when q is not limited or the figure does not fit. */
uint32_t cpu_quota_cpus(const struct cpu_quota *q);

/* The CPU count a process is told: the CPUs it may run on (its affinity mask, at least 1),
 * lowered to the smallest figure of the quotas of its cgroup's levels. Shares and weights are
 * not limits and have no say. */
uint32_t cpu_count_rule(uint32_t affinity_cpus, const struct cpu_quota *levels, size_t n);

#endif
