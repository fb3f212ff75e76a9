#include "mem_view.h"

#include <string.h>

#include "value_parse.h"

const char *const cgl_view_field_names[VF_COUNT] = {
#define CGL_VIEW_NAME(id, name) [VF_##id] = name,
    CGL_VIEW_FIELDS(CGL_VIEW_NAME)
#undef CGL_VIEW_NAME
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
        return a < b ? a : b;
}

static uint64_t sub_floor0(uint64_t a, uint64_t b)
{
        return a > b ? a - b : 0;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
        return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The process's own accounted level: the first one from the leaf up that has the memory
 * controller, unless that is the hierarchy's real root, whose usage is the whole machine's. */
static int own_level(const struct cgroup_sample *s)
{
        for (unsigned i = 0; i < s->nlevels; i++) {
                if (!s->level[i].accounted)
                        continue;
                if (s->top_is_root && i == s->nlevels - 1)
                        return -1;
                return (int)i;
        }
        return -1;
}

int mem_view_pick_limit(const struct cgroup_sample *s, const struct host_meminfo *host,
                        uint64_t override, struct mem_view *v)
{
        memset(v, 0, sizeof(*v));
        v->limit = CGL_UNLIMITED;
        v->source = LIMIT_NONE;
        int stat_level = -1;

        for (unsigned i = 0; i < s->nlevels; i++) {
                const struct cgroup_level *lv = &s->level[i];
                if (lv->accounted && lv->limit < v->limit) {
                        v->limit = lv->limit;
                        v->source = lv->source;
                        v->limit_level = i;
                        stat_level = (int)i;
                }
        }
        /* v1 folds every ancestor's limit into hierarchical_memory_limit, including those
         * above a namespace or bind-mount root that the walk could not see. Their usage is
         * unknown: the topmost visible level stands for it. */
        if (s->version == 1 && s->hierarchical_limit < v->limit) {
                v->limit = s->hierarchical_limit;
                v->source = LIMIT_V1_HIERARCHICAL;
                v->limit_level = s->nlevels - 1;
                stat_level = (int)s->nlevels - 1;
        }
        if (override < v->limit) {
                v->limit = override;
                v->source = LIMIT_OVERRIDE;
                stat_level = own_level(s);
                v->limit_level = stat_level < 0 ? 0 : (unsigned)stat_level;
        }
        /* v1 writes "unlimited" as the largest page-aligned long (its value depends on the
         * page size), so anything at or above the host's RAM counts as no limit. */
        if (v->limit >= host->mem_total) {
                v->passthrough = true;
                return -1;
        }
        return stat_level;
}

/* Usage of the level the limit was taken from: hidden v1 ancestors and the override use
 * the usage of the level standing for them. */
static uint64_t binding_usage(const struct cgroup_sample *s, const struct mem_view *v)
{
        if (v->source == LIMIT_OVERRIDE && own_level(s) < 0)
                return 0;
        return s->level[v->limit_level].usage;
}

static void compute_swap(const struct cgroup_sample *s, const struct memstat *stat,
                         const struct host_meminfo *host, struct mem_view *v)
{
        uint64_t total = host->swap_total;
        uint64_t free = host->swap_free;

        if (s->version == 2) {
                for (unsigned i = 0; i < s->nlevels; i++) {
                        const struct cgroup_level *lv = &s->level[i];
                        if (!lv->has_swap || lv->swap_limit == CGL_UNLIMITED)
                                continue;
                        total = min_u64(total, lv->swap_limit);
                        free = min_u64(free, sub_floor0(lv->swap_limit, lv->swap_usage));
                }
        } else {
                /* v1 limits memory+swap together: swap may use what memsw allows beyond the
                 * memory limit. */
                uint64_t memsw = s->hierarchical_memsw;
                bool any = memsw != CGL_UNLIMITED;
                for (unsigned i = 0; i < s->nlevels; i++) {
                        const struct cgroup_level *lv = &s->level[i];
                        if (lv->has_swap) {
                                memsw = min_u64(memsw, lv->swap_limit);
                                any = true;
                        }
                }
                if (any && memsw < host->mem_total + host->swap_total)
                        total = min_u64(total, sub_floor0(memsw, v->limit));
                uint64_t used = stat ? stat->value[MS_SWAP] : 0;
                free = min_u64(free, sub_floor0(total, used));
        }
        v->field[VF_SWAP_TOTAL] = total;
        v->field[VF_SWAP_FREE] = min_u64(free, total);
}

void mem_view_compute(const struct cgroup_sample *s, const struct memstat *stat,
                      const struct host_meminfo *host, uint64_t override, struct mem_view *v)
{
        static const struct memstat none;
        const struct memstat *st = stat ? stat : &none;
        const uint64_t *sv = st->value;
        uint64_t *f = v->field;
        uint64_t total = min_u64(v->limit, host->mem_total);

        /* Siblings share an ancestor's limit: the memory still free is the smallest headroom
         * over the limited levels. */
        uint64_t free = host->mem_free;
        for (unsigned i = 0; i < s->nlevels; i++) {
                const struct cgroup_level *lv = &s->level[i];
                /* Levels whose limit is at or above the host's memory were not read for
                 * usage (cgroup_sample_read) and limit nothing. */
                if (lv->accounted && lv->limit < host->mem_total)
                        free = min_u64(free, sub_floor0(lv->limit, lv->usage));
        }
        uint64_t used = binding_usage(s, v);
        free = min_u64(free, sub_floor0(total, used));
        if (override != CGL_UNLIMITED)
                free = min_u64(free, sub_floor0(override, used));

        /* What is not free must hold the page cache and reclaimable slab, or free(1)'s
         * used = total - free - buffers - cache goes negative. */
        uint64_t room = total - free;
        uint64_t cached = min_u64(sv[MS_FILE], room);
        uint64_t sreclaimable = min_u64(sv[MS_SLAB_RECLAIMABLE], room - cached);

        uint64_t reclaimable =
            add_sat(add_sat(sv[MS_ACTIVE_FILE], sv[MS_INACTIVE_FILE]), sreclaimable);
        uint64_t available = min_u64(add_sat(free, min_u64(reclaimable, room)), total);
        available = min_u64(available, host->mem_available);
        free = min_u64(free, available);

        f[VF_MEM_TOTAL] = total;
        f[VF_MEM_FREE] = free;
        f[VF_MEM_AVAILABLE] = available;
        f[VF_BUFFERS] = 0; /* block-device cache is charged as file pages */
        f[VF_CACHED] = cached;
        f[VF_SHMEM] = min_u64(sv[MS_SHMEM], cached);
        f[VF_SWAP_CACHED] = min_u64(sv[MS_SWAPCACHED], total);
        f[VF_ACTIVE_ANON] = min_u64(sv[MS_ACTIVE_ANON], total);
        f[VF_INACTIVE_ANON] = min_u64(sv[MS_INACTIVE_ANON], total);
        f[VF_ACTIVE_FILE] = min_u64(sv[MS_ACTIVE_FILE], total);
        f[VF_INACTIVE_FILE] = min_u64(sv[MS_INACTIVE_FILE], total);
        f[VF_ACTIVE] = min_u64(add_sat(f[VF_ACTIVE_ANON], f[VF_ACTIVE_FILE]), total);
        f[VF_INACTIVE] = min_u64(add_sat(f[VF_INACTIVE_ANON], f[VF_INACTIVE_FILE]), total);
        f[VF_UNEVICTABLE] = min_u64(sv[MS_UNEVICTABLE], total);
        /* Cgroups do not count mlocked pages; they are a subset of the unevictable ones. */
        f[VF_MLOCKED] = min_u64(host->mlocked, f[VF_UNEVICTABLE]);
        f[VF_ZSWAP] = min_u64(sv[MS_ZSWAP], total);
        f[VF_ZSWAPPED] = sv[MS_ZSWAPPED];
        f[VF_DIRTY] = min_u64(sv[MS_FILE_DIRTY], total);
        f[VF_WRITEBACK] = min_u64(sv[MS_FILE_WRITEBACK], total);
        f[VF_ANON_PAGES] = min_u64(sv[MS_ANON], total);
        f[VF_MAPPED] = min_u64(sv[MS_FILE_MAPPED], total);
        f[VF_SRECLAIMABLE] = sreclaimable;
        f[VF_KRECLAIMABLE] = sreclaimable;
        f[VF_SUNRECLAIM] = min_u64(sv[MS_SLAB_UNRECLAIMABLE], total);
        f[VF_SLAB] = min_u64(add_sat(sreclaimable, f[VF_SUNRECLAIM]), total);
        f[VF_KERNEL_STACK] = min_u64(sv[MS_KERNEL_STACK], total);
        f[VF_PAGE_TABLES] = min_u64(sv[MS_PAGETABLES], total);
        f[VF_SEC_PAGE_TABLES] = min_u64(sv[MS_SEC_PAGETABLES], total);
        f[VF_ANON_HUGE_PAGES] = min_u64(sv[MS_ANON_THP], f[VF_ANON_PAGES]);
        f[VF_SHMEM_HUGE_PAGES] = min_u64(sv[MS_SHMEM_THP], f[VF_SHMEM]);
        f[VF_FILE_HUGE_PAGES] = min_u64(sv[MS_FILE_THP], cached);

        compute_swap(s, stat, host, v);
        f[VF_ZSWAPPED] = min_u64(f[VF_ZSWAPPED], f[VF_SWAP_TOTAL]);
}
