/* The view's formulas on hand-made samples: every number exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mem_view.h"
#include "value_parse.h"

#define M      (1024ull * 1024)
#define G      (1024ull * M)
#define UNL    CGL_UNLIMITED
#define V1_UNL 9223372036854771712ull

struct level_spec {
        uint64_t limit;
        uint64_t usage;
        enum limit_source source;
        bool unaccounted;
        bool has_swap;
        uint64_t swap_limit;
        uint64_t swap_usage;
};

struct stat_spec {
        uint64_t file, active_file, inactive_file, slab_reclaimable, shmem, anon, swap;
};

struct row {
        const char *name;
        int version;
        unsigned nlevels;
        struct level_spec lv[4];
        bool top_is_root;
        uint64_t hier_limit; /* 0 means unlimited, for brevity */
        uint64_t hier_memsw;
        uint64_t override; /* 0 means none */
        struct host_meminfo host;
        struct stat_spec stat;
        /* expected */
        bool passthrough;
        enum limit_source source;
        unsigned level;
        uint64_t total, free, available, cached, swap_total, swap_free;
};

static const struct host_meminfo host_24g = {
    .mem_total = 24 * G, .mem_free = 20 * G, .mem_available = 22 * G};
static const struct host_meminfo host_24g_swap = {.mem_total = 24 * G,
                                                  .mem_free = 20 * G,
                                                  .mem_available = 22 * G,
                                                  .swap_total = 2 * G,
                                                  .swap_free = 1536 * M};

static const struct row rows[] = {
    {.name = "v1_leaf_limit_sets_total_and_headroom",
     .version = 1,
     .nlevels = 2,
     .top_is_root = true,
     .lv = {{256 * M, 100 * M, LIMIT_V1_LIMIT}, {V1_UNL, 5 * G, LIMIT_V1_LIMIT}},
     .host = host_24g,
     .stat = {.file = 40 * M, .active_file = 10 * M, .inactive_file = 20 * M, .shmem = M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 156 * M,
     .available = 186 * M,
     .cached = 40 * M},
    {.name = "v2_parent_limit_below_unlimited_child_wins",
     .version = 2,
     .nlevels = 3,
     .top_is_root = true,
     .lv = {{UNL, 50 * M, LIMIT_V2_MAX},
            {200 * M, 150 * M, LIMIT_V2_MAX},
            {UNL, 0, LIMIT_NONE, .unaccounted = true}},
     .host = host_24g,
     .stat = {.file = 20 * M, .active_file = 5 * M, .inactive_file = 5 * M},
     .source = LIMIT_V2_MAX,
     .level = 1,
     .total = 200 * M,
     .free = 50 * M,
     .available = 60 * M,
     .cached = 20 * M},
    {.name = "siblings_share_parent_headroom",
     .version = 2,
     .nlevels = 2,
     .lv = {{1 * G, 100 * M, LIMIT_V2_MAX}, {1 * G, 900 * M, LIMIT_V2_MAX}},
     .host = host_24g,
     .stat = {.file = 10 * M, .active_file = 4 * M, .inactive_file = 4 * M},
     .source = LIMIT_V2_MAX,
     .level = 0,
     .total = 1 * G,
     .free = 124 * M,
     .available = 132 * M,
     .cached = 10 * M},
    {.name = "v2_memory_high_source_is_reported",
     .version = 2,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V2_HIGH}},
     .host = host_24g,
     .source = LIMIT_V2_HIGH,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M},
    {.name = "usage_above_limit_gives_zero_free_without_underflow",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 300 * M, LIMIT_V1_LIMIT}},
     .host = host_24g,
     .stat = {.file = 100 * M, .active_file = 30 * M, .inactive_file = 50 * M, .anon = 200 * M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 0,
     .available = 80 * M,
     .cached = 100 * M},
    {.name = "cache_larger_than_room_is_capped",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V1_LIMIT}},
     .host = host_24g,
     .stat = {.file = 300 * M, .active_file = 150 * M, .inactive_file = 150 * M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 256 * M,
     .cached = 56 * M},
    {.name = "limit_above_host_passes_through",
     .version = 1,
     .nlevels = 1,
     .lv = {{64 * G, 100 * M, LIMIT_V1_LIMIT}},
     .host = host_24g,
     .passthrough = true},
    {.name = "limit_equal_to_host_passes_through",
     .version = 2,
     .nlevels = 1,
     .lv = {{24 * G, 100 * M, LIMIT_V2_MAX}},
     .host = host_24g,
     .passthrough = true},
    {.name = "v1_unlimited_value_passes_through",
     .version = 1,
     .nlevels = 2,
     .top_is_root = true,
     .lv = {{V1_UNL, 100 * M, LIMIT_V1_LIMIT}, {V1_UNL, 5 * G, LIMIT_V1_LIMIT}},
     .host = host_24g,
     .passthrough = true},
    {.name = "v2_no_accounted_level_passes_through",
     .version = 2,
     .nlevels = 1,
     .top_is_root = true,
     .lv = {{UNL, 0, LIMIT_NONE, .unaccounted = true}},
     .host = host_24g,
     .passthrough = true},
    {.name = "v1_hidden_ancestor_limit_from_hierarchical_limit",
     .version = 1,
     .nlevels = 1,
     .lv = {{V1_UNL, 120 * M, LIMIT_V1_LIMIT}},
     .hier_limit = 300 * M,
     .host = host_24g,
     .stat = {.file = 20 * M, .inactive_file = 10 * M},
     .source = LIMIT_V1_HIERARCHICAL,
     .level = 0,
     .total = 300 * M,
     .free = 180 * M,
     .available = 190 * M,
     .cached = 20 * M},
    {.name = "v1_hierarchical_limit_equal_to_visible_keeps_visible_level",
     .version = 1,
     .nlevels = 2,
     .lv = {{V1_UNL, 20 * M, LIMIT_V1_LIMIT}, {300 * M, 100 * M, LIMIT_V1_LIMIT}},
     .hier_limit = 300 * M,
     .host = host_24g,
     .source = LIMIT_V1_LIMIT,
     .level = 1,
     .total = 300 * M,
     .free = 200 * M,
     .available = 200 * M},
    {.name = "override_below_cgroup_limit_wins",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 100 * M, LIMIT_V1_LIMIT}},
     .override = 128 * M,
     .host = host_24g,
     .stat = {.file = 10 * M, .inactive_file = 10 * M},
     .source = LIMIT_OVERRIDE,
     .level = 0,
     .total = 128 * M,
     .free = 28 * M,
     .available = 38 * M,
     .cached = 10 * M},
    {.name = "override_above_cgroup_limit_loses",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 100 * M, LIMIT_V1_LIMIT}},
     .override = 1 * G,
     .host = host_24g,
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 156 * M,
     .available = 156 * M},
    {.name = "override_in_hierarchy_root_has_no_usage",
     .version = 1,
     .nlevels = 1,
     .top_is_root = true,
     .lv = {{V1_UNL, 5 * G, LIMIT_V1_LIMIT}},
     .override = 256 * M,
     .host = host_24g,
     .source = LIMIT_OVERRIDE,
     .level = 0,
     .total = 256 * M,
     .free = 256 * M,
     .available = 256 * M},
    {.name = "override_without_any_cgroup",
     .version = 0,
     .nlevels = 0,
     .override = 512 * M,
     .host = host_24g,
     .source = LIMIT_OVERRIDE,
     .level = 0,
     .total = 512 * M,
     .free = 512 * M,
     .available = 512 * M},
    {.name = "override_above_host_passes_through",
     .version = 0,
     .nlevels = 0,
     .override = 64 * G,
     .host = host_24g,
     .passthrough = true},
    {.name = "host_free_caps_memfree",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 10 * M, LIMIT_V1_LIMIT}},
     .host = {.mem_total = 24 * G, .mem_free = 50 * M, .mem_available = 3 * G},
     .stat = {.file = 8 * M, .inactive_file = 8 * M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 50 * M,
     .available = 58 * M,
     .cached = 8 * M},
    {.name = "host_available_caps_available_and_free",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 10 * M, LIMIT_V1_LIMIT}},
     .host = {.mem_total = 24 * G, .mem_free = 60 * M, .mem_available = 40 * M},
     .stat = {.file = 8 * M, .inactive_file = 8 * M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 40 * M,
     .available = 40 * M,
     .cached = 8 * M},
    {.name = "v2_swap_max_zero_hides_host_swap",
     .version = 2,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V2_MAX, .has_swap = true, .swap_limit = 0}},
     .host = host_24g_swap,
     .source = LIMIT_V2_MAX,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 0,
     .swap_free = 0},
    {.name = "v2_swap_finite_limit_and_usage",
     .version = 2,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V2_MAX, .has_swap = true, .swap_limit = 128 * M,
             .swap_usage = 16 * M}},
     .host = host_24g_swap,
     .source = LIMIT_V2_MAX,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 128 * M,
     .swap_free = 112 * M},
    {.name = "v2_swap_unlimited_shows_host_swap",
     .version = 2,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V2_MAX, .has_swap = true, .swap_limit = UNL}},
     .host = host_24g_swap,
     .source = LIMIT_V2_MAX,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 2 * G,
     .swap_free = 1536 * M},
    {.name = "v2_swap_usage_above_limit_gives_zero_swap_free",
     .version = 2,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V2_MAX, .has_swap = true, .swap_limit = 64 * M,
             .swap_usage = 80 * M}},
     .host = host_24g_swap,
     .source = LIMIT_V2_MAX,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 64 * M,
     .swap_free = 0},
    {.name = "v1_memsw_minus_limit_is_swap_total",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V1_LIMIT, .has_swap = true, .swap_limit = 384 * M}},
     .host = host_24g_swap,
     .stat = {.swap = 10 * M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 128 * M,
     .swap_free = 118 * M},
    {.name = "v1_memsw_unlimited_shows_host_swap_minus_cgroup_use",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V1_LIMIT, .has_swap = true, .swap_limit = V1_UNL}},
     .host = host_24g_swap,
     .stat = {.swap = 10 * M},
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 2 * G,
     .swap_free = 1536 * M},
    {.name = "v1_memsw_on_host_without_swap_is_zero",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V1_LIMIT, .has_swap = true, .swap_limit = 384 * M}},
     .host = host_24g,
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M},
    {.name = "v1_hierarchical_memsw_from_hidden_ancestor",
     .version = 1,
     .nlevels = 1,
     .lv = {{256 * M, 56 * M, LIMIT_V1_LIMIT, .has_swap = true, .swap_limit = V1_UNL}},
     .hier_memsw = 300 * M,
     .host = host_24g_swap,
     .source = LIMIT_V1_LIMIT,
     .level = 0,
     .total = 256 * M,
     .free = 200 * M,
     .available = 200 * M,
     .swap_total = 44 * M,
     .swap_free = 44 * M},
};

static void build(const struct row *r, struct cgroup_sample *s, struct memstat *st)
{
        memset(s, 0, sizeof(*s));
        s->version = r->version;
        s->nlevels = r->nlevels;
        s->top_is_root = r->top_is_root;
        s->hierarchical_limit = r->hier_limit ? r->hier_limit : UNL;
        s->hierarchical_memsw = r->hier_memsw ? r->hier_memsw : UNL;
        for (unsigned i = 0; i < r->nlevels; i++) {
                const struct level_spec *l = &r->lv[i];
                s->level[i].accounted = !l->unaccounted;
                s->level[i].limit = l->limit;
                s->level[i].usage = l->usage;
                s->level[i].source = l->source;
                s->level[i].has_swap = l->has_swap;
                s->level[i].swap_limit = l->has_swap ? l->swap_limit : UNL;
                s->level[i].swap_usage = l->swap_usage;
        }
        memset(st, 0, sizeof(*st));
        st->value[MS_FILE] = r->stat.file;
        st->value[MS_ACTIVE_FILE] = r->stat.active_file;
        st->value[MS_INACTIVE_FILE] = r->stat.inactive_file;
        st->value[MS_SLAB_RECLAIMABLE] = r->stat.slab_reclaimable;
        st->value[MS_SHMEM] = r->stat.shmem;
        st->value[MS_ANON] = r->stat.anon;
        st->value[MS_SWAP] = r->stat.swap;
}

static void expect_u64(const char *row, const char *what, uint64_t got, uint64_t want)
{
        if (got != want)
                fail_msg("%s: %s is %llu, expected %llu", row, what, (unsigned long long)got,
                         (unsigned long long)want);
}

/* The consistency every consumer relies on, whatever the inputs. */
static void check_invariants(const char *row, const struct mem_view *v)
{
        const uint64_t *f = v->field;
        uint64_t total = f[VF_MEM_TOTAL];
        if (!(f[VF_MEM_FREE] <= f[VF_MEM_AVAILABLE] && f[VF_MEM_AVAILABLE] <= total))
                fail_msg("%s: MemFree <= MemAvailable <= MemTotal broken", row);
        if (f[VF_CACHED] + f[VF_SRECLAIMABLE] > total - f[VF_MEM_FREE])
                fail_msg("%s: cache does not fit in total - free", row);
        if (f[VF_SWAP_FREE] > f[VF_SWAP_TOTAL])
                fail_msg("%s: SwapFree > SwapTotal", row);
        for (int k = 0; k < VF_COUNT; k++) {
                if (k == VF_SWAP_TOTAL || k == VF_SWAP_FREE || k == VF_ZSWAPPED)
                        continue;
                if (f[k] > total)
                        fail_msg("%s: %s exceeds MemTotal", row, cgl_view_field_names[k]);
        }
        if (f[VF_SHMEM] > f[VF_CACHED])
                fail_msg("%s: Shmem exceeds Cached", row);
}

static void view_rows(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                const struct row *r = &rows[i];
                struct cgroup_sample s;
                struct memstat st;
                struct mem_view v;
                build(r, &s, &st);
                uint64_t override = r->override ? r->override : UNL;
                int level = mem_view_pick_limit(&s, &r->host, override, &v);
                if (v.passthrough != r->passthrough)
                        fail_msg("%s: passthrough is %d", r->name, v.passthrough);
                if (r->passthrough)
                        continue;
                mem_view_compute(&s, level >= 0 ? &st : NULL, &r->host, override, &v);
                if (v.source != r->source)
                        fail_msg("%s: source %d, expected %d", r->name, v.source, r->source);
                expect_u64(r->name, "limit level", v.limit_level, r->level);
                expect_u64(r->name, "MemTotal", v.field[VF_MEM_TOTAL], r->total);
                expect_u64(r->name, "MemFree", v.field[VF_MEM_FREE], r->free);
                expect_u64(r->name, "MemAvailable", v.field[VF_MEM_AVAILABLE], r->available);
                expect_u64(r->name, "Cached", v.field[VF_CACHED], r->cached);
                expect_u64(r->name, "SwapTotal", v.field[VF_SWAP_TOTAL], r->swap_total);
                expect_u64(r->name, "SwapFree", v.field[VF_SWAP_FREE], r->swap_free);
                check_invariants(r->name, &v);
        }
}

/* Extreme inputs: every figure at UINT64_MAX must neither wrap nor break the invariants. */
static void saturated_stats_keep_invariants(void **state)
{
        (void)state;
        struct cgroup_sample s;
        memset(&s, 0, sizeof(s));
        s.version = 2;
        s.nlevels = 1;
        s.hierarchical_limit = UNL;
        s.hierarchical_memsw = UNL;
        s.level[0] = (struct cgroup_level){.accounted = true,
                                           .source = LIMIT_V2_MAX,
                                           .limit = 256 * M,
                                           .usage = UINT64_MAX,
                                           .has_swap = true,
                                           .swap_limit = 64 * M,
                                           .swap_usage = UINT64_MAX};
        struct memstat st;
        for (int k = 0; k < MS_COUNT; k++)
                st.value[k] = UINT64_MAX;
        st.present = ~0u;
        struct mem_view v;
        int level = mem_view_pick_limit(&s, &host_24g_swap, UNL, &v);
        assert_int_equal(level, 0);
        mem_view_compute(&s, &st, &host_24g_swap, UNL, &v);
        check_invariants("saturated", &v);
        assert_int_equal(v.field[VF_MEM_FREE], 0);
        assert_int_equal(v.field[VF_MEM_TOTAL], 256 * M);
        assert_int_equal(v.field[VF_SWAP_FREE], 0);
}

static void field_names_follow_kernel_spelling(void **state)
{
        (void)state;
        assert_string_equal(cgl_view_field_names[VF_MEM_TOTAL], "MemTotal");
        assert_string_equal(cgl_view_field_names[VF_ACTIVE_FILE], "Active(file)");
        assert_string_equal(cgl_view_field_names[VF_ANON_HUGE_PAGES], "AnonHugePages");
        for (int k = 0; k < VF_COUNT; k++)
                assert_non_null(cgl_view_field_names[k]);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(view_rows),
            cmocka_unit_test(saturated_stats_keep_invariants),
            cmocka_unit_test(field_names_follow_kernel_spelling),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
