/* Unit tests for lib/meminfo_render.c: the host's /proc/meminfo with the view written in. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "meminfo_sample.h"
#include "table_check.h"

#include "meminfo_parse.h"
#include "meminfo_render.h"
#include "mem_view.h"

#define KB(x) (UINT64_C(x) * 1024)

/* The synthesized file must fit one 4095-byte positional read (view_load.h). */
#define MEMINFO_MAX 4096

/* What the kernel would print for the view below ("%-16s%8lu kB"), host-wide lines as they
 * were. */
static const char want_real[] = "MemTotal:         262144 kB\n"
                                "MemFree:          153600 kB\n"
                                "MemAvailable:     204800 kB\n"
                                "Buffers:               0 kB\n"
                                "Cached:            51200 kB\n"
                                "SwapCached:            0 kB\n"
                                "Active:            30720 kB\n"
                                "Inactive:          40960 kB\n"
                                "Active(anon):      10240 kB\n"
                                "Inactive(anon):    20480 kB\n"
                                "Active(file):      20480 kB\n"
                                "Inactive(file):    20480 kB\n"
                                "Unevictable:           0 kB\n"
                                "Mlocked:               0 kB\n"
                                "SwapTotal:        131072 kB\n"
                                "SwapFree:         131072 kB\n"
                                "Zswap:                 0 kB\n"
                                "Zswapped:              0 kB\n"
                                "Dirty:                 4 kB\n"
                                "Writeback:             0 kB\n"
                                "AnonPages:         30720 kB\n"
                                "Mapped:             8192 kB\n"
                                "Shmem:              4096 kB\n"
                                "KReclaimable:       2048 kB\n"
                                "Slab:               3072 kB\n"
                                "SReclaimable:       2048 kB\n"
                                "SUnreclaim:         1024 kB\n"
                                "KernelStack:         256 kB\n"
                                "PageTables:          512 kB\n"
                                "SecPageTables:         0 kB\n"
                                "NFS_Unstable:          0 kB\n"
                                "Bounce:                0 kB\n"
                                "WritebackTmp:          0 kB\n"
                                "CommitLimit:    12341808 kB\n"
                                "Committed_AS:     107724 kB\n"
                                "VmallocTotal:   34359738367 kB\n"
                                "VmallocUsed:       14380 kB\n"
                                "VmallocChunk:          0 kB\n"
                                "Percpu:              688 kB\n"
                                "AnonHugePages:      2048 kB\n"
                                "ShmemHugePages:        0 kB\n"
                                "ShmemPmdMapped:        0 kB\n"
                                "FileHugePages:         0 kB\n"
                                "FilePmdMapped:         0 kB\n"
                                "Balloon:               0 kB\n"
                                "HugePages_Total:       0\n"
                                "HugePages_Free:        0\n"
                                "HugePages_Rsvd:        0\n"
                                "HugePages_Surp:        0\n"
                                "Hugepagesize:       2048 kB\n"
                                "Hugetlb:               0 kB\n"
                                "DirectMap4k:       24576 kB\n"
                                "DirectMap2M:    25141248 kB\n";

/* A 256 MiB cgroup: every view field set by hand, in bytes. */
static void make_view(struct mem_view *v)
{
        memset(v, 0, sizeof(*v));
        v->passthrough = false;
        v->source = LIMIT_V1_LIMIT;
        v->limit_level = 0;
        v->limit = KB(262144);
        uint64_t *f = v->field;
        f[VF_MEM_TOTAL] = KB(262144);
        f[VF_MEM_FREE] = KB(153600);
        f[VF_MEM_AVAILABLE] = KB(204800);
        f[VF_BUFFERS] = 0;
        f[VF_CACHED] = KB(51200);
        f[VF_SWAP_CACHED] = 0;
        f[VF_ACTIVE] = KB(30720);
        f[VF_INACTIVE] = KB(40960);
        f[VF_ACTIVE_ANON] = KB(10240);
        f[VF_INACTIVE_ANON] = KB(20480);
        f[VF_ACTIVE_FILE] = KB(20480);
        f[VF_INACTIVE_FILE] = KB(20480);
        f[VF_UNEVICTABLE] = 0;
        f[VF_MLOCKED] = 0;
        f[VF_SWAP_TOTAL] = KB(131072);
        f[VF_SWAP_FREE] = KB(131072);
        f[VF_ZSWAP] = 0;
        f[VF_ZSWAPPED] = 0;
        f[VF_DIRTY] = 5119; /* 4 kB and 1023 bytes: rounded down */
        f[VF_WRITEBACK] = 0;
        f[VF_ANON_PAGES] = KB(30720);
        f[VF_MAPPED] = KB(8192);
        f[VF_SHMEM] = KB(4096);
        f[VF_KRECLAIMABLE] = KB(2048);
        f[VF_SLAB] = KB(3072);
        f[VF_SRECLAIMABLE] = KB(2048);
        f[VF_SUNRECLAIM] = KB(1024);
        f[VF_KERNEL_STACK] = KB(256);
        f[VF_PAGE_TABLES] = KB(512);
        f[VF_SEC_PAGE_TABLES] = 0;
        f[VF_ANON_HUGE_PAGES] = KB(2048);
        f[VF_SHMEM_HUGE_PAGES] = 0;
        f[VF_FILE_HUGE_PAGES] = 0;
}

static char out[2 * MEMINFO_MAX];

/* Renders host into out (pre-filled with '#'), checks nothing is written past the result
 * (past cap on failure) and that no NUL is added. */
static int render(const char *host, const struct mem_view *v, size_t cap)
{
        memset(out, '#', sizeof(out));
        int n = meminfo_render(host, strlen(host), v, out, cap);
        size_t from = n >= 0 ? (size_t)n : cap;
        for (size_t k = from; k < sizeof(out); k++)
                if (out[k] != '#')
                        fail_msg("byte %zu written past the result (%d)", k, n);
        return n;
}

static void assert_rendered(int n, const char *want)
{
        if (n < 0 || (size_t)n != strlen(want) || memcmp(out, want, (size_t)n) != 0) {
                print_error("rendered (%d bytes):\n%.*s\nwant (%zu bytes):\n%s\n", n, n > 0 ? n : 0,
                            out, strlen(want), want);
                fail_msg("render differs");
        }
}

static unsigned count_lines(const char *s, size_t len)
{
        unsigned n = 0;
        for (size_t i = 0; i < len; i++)
                n += s[i] == '\n';
        return n;
}

static void test_render_real_host_exact(void **state)
{
        (void)state;
        struct mem_view v;
        make_view(&v);
        int n = render(real_meminfo, &v, MEMINFO_MAX);
        assert_rendered(n, want_real);
}

/* Line by line against the host: same keys in the same order, numbers ending in the host's
 * column, units kept, and the rewritten figures parse back to the view's. */
static void test_render_line_structure(void **state)
{
        (void)state;
        struct mem_view v;
        make_view(&v);
        int n = render(real_meminfo, &v, MEMINFO_MAX);
        assert_true(n > 0);
        assert_true(n < MEMINFO_MAX);
        assert_int_equal(count_lines(out, (size_t)n),
                         count_lines(real_meminfo, strlen(real_meminfo)));
        assert_int_equal(out[n - 1], '\n');

        const char *h = real_meminfo, *o = out, *oend = out + n;
        while (*h) {
                const char *hn = strchr(h, '\n');
                const char *on = memchr(o, '\n', (size_t)(oend - o));
                assert_non_null(hn);
                assert_non_null(on);
                struct meminfo_line hl, ol;
                char row[32];
                snprintf(row, sizeof(row), "%.*s", (int)(strchr(h, ':') - h), h);
                CHECK_INT(row, meminfo_split_line(h, (size_t)(hn - h), &hl), 0);
                CHECK_INT(row, meminfo_split_line(o, (size_t)(on - o), &ol), 0);
                CHECK_INT(row, ol.key_len, hl.key_len);
                CHECK_INT(row, memcmp(o, h, hl.key_len + 1), 0);
                CHECK_INT(row, ol.num_end, hl.num_end);
                CHECK_INT(row, ol.kb, hl.kb);
                CHECK_INT(row, on - o, hn - h);
                for (int k = 0; k < VF_COUNT; k++)
                        if (strlen(cgl_view_field_names[k]) == hl.key_len &&
                            memcmp(h, cgl_view_field_names[k], hl.key_len) == 0)
                                CHECK_INT(row, ol.value, v.field[k] / 1024);
                h = hn + 1;
                o = on + 1;
        }
        assert_ptr_equal(o, oend);

        /* The result is a meminfo the parser takes, with the view's figures. */
        struct host_meminfo hm;
        assert_int_equal(meminfo_parse(out, (size_t)n, &hm), 0);
        assert_true(hm.mem_total == KB(262144));
        assert_true(hm.mem_free == KB(153600));
        assert_true(hm.mem_available == KB(204800));
        assert_true(hm.swap_total == KB(131072));
        assert_true(hm.swap_free == KB(131072));
        assert_true(hm.mlocked == 0);
        ROWS_DONE();
}

/* Lines about machine-wide pools are the host's byte for byte, even far above MemTotal; any
 * other kB line above MemTotal is capped; unit-less counts are never touched. */
static void test_render_host_pools_and_cap(void **state)
{
        (void)state;
        static const char host[] = "MemTotal:       24683620 kB\n"
                                   "MemFree:        23589608 kB\n"
                                   "ShmemPmdMapped:   524288 kB\n"
                                   "FilePmdMapped:    131072 kB\n"
                                   "FutureCounter:  30000000 kB\n"
                                   "FutureSmall:       12345 kB\n"
                                   "HardwareCorrupted:     4 kB\n"
                                   "CommitLimit:    12341808 kB\n"
                                   "Committed_AS:    9999999 kB\n"
                                   "VmallocTotal:   34359738367 kB\n"
                                   "VmallocUsed:      314380 kB\n"
                                   "VmallocChunk:   34359000000 kB\n"
                                   "Percpu:          1048576 kB\n"
                                   "CmaTotal:        8388608 kB\n"
                                   "CmaFree:         4194304 kB\n"
                                   "Unaccepted:      2097152 kB\n"
                                   "Balloon:         1048576 kB\n"
                                   "HugePages_Total:    1024\n"
                                   "HugePages_Free:   300000\n"
                                   "Hugepagesize:    1048576 kB\n"
                                   "Hugetlb:         2097152 kB\n"
                                   "DirectMap4k:       24576 kB\n"
                                   "DirectMap2M:    25141248 kB\n"
                                   "DirectMap4M:     4194304 kB\n"
                                   "DirectMap1G:    16777216 kB\n";
        static const char want[] = "MemTotal:         262144 kB\n"
                                   "MemFree:          153600 kB\n"
                                   "ShmemPmdMapped:   262144 kB\n"
                                   "FilePmdMapped:    131072 kB\n"
                                   "FutureCounter:    262144 kB\n"
                                   "FutureSmall:       12345 kB\n"
                                   "HardwareCorrupted:     4 kB\n"
                                   "CommitLimit:    12341808 kB\n"
                                   "Committed_AS:    9999999 kB\n"
                                   "VmallocTotal:   34359738367 kB\n"
                                   "VmallocUsed:      314380 kB\n"
                                   "VmallocChunk:   34359000000 kB\n"
                                   "Percpu:          1048576 kB\n"
                                   "CmaTotal:        8388608 kB\n"
                                   "CmaFree:         4194304 kB\n"
                                   "Unaccepted:      2097152 kB\n"
                                   "Balloon:         1048576 kB\n"
                                   "HugePages_Total:    1024\n"
                                   "HugePages_Free:   300000\n"
                                   "Hugepagesize:    1048576 kB\n"
                                   "Hugetlb:         2097152 kB\n"
                                   "DirectMap4k:       24576 kB\n"
                                   "DirectMap2M:    25141248 kB\n"
                                   "DirectMap4M:     4194304 kB\n"
                                   "DirectMap1G:    16777216 kB\n";
        struct mem_view v;
        make_view(&v);
        assert_rendered(render(host, &v, MEMINFO_MAX), want);
}

/* Named host-pool lines of the real file, checked on their own: the same bytes as the host. */
static void test_render_real_pool_lines_unchanged(void **state)
{
        (void)state;
        static const char *const pool[] = {
            "CommitLimit:    12341808 kB\n",    "Committed_AS:     107724 kB\n",
            "VmallocTotal:   34359738367 kB\n", "VmallocUsed:       14380 kB\n",
            "VmallocChunk:          0 kB\n",    "Percpu:              688 kB\n",
            "Balloon:               0 kB\n",    "HugePages_Total:       0\n",
            "HugePages_Free:        0\n",       "HugePages_Rsvd:        0\n",
            "HugePages_Surp:        0\n",       "Hugepagesize:       2048 kB\n",
            "Hugetlb:               0 kB\n",    "DirectMap4k:       24576 kB\n",
            "DirectMap2M:    25141248 kB\n",
        };
        struct mem_view v;
        make_view(&v);
        int n = render(real_meminfo, &v, MEMINFO_MAX);
        assert_true(n > 0);
        out[n] = '\0';
        for (size_t i = 0; i < N_ROWS(pool); i++) {
                const char *at = strstr(out, pool[i]);
                if (!at || (at != out && at[-1] != '\n'))
                        ROW_FAIL(pool[i], "%s", "line missing or changed");
        }
        ROWS_DONE();
}

/* Lines of an older kernel (no MemAvailable, no Zswap ...): nothing added or dropped, and the
 * last line keeps having no newline when the host's had none. */
static void test_render_old_kernel_no_trailing_newline(void **state)
{
        (void)state;
        static const char host[] = "MemTotal:        2052440 kB\n"
                                   "MemFree:          109228 kB\n"
                                   "Buffers:          128956 kB\n"
                                   "Cached:          1315048 kB\n"
                                   "SwapTotal:       2096124 kB\n"
                                   "SwapFree:        2087256 kB\n"
                                   "HugePages_Total:       0\n"
                                   "DirectMap4k:       10240 kB";
        static const char want[] = "MemTotal:         262144 kB\n"
                                   "MemFree:          153600 kB\n"
                                   "Buffers:               0 kB\n"
                                   "Cached:            51200 kB\n"
                                   "SwapTotal:        131072 kB\n"
                                   "SwapFree:         131072 kB\n"
                                   "HugePages_Total:       0\n"
                                   "DirectMap4k:       10240 kB";
        struct mem_view v;
        make_view(&v);
        assert_rendered(render(host, &v, MEMINFO_MAX), want);
}

static void test_render_empty_host(void **state)
{
        (void)state;
        struct mem_view v;
        make_view(&v);
        assert_int_equal(render("", &v, MEMINFO_MAX), 0);
}

/* The result must fit in cap exactly; one byte less is -ENOSPC. */
static void test_render_capacity(void **state)
{
        (void)state;
        struct mem_view v;
        make_view(&v);
        int full = render(real_meminfo, &v, MEMINFO_MAX);
        assert_int_equal(full, (int)strlen(want_real));
        assert_true(full < MEMINFO_MAX);

        assert_int_equal(render(real_meminfo, &v, (size_t)full), full);
        assert_rendered(full, want_real);

        static const size_t small[] = {0, 1, 10, 27, 28, 64, 1000};
        for (size_t i = 0; i < N_ROWS(small); i++) {
                char row[32];
                snprintf(row, sizeof(row), "cap_%zu", small[i]);
                CHECK_INT(row, render(real_meminfo, &v, small[i]), -ENOSPC);
        }
        CHECK_INT("cap_full_minus_1", render(real_meminfo, &v, (size_t)full - 1), -ENOSPC);
        /* Short by the last newline only. */
        static const char two[] = "MemTotal:       24683620 kB\nMemFree:        23589608 kB\n";
        CHECK_INT("cap_two_lines_exact", render(two, &v, strlen(two)), (int)strlen(two));
        CHECK_INT("cap_two_lines_minus_1", render(two, &v, strlen(two) - 1), -ENOSPC);
        ROWS_DONE();
}

struct bad_row {
        const char *name;
        const char *host;
        int ret;
};

static const struct bad_row bad_rows[] = {
    {"garbage_line", "MemTotal:       24683620 kB\nGarbage line\n", -EINVAL},
    {"no_colon", "MemTotal        24683620 kB\n", -EINVAL},
    {"non_numeric", "MemTotal:       abc kB\n", -EINVAL},
    {"truncated_in_unit", "MemTotal:       24683620 kB\nMemFree:          123 k", -EINVAL},
    {"truncated_after_colon", "MemTotal:       24683620 kB\nMemFree:", -EINVAL},
    {"lowercase_unit", "MemTotal:       24683620 kb\n", -EINVAL},
    {"trailing_space", "MemTotal:       24683620 kB \n", -EINVAL},
    {"tab", "MemTotal:\t24683620 kB\n", -EINVAL},
    {"blank_line", "MemTotal:       24683620 kB\n\nMemFree:        23589608 kB\n", -EINVAL},
    /* The splitter's -ERANGE comes through as is. */
    {"number_overflow", "MemTotal:       18446744073709551616 kB\n", -ERANGE},
    {"malformed_last_line", "MemTotal:       24683620 kB\nMemFree:        23589608 kB\nX", -EINVAL},
};

static void test_render_malformed_host(void **state)
{
        (void)state;
        struct mem_view v;
        make_view(&v);
        for (size_t i = 0; i < N_ROWS(bad_rows); i++)
                CHECK_INT(bad_rows[i].name, render(bad_rows[i].host, &v, MEMINFO_MAX),
                          bad_rows[i].ret);
        ROWS_DONE();
}

struct wide_row {
        const char *name;
        const char *host;   /* one host line, with its newline */
        int field;          /* the view field set to value */
        uint64_t value;     /* bytes */
        const char *kernel; /* what the kernel prints for that value */
};

/* Rewritten numbers wider than the host's: the line must keep a space between the label and
 * the number, and the kernel's layout: the label padded to 16 columns, then "%8lu kB". */
static const struct wide_row wide_rows[] = {
    {"buffers_9_digits", "Buffers:            8272 kB\n", VF_BUFFERS, KB(123456789),
     "Buffers:        123456789 kB\n"},
    {"swap_total_from_zero", "SwapTotal:             0 kB\n", VF_SWAP_TOTAL, KB(123456789),
     "SwapTotal:      123456789 kB\n"},
    {"inactive_file_9_digits", "Inactive(file):   583872 kB\n", VF_INACTIVE_FILE, KB(123456789),
     "Inactive(file): 123456789 kB\n"},
    {"inactive_anon_10_digits", "Inactive(anon):    44748 kB\n", VF_INACTIVE_ANON, KB(1234567890),
     "Inactive(anon): 1234567890 kB\n"},
    {"shmem_huge_pages_from_zero", "ShmemHugePages:        0 kB\n", VF_SHMEM_HUGE_PAGES,
     KB(104857600), "ShmemHugePages: 104857600 kB\n"},
    {"mem_total_uint64_max", "MemTotal:       24683620 kB\n", VF_MEM_TOTAL, UINT64_MAX,
     "MemTotal:       18014398509481983 kB\n"},
};

static void test_render_wider_number_well_formed(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(wide_rows); i++) {
                const struct wide_row *r = &wide_rows[i];
                struct mem_view v;
                make_view(&v);
                v.field[r->field] = r->value;
                int n = render(r->host, &v, MEMINFO_MAX);
                CHECK_INT(r->name, n > 0, 1);
                if (n <= 0)
                        continue;
                struct meminfo_line ml;
                CHECK_INT(r->name, meminfo_split_line(out, (size_t)n - 1, &ml), 0);
                CHECK_INT(r->name, ml.value, r->value / 1024);
                CHECK_INT(r->name, ml.kb, 1);
                /* Whitespace-separated readers (awk '{print $2}') need the space. */
                if (out[ml.key_len + 1] != ' ')
                        ROW_FAIL(r->name, "no space after the label: \"%.*s\"", n - 1, out);
        }
        ROWS_DONE();
}

static void test_render_wider_number_kernel_layout(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(wide_rows); i++) {
                const struct wide_row *r = &wide_rows[i];
                struct mem_view v;
                make_view(&v);
                v.field[r->field] = r->value;
                int n = render(r->host, &v, MEMINFO_MAX);
                if (n < 0 || (size_t)n != strlen(r->kernel) || memcmp(out, r->kernel, (size_t)n))
                        ROW_FAIL(r->name, "rendered \"%.*s\", kernel prints \"%.*s\"",
                                 n > 0 ? n - 1 : 0, out, (int)strlen(r->kernel) - 1, r->kernel);
        }
        ROWS_DONE();
}

/* A host with more than 99,999,999 kB (about 96 GiB) prints 9-digit numbers one column further
 * right; a smaller rewritten figure goes back to the kernel's column 24. */
static void test_render_big_host_kernel_layout(void **state)
{
        (void)state;
        static const char host[] = "MemTotal:       131899928 kB\n"
                                   "MemFree:         2211928 kB\n"
                                   "MemAvailable:   118876844 kB\n"
                                   "Buffers:         1049380 kB\n"
                                   "Cached:         112262536 kB\n"
                                   "SwapCached:            0 kB\n"
                                   "VmallocTotal:   34359738367 kB\n"
                                   "DirectMap1G:    132120576 kB\n";
        static const char want[] = "MemTotal:         262144 kB\n"
                                   "MemFree:          153600 kB\n"
                                   "MemAvailable:     204800 kB\n"
                                   "Buffers:               0 kB\n"
                                   "Cached:            51200 kB\n"
                                   "SwapCached:            0 kB\n"
                                   "VmallocTotal:   34359738367 kB\n"
                                   "DirectMap1G:    132120576 kB\n";
        struct mem_view v;
        make_view(&v);
        assert_rendered(render(host, &v, MEMINFO_MAX), want);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_render_real_host_exact),
            cmocka_unit_test(test_render_line_structure),
            cmocka_unit_test(test_render_host_pools_and_cap),
            cmocka_unit_test(test_render_real_pool_lines_unchanged),
            cmocka_unit_test(test_render_old_kernel_no_trailing_newline),
            cmocka_unit_test(test_render_empty_host),
            cmocka_unit_test(test_render_capacity),
            cmocka_unit_test(test_render_malformed_host),
            cmocka_unit_test(test_render_wider_number_well_formed),
            cmocka_unit_test(test_render_wider_number_kernel_layout),
            cmocka_unit_test(test_render_big_host_kernel_layout),
        };
        return cmocka_run_group_tests_name("meminfo_render", tests, NULL, NULL);
}
