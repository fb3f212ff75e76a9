/* The CPUs the process's cpu cgroup quotas allow, remembered for up to a second: reading them
 * walks mountinfo and a file or two per level (tens of microseconds), while programs may ask
 * for the CPU count in a loop.
 *
 * Protocol: one 64-bit word, loaded and stored whole with atomic operations, so that it is
 * never seen half written: the figure (CPUs the quotas allow, UINT32_MAX for none) in the high
 * half and, in the low half, the CLOCK_MONOTONIC_COARSE millisecond (modulo 2^32) up to which
 * it holds.
 *   EMPTY   the word is 0 (no figure is 0: a quota allows at least 1 CPU);
 *   FRESH   the expiry lies 1 .. CPU_CACHE_TTL_MS ms ahead of now;
 *   STALE   anything else (expired, or the clock wrapped after 49 days).
 * Reader (cpu_quota_cache_get): one relaxed load; FRESH gives the figure, anything else is a
 * miss. Writer (cpu_quota_cache_put): one relaxed store of a figure it has just read. Writers
 * do not coordinate: concurrent ones each store a figure that was right when read, and the last
 * store stays. No other memory is published through the word, so no ordering is needed.
 * A signal handler that interrupts a reader or a writer at any point sees the word before or
 * after the store, whole: a figure or a miss. Nothing waits.
 * fork: the child keeps the word; it is in the parent's cgroup at that moment. vfork: shared,
 * like one more thread. exec: gone with the image.
 * What it costs: a quota change, or a move to another cgroup, shows after at most
 * CPU_CACHE_TTL_MS. The affinity mask is never cached (sched_setaffinity takes effect at
 * once, per thread).
 */
#ifndef CGLIMITS_CPU_QUOTA_CACHE_H
#define CGLIMITS_CPU_QUOTA_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_CACHE_TTL_MS 1000u

/* The remembered figure when FRESH. */
bool cpu_quota_cache_get(uint32_t *cpus);

/* Remembers a figure just read (cpus >= 1). */
void cpu_quota_cache_put(uint32_t cpus);

#endif
