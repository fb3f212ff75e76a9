/* The memory view: one set of figures, derived from the cgroup sample and the host, that every
 * renderer (meminfo text, struct sysinfo, sysconf pages) reads, so that they always agree. */
#ifndef CGLIMITS_MEM_VIEW_H
#define CGLIMITS_MEM_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_sample.h"
#include "meminfo_parse.h"
#include "memstat_parse.h"

/* The /proc/meminfo fields the view rewrites, in kernel order (fs/proc/meminfo.c). */
#define CGL_VIEW_FIELDS(X)                                                                         \
        X(MEM_TOTAL, "MemTotal")                                                                   \
        X(MEM_FREE, "MemFree")                                                                     \
        X(MEM_AVAILABLE, "MemAvailable")                                                           \
        X(BUFFERS, "Buffers")                                                                      \
        X(CACHED, "Cached")                                                                        \
        X(SWAP_CACHED, "SwapCached")                                                               \
        X(ACTIVE, "Active")                                                                        \
        X(INACTIVE, "Inactive")                                                                    \
        X(ACTIVE_ANON, "Active(anon)")                                                             \
        X(INACTIVE_ANON, "Inactive(anon)")                                                         \
        X(ACTIVE_FILE, "Active(file)")                                                             \
        X(INACTIVE_FILE, "Inactive(file)")                                                         \
        X(UNEVICTABLE, "Unevictable")                                                              \
        X(MLOCKED, "Mlocked")                                                                      \
        X(SWAP_TOTAL, "SwapTotal")                                                                 \
        X(SWAP_FREE, "SwapFree")                                                                   \
        X(ZSWAP, "Zswap")                                                                          \
        X(ZSWAPPED, "Zswapped")                                                                    \
        X(DIRTY, "Dirty")                                                                          \
        X(WRITEBACK, "Writeback")                                                                  \
        X(ANON_PAGES, "AnonPages")                                                                 \
        X(MAPPED, "Mapped")                                                                        \
        X(SHMEM, "Shmem")                                                                          \
        X(KRECLAIMABLE, "KReclaimable")                                                            \
        X(SLAB, "Slab")                                                                            \
        X(SRECLAIMABLE, "SReclaimable")                                                            \
        X(SUNRECLAIM, "SUnreclaim")                                                                \
        X(KERNEL_STACK, "KernelStack")                                                             \
        X(PAGE_TABLES, "PageTables")                                                               \
        X(SEC_PAGE_TABLES, "SecPageTables")                                                        \
        X(ANON_HUGE_PAGES, "AnonHugePages")                                                        \
        X(SHMEM_HUGE_PAGES, "ShmemHugePages")                                                      \
        X(FILE_HUGE_PAGES, "FileHugePages")

enum view_field {
#define CGL_VIEW_ENUM(id, name) VF_##id,
        CGL_VIEW_FIELDS(CGL_VIEW_ENUM)
#undef CGL_VIEW_ENUM
            VF_COUNT
};

extern const char *const cgl_view_field_names[VF_COUNT];

struct mem_view {
        bool passthrough;         /* no limit below the host: callers use the real data */
        enum limit_source source; /* what set MemTotal */
        unsigned limit_level;     /* at which level (0 = the process's cgroup) */
        uint64_t limit;           /* the effective limit in bytes, before the host clamp */
        uint64_t field[VF_COUNT]; /* bytes */
};

/* Chooses the binding limit: the lowest over the visible levels, v1's hierarchical limit
 * (ancestors hidden by a namespace) and the configured override (CGL_UNLIMITED for none).
 * Sets passthrough when that limit is not below the host's MemTotal. Fills source,
 * limit_level and limit, and returns the level whose memory.stat the breakdown needs, or -1
 * when none is readable (an override over the hierarchy root). */
int mem_view_pick_limit(const struct cgroup_sample *s, const struct host_meminfo *host,
                        uint64_t override, struct mem_view *v);

/* Derives every field from the sample, the chosen level's memory.stat (may be NULL when
 * pick returned -1) and the host. Never underflows; keeps MemFree <= MemAvailable <=
 * MemTotal, SwapFree <= SwapTotal, and every figure within MemTotal or SwapTotal. */
void mem_view_compute(const struct cgroup_sample *s, const struct memstat *stat,
                      const struct host_meminfo *host, uint64_t override, struct mem_view *v);

#endif
