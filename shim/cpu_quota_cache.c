/* The protocol is described in cpu_quota_cache.h. */
#include "cpu_quota_cache.h"

#include <time.h>

_Static_assert(__atomic_always_lock_free(sizeof(uint64_t), 0), "the word must be lock-free");

static uint64_t word;

/* Milliseconds of CLOCK_MONOTONIC_COARSE (a vDSO read, async-signal-safe like every
 * clock_gettime), modulo 2^32. */
static bool now_ms(uint32_t *ms)
{
        struct timespec ts;
        if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) != 0)
                return false;
        *ms = (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
        return true;
}

bool cpu_quota_cache_get(uint32_t *cpus)
{
        uint64_t w = __atomic_load_n(&word, __ATOMIC_RELAXED);
        uint32_t now;
        if (w == 0 || !now_ms(&now))
                return false;
        uint32_t ahead = (uint32_t)w - now;
        if (ahead == 0 || ahead > CPU_CACHE_TTL_MS)
                return false;
        *cpus = (uint32_t)(w >> 32);
        return true;
}

void cpu_quota_cache_put(uint32_t cpus)
{
        uint32_t now;
        if (cpus == 0 || !now_ms(&now))
                return;
        uint64_t w = (uint64_t)cpus << 32 | (uint32_t)(now + CPU_CACHE_TTL_MS);
        __atomic_store_n(&word, w, __ATOMIC_RELAXED);
}
