/* Unit tests for lib/memstat_parse.c: memory.stat of cgroup v1 and v2. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "memstat_parse.h"

#define B(k) (UINT32_C(1) << (k))

static const char *const key_names[MS_COUNT] = {
    [MS_ANON] = "MS_ANON",
    [MS_FILE] = "MS_FILE",
    [MS_SHMEM] = "MS_SHMEM",
    [MS_FILE_MAPPED] = "MS_FILE_MAPPED",
    [MS_FILE_DIRTY] = "MS_FILE_DIRTY",
    [MS_FILE_WRITEBACK] = "MS_FILE_WRITEBACK",
    [MS_ANON_THP] = "MS_ANON_THP",
    [MS_FILE_THP] = "MS_FILE_THP",
    [MS_SHMEM_THP] = "MS_SHMEM_THP",
    [MS_ACTIVE_ANON] = "MS_ACTIVE_ANON",
    [MS_INACTIVE_ANON] = "MS_INACTIVE_ANON",
    [MS_ACTIVE_FILE] = "MS_ACTIVE_FILE",
    [MS_INACTIVE_FILE] = "MS_INACTIVE_FILE",
    [MS_UNEVICTABLE] = "MS_UNEVICTABLE",
    [MS_SLAB] = "MS_SLAB",
    [MS_SLAB_RECLAIMABLE] = "MS_SLAB_RECLAIMABLE",
    [MS_SLAB_UNRECLAIMABLE] = "MS_SLAB_UNRECLAIMABLE",
    [MS_KERNEL_STACK] = "MS_KERNEL_STACK",
    [MS_PAGETABLES] = "MS_PAGETABLES",
    [MS_SEC_PAGETABLES] = "MS_SEC_PAGETABLES",
    [MS_SWAPCACHED] = "MS_SWAPCACHED",
    [MS_ZSWAP] = "MS_ZSWAP",
    [MS_ZSWAPPED] = "MS_ZSWAPPED",
    [MS_SWAP] = "MS_SWAP",
    [MS_HIERARCHICAL_LIMIT] = "MS_HIERARCHICAL_LIMIT",
    [MS_HIERARCHICAL_MEMSW] = "MS_HIERARCHICAL_MEMSW",
};

/* memory.stat of this machine's v1 root memory cgroup (kernel 6.18, hybrid host). The local
 * keys (cache, rss, ...) differ from the hierarchical total_* ones the parser must use. */
static const char real_v1[] = "cache 9682944\n"
                              "rss 7147520\n"
                              "rss_huge 0\n"
                              "shmem 9097216\n"
                              "mapped_file 7540736\n"
                              "dirty 57344\n"
                              "writeback 0\n"
                              "workingset_refault_anon 0\n"
                              "workingset_refault_file 398\n"
                              "swap 0\n"
                              "swapcached 0\n"
                              "pgpgin 35289\n"
                              "pgpgout 31179\n"
                              "pgfault 39942\n"
                              "pgmajfault 0\n"
                              "inactive_anon 0\n"
                              "active_anon 1531904\n"
                              "inactive_file 4096\n"
                              "active_file 581632\n"
                              "unevictable 14708736\n"
                              "hierarchical_memory_limit 9223372036854771712\n"
                              "hierarchical_memsw_limit 9223372036854771712\n"
                              "total_cache 841195520\n"
                              "total_rss 52162560\n"
                              "total_rss_huge 0\n"
                              "total_shmem 9097216\n"
                              "total_mapped_file 16478208\n"
                              "total_dirty 368640\n"
                              "total_writeback 0\n"
                              "total_workingset_refault_anon 0\n"
                              "total_workingset_refault_file 168120\n"
                              "total_swap 0\n"
                              "total_swapcached 0\n"
                              "total_pgpgin 2393350\n"
                              "total_pgpgout 2193056\n"
                              "total_pgfault 3639805\n"
                              "total_pgmajfault 1506\n"
                              "total_inactive_anon 44855296\n"
                              "total_active_anon 1605632\n"
                              "total_inactive_file 597897216\n"
                              "total_active_file 234201088\n"
                              "total_unevictable 14708736\n";

/* A v1 child cgroup with a limit, swap accounting and THP (memory.stat of a 5.4 kernel). */
static const char v1_limited[] = "cache 16797696\n"
                                 "rss 55590912\n"
                                 "rss_huge 4194304\n"
                                 "shmem 0\n"
                                 "mapped_file 0\n"
                                 "dirty 16797696\n"
                                 "writeback 0\n"
                                 "swap 8192\n"
                                 "pgpgin 13594\n"
                                 "pgpgout 1\n"
                                 "pgfault 13711\n"
                                 "pgmajfault 0\n"
                                 "inactive_anon 55582720\n"
                                 "active_anon 4096\n"
                                 "inactive_file 16777216\n"
                                 "active_file 0\n"
                                 "unevictable 0\n"
                                 "hierarchical_memory_limit 268435456\n"
                                 "hierarchical_memsw_limit 536870912\n"
                                 "total_cache 16797696\n"
                                 "total_rss 55590912\n"
                                 "total_rss_huge 4194304\n"
                                 "total_shmem 0\n"
                                 "total_mapped_file 0\n"
                                 "total_dirty 16797696\n"
                                 "total_writeback 0\n"
                                 "total_swap 8192\n"
                                 "total_pgpgin 13594\n"
                                 "total_pgpgout 1\n"
                                 "total_pgfault 13711\n"
                                 "total_pgmajfault 0\n"
                                 "total_inactive_anon 55582720\n"
                                 "total_active_anon 4096\n"
                                 "total_inactive_file 16777216\n"
                                 "total_active_file 0\n"
                                 "total_unevictable 0\n";

/* memory.stat of a v2 cgroup, kernel 6.1 key set and order (mm/memcontrol.c memory_stats[]). */
static const char real_v2[] = "anon 1867776\n"
                              "file 50786304\n"
                              "kernel 3178496\n"
                              "kernel_stack 147456\n"
                              "pagetables 315392\n"
                              "sec_pagetables 8192\n"
                              "percpu 9600\n"
                              "sock 4096\n"
                              "vmalloc 12288\n"
                              "shmem 1081344\n"
                              "zswap 65536\n"
                              "zswapped 196608\n"
                              "file_mapped 12341248\n"
                              "file_dirty 135168\n"
                              "file_writeback 20480\n"
                              "swapcached 49152\n"
                              "anon_thp 2097152\n"
                              "file_thp 4194304\n"
                              "shmem_thp 6291456\n"
                              "inactive_anon 2838528\n"
                              "active_anon 110592\n"
                              "inactive_file 22675456\n"
                              "active_file 28110848\n"
                              "unevictable 28672\n"
                              "slab_reclaimable 2339832\n"
                              "slab_unreclaimable 366944\n"
                              "slab 2706776\n"
                              "workingset_refault_anon 0\n"
                              "workingset_refault_file 7309\n"
                              "workingset_activate_anon 0\n"
                              "workingset_activate_file 1032\n"
                              "workingset_restore_anon 0\n"
                              "workingset_restore_file 517\n"
                              "workingset_nodereclaim 0\n"
                              "pgscan 10544\n"
                              "pgsteal 10239\n"
                              "pgscan_kswapd 0\n"
                              "pgscan_direct 10544\n"
                              "pgsteal_kswapd 0\n"
                              "pgsteal_direct 10239\n"
                              "pgfault 348385\n"
                              "pgmajfault 102\n"
                              "pgrefill 1174\n"
                              "pgactivate 7095\n"
                              "pgdeactivate 1174\n"
                              "pglazyfree 0\n"
                              "pglazyfreed 0\n"
                              "zswpin 0\n"
                              "zswpout 0\n"
                              "thp_fault_alloc 1\n"
                              "thp_collapse_alloc 0\n";

#define V1_PRESENT                                                                                 \
        (B(MS_ANON) | B(MS_FILE) | B(MS_SHMEM) | B(MS_FILE_MAPPED) | B(MS_FILE_DIRTY) |            \
         B(MS_FILE_WRITEBACK) | B(MS_ANON_THP) | B(MS_ACTIVE_ANON) | B(MS_INACTIVE_ANON) |         \
         B(MS_ACTIVE_FILE) | B(MS_INACTIVE_FILE) | B(MS_UNEVICTABLE) | B(MS_SWAPCACHED) |          \
         B(MS_SWAP) | B(MS_HIERARCHICAL_LIMIT) | B(MS_HIERARCHICAL_MEMSW))

#define V2_PRESENT                                                                                 \
        (B(MS_ANON) | B(MS_FILE) | B(MS_SHMEM) | B(MS_FILE_MAPPED) | B(MS_FILE_DIRTY) |            \
         B(MS_FILE_WRITEBACK) | B(MS_ANON_THP) | B(MS_FILE_THP) | B(MS_SHMEM_THP) |                \
         B(MS_ACTIVE_ANON) | B(MS_INACTIVE_ANON) | B(MS_ACTIVE_FILE) | B(MS_INACTIVE_FILE) |       \
         B(MS_UNEVICTABLE) | B(MS_SLAB) | B(MS_SLAB_RECLAIMABLE) | B(MS_SLAB_UNRECLAIMABLE) |      \
         B(MS_KERNEL_STACK) | B(MS_PAGETABLES) | B(MS_SEC_PAGETABLES) | B(MS_SWAPCACHED) |         \
         B(MS_ZSWAP) | B(MS_ZSWAPPED))

struct stat_row {
        const char *name;
        const char *in;
        int version;
        int ret;
        uint32_t present;         /* when ret == 0 */
        uint64_t value[MS_COUNT]; /* when ret == 0; absent keys must read 0 */
};

static const struct stat_row ok_rows[] = {
    {"real_v1_root_uses_total_keys",
     real_v1,
     1,
     0,
     V1_PRESENT,
     {
         [MS_ANON] = 52162560,
         [MS_FILE] = 841195520,
         [MS_SHMEM] = 9097216,
         [MS_FILE_MAPPED] = 16478208,
         [MS_FILE_DIRTY] = 368640,
         [MS_FILE_WRITEBACK] = 0,
         [MS_ANON_THP] = 0,
         [MS_ACTIVE_ANON] = 1605632,
         [MS_INACTIVE_ANON] = 44855296,
         [MS_ACTIVE_FILE] = 234201088,
         [MS_INACTIVE_FILE] = 597897216,
         [MS_UNEVICTABLE] = 14708736,
         [MS_SWAPCACHED] = 0,
         [MS_SWAP] = 0,
         [MS_HIERARCHICAL_LIMIT] = UINT64_C(9223372036854771712),
         [MS_HIERARCHICAL_MEMSW] = UINT64_C(9223372036854771712),
     }},
    {"v1_limited_child",
     v1_limited,
     1,
     0,
     V1_PRESENT & ~B(MS_SWAPCACHED),
     {
         [MS_ANON] = 55590912,
         [MS_FILE] = 16797696,
         [MS_FILE_DIRTY] = 16797696,
         [MS_ANON_THP] = 4194304,
         [MS_ACTIVE_ANON] = 4096,
         [MS_INACTIVE_ANON] = 55582720,
         [MS_INACTIVE_FILE] = 16777216,
         [MS_SWAP] = 8192,
         [MS_HIERARCHICAL_LIMIT] = 268435456,
         [MS_HIERARCHICAL_MEMSW] = 536870912,
     }},
    {"real_v2_kernel_6_1",
     real_v2,
     2,
     0,
     V2_PRESENT,
     {
         [MS_ANON] = 1867776,
         [MS_FILE] = 50786304,
         [MS_SHMEM] = 1081344,
         [MS_FILE_MAPPED] = 12341248,
         [MS_FILE_DIRTY] = 135168,
         [MS_FILE_WRITEBACK] = 20480,
         [MS_ANON_THP] = 2097152,
         [MS_FILE_THP] = 4194304,
         [MS_SHMEM_THP] = 6291456,
         [MS_ACTIVE_ANON] = 110592,
         [MS_INACTIVE_ANON] = 2838528,
         [MS_ACTIVE_FILE] = 28110848,
         [MS_INACTIVE_FILE] = 22675456,
         [MS_UNEVICTABLE] = 28672,
         [MS_SLAB] = 2706776,
         [MS_SLAB_RECLAIMABLE] = 2339832,
         [MS_SLAB_UNRECLAIMABLE] = 366944,
         [MS_KERNEL_STACK] = 147456,
         [MS_PAGETABLES] = 315392,
         [MS_SEC_PAGETABLES] = 8192,
         [MS_SWAPCACHED] = 49152,
         [MS_ZSWAP] = 65536,
         [MS_ZSWAPPED] = 196608,
     }},
    {"v2_minimal_core_keys",
     "anon 4096\nfile 8192\n",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 4096, [MS_FILE] = 8192}},
    {"v2_no_trailing_newline",
     "anon 4096\nfile 8192",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 4096, [MS_FILE] = 8192}},
    {"v2_zero_values_are_present", "anon 0\nfile 0\n", 2, 0, B(MS_ANON) | B(MS_FILE), {0}},
    {"v2_blank_lines_skipped",
     "\nanon 4096\n\n\nfile 8192\n\n",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 4096, [MS_FILE] = 8192}},
    {"v2_uint64_max_value",
     "anon 18446744073709551615\nfile 1\n",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = UINT64_MAX, [MS_FILE] = 1}},
    /* Exact key matching: the longer key comes first and must not be taken for the shorter
     * one (nor the shorter for the longer). */
    {"v2_file_vs_file_prefixed",
     "file_mapped 100\nfile_dirty 5\nfile_writeback 6\nfile_thp 7\nfile 200\nanon 300\n",
     2,
     0,
     B(MS_FILE_MAPPED) | B(MS_FILE_DIRTY) | B(MS_FILE_WRITEBACK) | B(MS_FILE_THP) | B(MS_FILE) |
         B(MS_ANON),
     {[MS_FILE_MAPPED] = 100,
      [MS_FILE_DIRTY] = 5,
      [MS_FILE_WRITEBACK] = 6,
      [MS_FILE_THP] = 7,
      [MS_FILE] = 200,
      [MS_ANON] = 300}},
    {"v2_anon_thp_before_anon",
     "anon_thp 2097152\nfile 1\nanon 4194304\n",
     2,
     0,
     B(MS_ANON_THP) | B(MS_FILE) | B(MS_ANON),
     {[MS_ANON_THP] = 2097152, [MS_FILE] = 1, [MS_ANON] = 4194304}},
    {"v2_slab_parts_before_slab",
     "slab_reclaimable 11\nslab_unreclaimable 22\nslab 33\nanon 1\nfile 2\n",
     2,
     0,
     B(MS_SLAB_RECLAIMABLE) | B(MS_SLAB_UNRECLAIMABLE) | B(MS_SLAB) | B(MS_ANON) | B(MS_FILE),
     {[MS_SLAB_RECLAIMABLE] = 11,
      [MS_SLAB_UNRECLAIMABLE] = 22,
      [MS_SLAB] = 33,
      [MS_ANON] = 1,
      [MS_FILE] = 2}},
    {"v2_shmem_thp_zswapped_first",
     "shmem_thp 44\nzswapped 55\nshmem 66\nzswap 77\nanon 1\nfile 2\n",
     2,
     0,
     B(MS_SHMEM_THP) | B(MS_ZSWAPPED) | B(MS_SHMEM) | B(MS_ZSWAP) | B(MS_ANON) | B(MS_FILE),
     {[MS_SHMEM_THP] = 44,
      [MS_ZSWAPPED] = 55,
      [MS_SHMEM] = 66,
      [MS_ZSWAP] = 77,
      [MS_ANON] = 1,
      [MS_FILE] = 2}},
    {"v2_kernel_is_not_kernel_stack",
     "kernel 999\nkernel_stack 147456\nanon 1\nfile 2\n",
     2,
     0,
     B(MS_KERNEL_STACK) | B(MS_ANON) | B(MS_FILE),
     {[MS_KERNEL_STACK] = 147456, [MS_ANON] = 1, [MS_FILE] = 2}},
    {"v1_total_rss_huge_before_total_rss",
     "total_rss_huge 2097152\ntotal_rss 4194304\ntotal_cache 8192\n",
     1,
     0,
     B(MS_ANON_THP) | B(MS_ANON) | B(MS_FILE),
     {[MS_ANON_THP] = 2097152, [MS_ANON] = 4194304, [MS_FILE] = 8192}},
    {"v1_local_keys_ignored",
     "rss 1\ncache 2\nmapped_file 3\nrss_huge 4\nswap 5\ntotal_rss 10\ntotal_cache 20\n",
     1,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 10, [MS_FILE] = 20}},
    {"v1_hierarchical_limits_distinct",
     "hierarchical_memsw_limit 2\nhierarchical_memory_limit 1\ntotal_rss 0\ntotal_cache 0\n",
     1,
     0,
     B(MS_HIERARCHICAL_MEMSW) | B(MS_HIERARCHICAL_LIMIT) | B(MS_ANON) | B(MS_FILE),
     {[MS_HIERARCHICAL_MEMSW] = 2, [MS_HIERARCHICAL_LIMIT] = 1}},
    {"v1_ignores_v2_names",
     "anon 5\nfile 6\nslab 7\ntotal_rss 1\ntotal_cache 2\n",
     1,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 1, [MS_FILE] = 2}},
    {"v2_ignores_v1_names",
     "total_rss 1\ntotal_cache 2\ntotal_swap 3\nanon 5\nfile 6\n",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 5, [MS_FILE] = 6}},
    {"unknown_key_repeated_is_ignored",
     "pgfault 1\npgfault 2\nanon 3\nfile 4\n",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 3, [MS_FILE] = 4}},
    {"unknown_key_value_not_parsed",
     "future_key some text\nanon 3\nfile 4\n",
     2,
     0,
     B(MS_ANON) | B(MS_FILE),
     {[MS_ANON] = 3, [MS_FILE] = 4}},
};

struct fail_row {
        const char *name;
        const char *in;
        int version;
        int ret;
};

static const struct fail_row fail_rows[] = {
    {"duplicate_v2_core_key", "anon 1\nfile 2\nanon 3\n", 2, -EINVAL},
    {"duplicate_v2_same_value", "anon 1\nanon 1\nfile 2\n", 2, -EINVAL},
    {"duplicate_v2_optional_key", "anon 1\nfile 2\nshmem 3\nshmem 3\n", 2, -EINVAL},
    {"duplicate_v1_total_cache", "total_rss 1\ntotal_cache 2\ntotal_cache 999997440\n", 1, -EINVAL},
    {"duplicate_v1_hierarchical", "hierarchical_memory_limit 1\nhierarchical_memory_limit 1\n", 1,
     -EINVAL},
    {"missing_v2_file", "anon 4096\nshmem 0\n", 2, -ENODATA},
    {"missing_v2_anon", "file 4096\n", 2, -ENODATA},
    {"missing_v2_anon_only_anon_thp", "anon_thp 1\nfile_mapped 2\nfile 3\n", 2, -ENODATA},
    {"missing_v2_file_only_file_keys", "anon 1\nfile_mapped 2\nfile_dirty 3\n", 2, -ENODATA},
    {"missing_v1_total_rss_only_huge", "total_rss_huge 1\ntotal_cache 2\n", 1, -ENODATA},
    {"missing_v1_total_cache", "total_rss 4096\ncache 4096\n", 1, -ENODATA},
    {"missing_v1_total_rss", "rss 4096\ntotal_cache 4096\n", 1, -ENODATA},
    {"v1_file_read_as_v2", real_v1, 2, -ENODATA},
    {"v2_file_read_as_v1", real_v2, 1, -ENODATA},
    {"empty_buffer", "", 2, -ENODATA},
    {"only_newlines", "\n\n", 1, -ENODATA},
    {"garbage_value", "anon 12ab\nfile 1\n", 2, -EINVAL},
    {"negative_value", "anon -1\nfile 1\n", 2, -EINVAL},
    {"empty_value", "anon \nfile 1\n", 2, -EINVAL},
    {"two_spaces", "anon  5\nfile 1\n", 2, -EINVAL},
    {"trailing_space", "anon 5 \nfile 1\n", 2, -EINVAL},
    {"tab_separator", "anon\t5\nfile 1\n", 2, -EINVAL},
    {"crlf_line_end", "anon 5\r\nfile 1\r\n", 2, -EINVAL},
    {"hex_value_v1", "total_rss 0x10\ntotal_cache 1\n", 1, -EINVAL},
    {"key_without_value", "anon\nfile 1\n", 2, -EINVAL},
    {"leading_space", " anon 5\nfile 1\n", 2, -EINVAL},
    {"garbage_line", "anon 1\nfile 2\ngarbage\n", 2, -EINVAL},
    {"truncated_mid_key", "anon 1\nfile 2\nshm", 2, -EINVAL},
    {"truncated_v1_fixture_tail", "total_rss 55590912\ntotal_ca", 1, -EINVAL},
    {"value_overflow", "anon 18446744073709551616\nfile 1\n", 2, -ERANGE},
    {"version_3", real_v2, 3, -EINVAL},
    {"version_0", real_v1, 0, -EINVAL},
    {"version_negative", real_v2, -1, -EINVAL},
};

static void test_parse_ok_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(ok_rows); i++) {
                const struct stat_row *r = &ok_rows[i];
                struct memstat st;
                memset(&st, 0xAB, sizeof(st));
                CHECK_INT(r->name, memstat_parse(r->in, strlen(r->in), r->version, &st), r->ret);
                if (r->ret != 0)
                        continue;
                if (st.present != r->present)
                        ROW_FAIL(r->name, "present = 0x%08" PRIx32 ", want 0x%08" PRIx32,
                                 st.present, r->present);
                for (int k = 0; k < MS_COUNT; k++)
                        if (st.value[k] != r->value[k])
                                ROW_FAIL(r->name, "%s = %" PRIu64 ", want %" PRIu64, key_names[k],
                                         st.value[k], r->value[k]);
        }
        ROWS_DONE();
}

/* Failures leave out exactly as it was. */
static void test_parse_fail_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(fail_rows); i++) {
                const struct fail_row *r = &fail_rows[i];
                struct memstat st, before;
                memset(&st, 0xAB, sizeof(st));
                memset(&before, 0xAB, sizeof(before));
                CHECK_INT(r->name, memstat_parse(r->in, strlen(r->in), r->version, &st), r->ret);
                if (memcmp(&st, &before, sizeof(st)) != 0)
                        ROW_FAIL(r->name, "out written on failure (want %d)", r->ret);
        }
        ROWS_DONE();
}

/* Only [buf, buf+len) is parsed: a duplicate past len does not count. */
static void test_parse_respects_len(void **state)
{
        (void)state;
        static const char buf[] = "anon 4096\nfile 8192\nanon 1\n";
        struct memstat st;
        size_t first_two = strlen("anon 4096\nfile 8192\n");
        assert_int_equal(memstat_parse(buf, first_two, 2, &st), 0);
        assert_true(st.value[MS_ANON] == 4096);
        assert_true(st.value[MS_FILE] == 8192);
        assert_int_equal(memstat_parse(buf, strlen(buf), 2, &st), -EINVAL);
        /* Cut inside "8192": the value read is 81. */
        assert_int_equal(memstat_parse(buf, strlen("anon 4096\nfile 81"), 2, &st), 0);
        assert_true(st.value[MS_FILE] == 81);
}

/* Every key name of both versions is recognised on its own, and only for its version. */
static void test_each_key_alone(void **state)
{
        (void)state;
        static const struct {
                int key;
                const char *v1;
                const char *v2;
        } names[] = {
            {MS_ANON, "total_rss", "anon"},
            {MS_FILE, "total_cache", "file"},
            {MS_SHMEM, "total_shmem", "shmem"},
            {MS_FILE_MAPPED, "total_mapped_file", "file_mapped"},
            {MS_FILE_DIRTY, "total_dirty", "file_dirty"},
            {MS_FILE_WRITEBACK, "total_writeback", "file_writeback"},
            {MS_ANON_THP, "total_rss_huge", "anon_thp"},
            {MS_FILE_THP, NULL, "file_thp"},
            {MS_SHMEM_THP, NULL, "shmem_thp"},
            {MS_ACTIVE_ANON, "total_active_anon", "active_anon"},
            {MS_INACTIVE_ANON, "total_inactive_anon", "inactive_anon"},
            {MS_ACTIVE_FILE, "total_active_file", "active_file"},
            {MS_INACTIVE_FILE, "total_inactive_file", "inactive_file"},
            {MS_UNEVICTABLE, "total_unevictable", "unevictable"},
            {MS_SLAB, NULL, "slab"},
            {MS_SLAB_RECLAIMABLE, NULL, "slab_reclaimable"},
            {MS_SLAB_UNRECLAIMABLE, NULL, "slab_unreclaimable"},
            {MS_KERNEL_STACK, NULL, "kernel_stack"},
            {MS_PAGETABLES, NULL, "pagetables"},
            {MS_SEC_PAGETABLES, NULL, "sec_pagetables"},
            {MS_SWAPCACHED, "total_swapcached", "swapcached"},
            {MS_ZSWAP, NULL, "zswap"},
            {MS_ZSWAPPED, NULL, "zswapped"},
            {MS_SWAP, "total_swap", NULL},
            {MS_HIERARCHICAL_LIMIT, "hierarchical_memory_limit", NULL},
            {MS_HIERARCHICAL_MEMSW, "hierarchical_memsw_limit", NULL},
        };
        assert_int_equal(N_ROWS(names), MS_COUNT);
        for (size_t i = 0; i < N_ROWS(names); i++) {
                for (int version = 1; version <= 2; version++) {
                        const char *name = version == 1 ? names[i].v1 : names[i].v2;
                        const char *core =
                            version == 1 ? "total_rss 1\ntotal_cache 2\n" : "anon 1\nfile 2\n";
                        if (!name || names[i].key == MS_ANON || names[i].key == MS_FILE)
                                continue;
                        char buf[128];
                        snprintf(buf, sizeof(buf), "%s%s 777\n", core, name);
                        struct memstat st;
                        CHECK_INT(name, memstat_parse(buf, strlen(buf), version, &st), 0);
                        CHECK_INT(name, st.value[names[i].key], 777);
                        CHECK_INT(name, st.present, B(MS_ANON) | B(MS_FILE) | B(names[i].key));
                }
        }
        ROWS_DONE();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_ok_table),
            cmocka_unit_test(test_parse_fail_table),
            cmocka_unit_test(test_parse_respects_len),
            cmocka_unit_test(test_each_key_alone),
        };
        return cmocka_run_group_tests_name("memstat_parse", tests, NULL, NULL);
}
