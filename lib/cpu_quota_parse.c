#include "cpu_quota_parse.h"

#include <errno.h>
#include <string.h>

#include "value_parse.h"

/* One trailing newline is allowed and dropped. */
static size_t without_newline(const char *buf, size_t len)
{
        return len > 0 && buf[len - 1] == '\n' ? len - 1 : len;
}

/* The two fields of either version: the quota (the word none for no limit) and the period. */
static int quota_period(const char *quota, size_t quota_len, const char *none, const char *period,
                        size_t period_len, struct cpu_quota *out)
{
        struct cpu_quota q = {.limited = true};
        int rc = cgl_parse_u64(period, period_len, &q.period_us);
        if (rc < 0)
                return rc;
        if (q.period_us == 0)
                return -EINVAL;
        if (quota_len == strlen(none) && memcmp(quota, none, quota_len) == 0) {
                q.limited = false;
        } else {
                rc = cgl_parse_u64(quota, quota_len, &q.quota_us);
                if (rc < 0)
                        return rc;
                if (q.quota_us == 0)
                        return -EINVAL;
        }
        *out = q;
        return 0;
}

int cpu_max_parse(const char *buf, size_t len, struct cpu_quota *out)
{
        len = without_newline(buf, len);
        const char *space = memchr(buf, ' ', len);
        if (!space)
                return -EINVAL;
        size_t quota_len = (size_t)(space - buf);
        return quota_period(buf, quota_len, "max", space + 1, len - quota_len - 1, out);
}

int cpu_cfs_parse(const char *quota, size_t quota_len, const char *period, size_t period_len,
                  struct cpu_quota *out)
{
        return quota_period(quota, without_newline(quota, quota_len), "-1", period,
                            without_newline(period, period_len), out);
}

uint32_t cpu_quota_cpus(const struct cpu_quota *q)
{
        if (!q->limited)
                return UINT32_MAX;
        uint64_t n = q->quota_us / q->period_us + (q->quota_us % q->period_us != 0);
        return n >= UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

uint32_t cpu_count_rule(uint32_t affinity_cpus, const struct cpu_quota *levels, size_t n)
{
        uint32_t cpus = affinity_cpus > 0 ? affinity_cpus : 1;
        for (size_t i = 0; i < n; i++) {
                uint32_t allowed = cpu_quota_cpus(&levels[i]);
                if (allowed < cpus)
                        cpus = allowed;
        }
        return cpus;
}
