/* Unit tests for lib/meminfo_parse.c: the meminfo line splitter and the host figures. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "meminfo_sample.h"
#include "table_check.h"

#include "meminfo_parse.h"

#define KB(x) (UINT64_C(x) * 1024)

/* A kernel older than 3.14 (no MemAvailable line), with swap. */
static const char old_meminfo_no_available[] = "MemTotal:        2052440 kB\n"
                                               "MemFree:          109228 kB\n"
                                               "Buffers:          128956 kB\n"
                                               "Cached:          1315048 kB\n"
                                               "SwapCached:         1124 kB\n"
                                               "Active:          1038260 kB\n"
                                               "Inactive:         706860 kB\n"
                                               "Mlocked:               0 kB\n"
                                               "SwapTotal:       2096124 kB\n"
                                               "SwapFree:        2087256 kB\n"
                                               "Dirty:                64 kB\n"
                                               "HugePages_Total:       0\n"
                                               "HugePages_Free:        0\n"
                                               "Hugepagesize:       2048 kB\n"
                                               "DirectMap4k:       10240 kB\n";

struct parse_row {
        const char *name;
        const char *in;
        int ret;
        uint64_t total, free, available, swap_total, swap_free, mlocked; /* bytes, ret == 0 */
};

static const struct parse_row parse_rows[] = {
    {"real_host", real_meminfo, 0, KB(24683620), KB(23589608), KB(24240728), 0, 0, KB(13320)},
    {"old_kernel_available_defaults_to_free", old_meminfo_no_available, 0, KB(2052440), KB(109228),
     KB(109228), KB(2096124), KB(2087256), 0},
    {"minimal_total_and_free", "MemTotal: 1000 kB\nMemFree: 400 kB\n", 0, KB(1000), KB(400),
     KB(400), 0, 0, 0},
    {"no_trailing_newline", "MemTotal:       1000 kB\nMemFree:         400 kB", 0, KB(1000),
     KB(400), KB(400), 0, 0, 0},
    {"order_does_not_matter", "SwapFree: 5 kB\nMemFree: 400 kB\nMemTotal: 1000 kB\n", 0, KB(1000),
     KB(400), KB(400), 0, KB(5), 0},
    {"blank_lines_skipped", "\nMemTotal: 1000 kB\n\nMemFree: 400 kB\n\n", 0, KB(1000), KB(400),
     KB(400), 0, 0, 0},
    {"unitless_lines_accepted",
     "MemTotal: 1000 kB\nHugePages_Total:       0\nHugePages_Free:      12\nMemFree: 400 kB\n", 0,
     KB(1000), KB(400), KB(400), 0, 0, 0},
    {"available_above_free_kept", "MemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 900 kB\n", 0,
     KB(1000), KB(400), KB(900), 0, 0, 0},
    {"zero_values", "MemTotal: 0 kB\nMemFree: 0 kB\nMemAvailable: 0 kB\n", 0, 0, 0, 0, 0, 0, 0},
    {"largest_kb_value", "MemTotal: 18014398509481983 kB\nMemFree: 0 kB\n", 0,
     UINT64_C(18446744073709550592), 0, 0, 0, 0, 0},
    {"unknown_key_huge_value_ignored",
     "MemTotal: 1000 kB\nMemFree: 400 kB\nFuture: 18446744073709551615 kB\n", 0, KB(1000), KB(400),
     KB(400), 0, 0, 0},
    {"unknown_key_unitless_ignored", "MemTotal: 1000 kB\nMemFree: 400 kB\nCmaPages: 7\n", 0,
     KB(1000), KB(400), KB(400), 0, 0, 0},
    {"keys_matched_exactly",
     "MemTotal: 1000 kB\nMemTotalX: 1 kB\nMemFre: 2 kB\nMemFree: 400 kB\nSwapFreed: 3 kB\n", 0,
     KB(1000), KB(400), KB(400), 0, 0, 0},
    {"missing_mem_total", "MemFree: 400 kB\nMemAvailable: 500 kB\n", -ENODATA, 0, 0, 0, 0, 0, 0},
    {"missing_mem_free", "MemTotal: 1000 kB\nMemAvailable: 500 kB\n", -ENODATA, 0, 0, 0, 0, 0, 0},
    {"empty_buffer", "", -ENODATA, 0, 0, 0, 0, 0, 0},
    {"duplicate_mem_total", "MemTotal: 1000 kB\nMemFree: 400 kB\nMemTotal: 1000 kB\n", -EINVAL, 0,
     0, 0, 0, 0, 0},
    {"duplicate_swap_free", "MemTotal: 1000 kB\nMemFree: 400 kB\nSwapFree: 1 kB\nSwapFree: 1 kB\n",
     -EINVAL, 0, 0, 0, 0, 0, 0},
    {"truncated_mid_line_no_unit", "MemTotal:       24683620 kB\nMemFree:   123", -EINVAL, 0, 0, 0,
     0, 0, 0},
    {"host_key_without_kb", "MemTotal:       24683620\nMemFree: 400 kB\n", -EINVAL, 0, 0, 0, 0, 0,
     0},
    {"truncated_in_unit", "MemTotal: 1000 kB\nMemFree: 400 k", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"truncated_after_colon", "MemTotal: 1000 kB\nMemFree:", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"truncated_in_key", "MemTotal: 1000 kB\nMemFree: 400 kB\nMemAv", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"garbage_line", "MemTotal: 1000 kB\ngarbage\nMemFree: 400 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"garbage_value", "MemTotal: 1000 kB\nMemFree: 4x0 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"negative_value", "MemTotal: 1000 kB\nMemFree: -400 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"lowercase_unit", "MemTotal: 1000 kb\nMemFree: 400 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"unit_mb", "MemTotal: 1000 MB\nMemFree: 400 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"tab_after_colon", "MemTotal:\t1000 kB\nMemFree: 400 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"trailing_space", "MemTotal: 1000 kB \nMemFree: 400 kB\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"crlf", "MemTotal: 1000 kB\r\nMemFree: 400 kB\r\n", -EINVAL, 0, 0, 0, 0, 0, 0},
    {"kb_overflow", "MemTotal: 18014398509481984 kB\nMemFree: 0 kB\n", -ERANGE, 0, 0, 0, 0, 0, 0},
    {"number_overflow", "MemTotal: 18446744073709551616 kB\nMemFree: 0 kB\n", -ERANGE, 0, 0, 0, 0,
     0, 0},
    {"unknown_key_number_overflow", "MemTotal: 1 kB\nMemFree: 0 kB\nX: 18446744073709551616\n",
     -ERANGE, 0, 0, 0, 0, 0, 0},
};

static void test_parse_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(parse_rows); i++) {
                const struct parse_row *r = &parse_rows[i];
                struct host_meminfo h, before;
                memset(&h, 0xAB, sizeof(h));
                before = h;
                CHECK_INT(r->name, meminfo_parse(r->in, strlen(r->in), &h), r->ret);
                if (r->ret != 0) {
                        if (memcmp(&h, &before, sizeof(h)) != 0)
                                ROW_FAIL(r->name, "out written on failure (want %d)", r->ret);
                        continue;
                }
                CHECK_U64(r->name, h.mem_total, r->total);
                CHECK_U64(r->name, h.mem_free, r->free);
                CHECK_U64(r->name, h.mem_available, r->available);
                CHECK_U64(r->name, h.swap_total, r->swap_total);
                CHECK_U64(r->name, h.swap_free, r->swap_free);
                CHECK_U64(r->name, h.mlocked, r->mlocked);
        }
        ROWS_DONE();
}

struct split_row {
        const char *name;
        const char *line;
        int ret;
        size_t key_len, num_start, num_end; /* when ret == 0 */
        bool kb;
        uint64_t value;
};

static const struct split_row split_rows[] = {
    {"kernel_kb_line", "MemTotal:       24683620 kB", 0, 8, 16, 24, true, 24683620},
    {"short_number", "Buffers:            8272 kB", 0, 7, 20, 24, true, 8272},
    {"zero", "SwapTotal:             0 kB", 0, 9, 23, 24, true, 0},
    {"parenthesised_key", "Active(anon):       1564 kB", 0, 12, 20, 24, true, 1564},
    {"wider_than_column", "VmallocTotal:   34359738367 kB", 0, 12, 16, 27, true, 34359738367},
    {"unitless", "HugePages_Total:       0", 0, 15, 23, 24, false, 0},
    {"unitless_value", "HugePages_Free:       12", 0, 14, 22, 24, false, 12},
    {"hardware_corrupted_layout", "HardwareCorrupted:     0 kB", 0, 17, 23, 24, true, 0},
    {"no_space_after_colon", "MemTotal:1000 kB", 0, 8, 9, 13, true, 1000},
    {"uint64_max", "X: 18446744073709551615", 0, 1, 3, 23, false, UINT64_MAX},
    {"empty_line", "", -EINVAL, 0, 0, 0, false, 0},
    {"no_colon", "MemTotal 1000 kB", -EINVAL, 0, 0, 0, false, 0},
    {"empty_key", ": 1000 kB", -EINVAL, 0, 0, 0, false, 0},
    {"no_number", "MemTotal:       kB", -EINVAL, 0, 0, 0, false, 0},
    {"only_key", "MemTotal:", -EINVAL, 0, 0, 0, false, 0},
    {"only_spaces_after_key", "MemTotal:     ", -EINVAL, 0, 0, 0, false, 0},
    {"unit_without_space", "MemTotal: 1000kB", -EINVAL, 0, 0, 0, false, 0},
    {"unit_two_spaces", "MemTotal: 1000  kB", -EINVAL, 0, 0, 0, false, 0},
    {"unit_lowercase", "MemTotal: 1000 kb", -EINVAL, 0, 0, 0, false, 0},
    {"unit_truncated", "MemTotal: 1000 k", -EINVAL, 0, 0, 0, false, 0},
    {"unit_then_garbage", "MemTotal: 1000 kBx", -EINVAL, 0, 0, 0, false, 0},
    {"trailing_space_unitless", "HugePages_Total: 0 ", -EINVAL, 0, 0, 0, false, 0},
    {"tab_separator", "MemTotal:\t1000 kB", -EINVAL, 0, 0, 0, false, 0},
    {"negative", "MemTotal: -1000 kB", -EINVAL, 0, 0, 0, false, 0},
    {"overflow", "MemTotal: 18446744073709551616 kB", -ERANGE, 0, 0, 0, false, 0},
};

static void test_split_line_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(split_rows); i++) {
                const struct split_row *r = &split_rows[i];
                struct meminfo_line ml, before;
                memset(&ml, 0xAB, sizeof(ml));
                before = ml;
                CHECK_INT(r->name, meminfo_split_line(r->line, strlen(r->line), &ml), r->ret);
                if (r->ret != 0) {
                        if (memcmp(&ml, &before, sizeof(ml)) != 0)
                                ROW_FAIL(r->name, "out written on failure (want %d)", r->ret);
                        continue;
                }
                CHECK_INT(r->name, ml.key_len, r->key_len);
                CHECK_INT(r->name, ml.num_start, r->num_start);
                CHECK_INT(r->name, ml.num_end, r->num_end);
                CHECK_INT(r->name, ml.kb, r->kb);
                CHECK_U64(r->name, ml.value, r->value);
        }
        ROWS_DONE();
}

/* Every line of the real file splits, and the kernel's columns show: numbers end at column 24
 * unless wider than 8 digits, units are " kB" or nothing. */
static void test_split_every_real_line(void **state)
{
        (void)state;
        const char *p = real_meminfo;
        unsigned lines = 0, kb = 0;
        while (*p) {
                const char *nl = strchr(p, '\n');
                assert_non_null(nl);
                size_t len = (size_t)(nl - p);
                struct meminfo_line ml;
                char row[40];
                memcpy(row, p, 16);
                row[16] = '\0';
                CHECK_INT(row, meminfo_split_line(p, len, &ml), 0);
                size_t digits = ml.num_end - ml.num_start;
                CHECK_INT(row, ml.num_end, digits > 8 ? 16 + digits : 24);
                CHECK_INT(row, p[ml.key_len], ':');
                kb += ml.kb;
                lines++;
                p = nl + 1;
        }
        assert_int_equal(lines, 53);
        assert_int_equal(kb, 49);
        ROWS_DONE();
}

/* Only [buf, buf+len) is parsed. */
static void test_parse_respects_len(void **state)
{
        (void)state;
        static const char buf[] = "MemTotal: 1000 kB\nMemFree: 400 kB\nMemTotal: 5 kB\n";
        struct host_meminfo h;
        size_t two = strlen("MemTotal: 1000 kB\nMemFree: 400 kB\n");
        assert_int_equal(meminfo_parse(buf, two, &h), 0);
        assert_true(h.mem_total == KB(1000));
        assert_int_equal(meminfo_parse(buf, strlen(buf), &h), -EINVAL);
        /* Cut just before "kB" of MemFree: "MemFree: 400 " is malformed. */
        assert_int_equal(meminfo_parse(buf, two - 3, &h), -EINVAL);
        /* Cut before MemFree: it is missing. */
        assert_int_equal(meminfo_parse(buf, strlen("MemTotal: 1000 kB\n"), &h), -ENODATA);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_table),
            cmocka_unit_test(test_split_line_table),
            cmocka_unit_test(test_split_every_real_line),
            cmocka_unit_test(test_parse_respects_len),
        };
        return cmocka_run_group_tests_name("meminfo_parse", tests, NULL, NULL);
}
