/* Unit tests for lib/value_parse.c: strict decimal numbers, limit files, human sizes and the
 * right-aligned number formatter. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "value_parse.h"

#define SENTINEL UINT64_C(0x5a5a5a5a5a5a5a5a)

/* ---- cgl_parse_u64 ------------------------------------------------------------------------ */

struct u64_row {
        const char *name;
        const char *in;
        int ret;
        uint64_t out; /* when ret == 0 */
};

static const struct u64_row u64_rows[] = {
    {"zero", "0", 0, 0},
    {"single_digit", "7", 0, 7},
    {"digits", "268435456", 0, 268435456},
    {"leading_zeros", "000042", 0, 42},
    {"all_zeros", "0000", 0, 0},
    {"int64_max", "9223372036854775807", 0, INT64_MAX},
    {"v1_unlimited_value", "9223372036854771712", 0, UINT64_C(9223372036854771712)},
    {"uint64_max_exact", "18446744073709551615", 0, UINT64_MAX},
    {"uint64_max_with_leading_zeros", "0018446744073709551615", 0, UINT64_MAX},
    {"overflow_by_one", "18446744073709551616", -ERANGE, 0},
    {"overflow_last_digit_9", "18446744073709551619", -ERANGE, 0},
    {"overflow_21_digits", "100000000000000000000", -ERANGE, 0},
    {"overflow_huge", "99999999999999999999999999", -ERANGE, 0},
    {"empty", "", -EINVAL, 0},
    {"plus_sign", "+1", -EINVAL, 0},
    {"minus_sign", "-1", -EINVAL, 0},
    {"minus_zero", "-0", -EINVAL, 0},
    {"leading_space", " 1", -EINVAL, 0},
    {"trailing_space", "1 ", -EINVAL, 0},
    {"inner_space", "1 2", -EINVAL, 0},
    {"trailing_newline", "12\n", -EINVAL, 0},
    {"trailing_garbage", "12ab", -EINVAL, 0},
    {"leading_garbage", "x12", -EINVAL, 0},
    {"hex", "0x10", -EINVAL, 0},
    {"decimal_point", "1.5", -EINVAL, 0},
    {"exponent", "1e3", -EINVAL, 0},
    {"char_below_zero", "1/", -EINVAL, 0},
    {"char_above_nine", "1:", -EINVAL, 0},
    {"high_bit_byte", "1\xb9", -EINVAL, 0},
    {"max_word", "max", -EINVAL, 0},
};

static void test_parse_u64_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(u64_rows); i++) {
                const struct u64_row *r = &u64_rows[i];
                uint64_t out = SENTINEL;
                CHECK_INT(r->name, cgl_parse_u64(r->in, strlen(r->in), &out), r->ret);
                CHECK_U64(r->name, out, r->ret == 0 ? r->out : SENTINEL);
        }
        ROWS_DONE();
}

/* Only [s, s+len) is looked at: the bytes after it do not matter. */
static void test_parse_u64_respects_len(void **state)
{
        (void)state;
        uint64_t out = SENTINEL;
        assert_int_equal(cgl_parse_u64("12345xyz", 5, &out), 0);
        assert_true(out == 12345);
        assert_int_equal(cgl_parse_u64("12345", 3, &out), 0);
        assert_true(out == 123);
        out = SENTINEL;
        assert_int_equal(cgl_parse_u64("12345", 0, &out), -EINVAL);
        assert_true(out == SENTINEL);
}

/* ---- cgl_parse_limit ---------------------------------------------------------------------- */

static const struct u64_row limit_rows[] = {
    {"limit_max_means_unlimited", "max", 0, UINT64_MAX},
    {"limit_max_newline", "max\n", 0, UINT64_MAX},
    {"v1_unlimited_newline", "9223372036854771712\n", 0, UINT64_C(9223372036854771712)},
    {"v2_limit_newline", "268435456\n", 0, 268435456},
    {"bytes_without_newline", "268435456", 0, 268435456},
    {"zero_newline", "0\n", 0, 0},
    {"uint64_max_newline", "18446744073709551615\n", 0, UINT64_MAX},
    {"overflow_newline", "18446744073709551616\n", -ERANGE, 0},
    {"empty", "", -EINVAL, 0},
    {"only_newline", "\n", -EINVAL, 0},
    {"two_newlines", "max\n\n", -EINVAL, 0},
    {"number_two_newlines", "4096\n\n", -EINVAL, 0},
    {"max_uppercase", "MAX\n", -EINVAL, 0},
    {"max_prefix", "ma\n", -EINVAL, 0},
    {"maximum", "maximum\n", -EINVAL, 0},
    {"max_trailing_space", "max \n", -EINVAL, 0},
    {"crlf", "4096\r\n", -EINVAL, 0},
    {"leading_space", " 4096\n", -EINVAL, 0},
    {"negative", "-1\n", -EINVAL, 0},
    {"garbage", "12ab\n", -EINVAL, 0},
    {"newline_first", "\n4096", -EINVAL, 0},
};

static void test_parse_limit_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(limit_rows); i++) {
                const struct u64_row *r = &limit_rows[i];
                uint64_t out = SENTINEL;
                CHECK_INT(r->name, cgl_parse_limit(r->in, strlen(r->in), &out), r->ret);
                CHECK_U64(r->name, out, r->ret == 0 ? r->out : SENTINEL);
        }
        ROWS_DONE();
}

/* "max" is recognised within len only, not by looking past it. */
static void test_parse_limit_respects_len(void **state)
{
        (void)state;
        uint64_t out = SENTINEL;
        assert_int_equal(cgl_parse_limit("max\nXYZ", 4, &out), 0);
        assert_true(out == UINT64_MAX);
        out = SENTINEL;
        assert_int_equal(cgl_parse_limit("maxi", 3, &out), 0);
        assert_true(out == UINT64_MAX);
        out = SENTINEL;
        assert_int_equal(cgl_parse_limit("max", 2, &out), -EINVAL);
        assert_true(out == SENTINEL);
}

/* ---- cgl_parse_size ----------------------------------------------------------------------- */

static const struct u64_row size_rows[] = {
    {"plain_bytes", "100", 0, 100},
    {"plain_bytes_large", "268435456", 0, 268435456},
    {"zero", "0", 0, 0},
    {"kilo_lower", "4k", 0, 4096},
    {"kilo_upper", "4K", 0, 4096},
    {"kilo_KB", "4KB", 0, 4096},
    {"kilo_KiB", "4KiB", 0, 4096},
    {"mega", "512M", 0, 536870912},
    {"mega_lower", "512m", 0, 536870912},
    {"mega_MB_is_binary", "512MB", 0, 536870912},
    {"mega_Mi", "512Mi", 0, 536870912},
    {"giga", "2G", 0, UINT64_C(2147483648)},
    {"gibi", "1GiB", 0, UINT64_C(1073741824)},
    {"gibi_lower_ib", "1gib", 0, UINT64_C(1073741824)},
    {"tera", "3T", 0, UINT64_C(3298534883328)},
    {"tera_max_fitting", "16777215T", 0, UINT64_C(18446742974197923840)},
    {"leading_zeros_suffix", "0002G", 0, UINT64_C(2147483648)},
    {"uint64_max_bytes", "18446744073709551615", 0, UINT64_MAX},
    {"zero_with_suffix", "0G", 0, 0},
    {"fraction_refused", "1.5G", -EINVAL, 0},
    {"negative", "-1", -EINVAL, 0},
    {"plus_sign", "+1G", -EINVAL, 0},
    {"suffix_only", "G", -EINVAL, 0},
    {"empty", "", -EINVAL, 0},
    {"leading_space", " 1G", -EINVAL, 0},
    {"space_before_suffix", "1 G", -EINVAL, 0},
    {"trailing_space", "1G ", -EINVAL, 0},
    {"trailing_newline", "1G\n", -EINVAL, 0},
    {"unknown_suffix_P", "1P", -EINVAL, 0},
    {"unknown_suffix_x", "12ab", -EINVAL, 0},
    {"i_without_unit", "1i", -EINVAL, 0},
    {"iB_without_unit", "1iB", -EINVAL, 0},
    {"double_B", "1BB", -EINVAL, 0},
    {"double_suffix", "1KM", -EINVAL, 0},
    {"garbage_after_iB", "1GiBx", -EINVAL, 0},
    {"B_then_i", "1GBi", -EINVAL, 0},
    {"overflow_tera", "99999999999T", -ERANGE, 0},
    {"overflow_tera_by_one", "16777216T", -ERANGE, 0},
    {"overflow_giga", "17179869184G", -ERANGE, 0},
    {"overflow_digits", "18446744073709551616", -ERANGE, 0},
    {"overflow_digits_with_suffix", "18446744073709551616K", -ERANGE, 0},
};

static void test_parse_size_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(size_rows); i++) {
                const struct u64_row *r = &size_rows[i];
                uint64_t out = SENTINEL;
                CHECK_INT(r->name, cgl_parse_size(r->in, &out), r->ret);
                CHECK_U64(r->name, out, r->ret == 0 ? r->out : SENTINEL);
        }
        ROWS_DONE();
}

/* A bare "B" (bytes) suffix: value_parse.c has a branch for it after the switch, but the
 * switch's default case refuses 'B' before that branch is reached. */
static const struct u64_row size_bytes_suffix_rows[] = {
    {"bytes_suffix_B", "100B", 0, 100},
    {"bytes_suffix_b", "100b", 0, 100},
    {"bytes_suffix_zero", "0B", 0, 0},
    {"bytes_suffix_twice", "100BB", -EINVAL, 0},
};

static void test_parse_size_bytes_suffix(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(size_bytes_suffix_rows); i++) {
                const struct u64_row *r = &size_bytes_suffix_rows[i];
                uint64_t out = SENTINEL;
                CHECK_INT(r->name, cgl_parse_size(r->in, &out), r->ret);
                CHECK_U64(r->name, out, r->ret == 0 ? r->out : SENTINEL);
        }
        ROWS_DONE();
}

/* ---- cgl_format_u64 ----------------------------------------------------------------------- */

struct format_row {
        const char *name;
        uint64_t v;
        size_t width;
        size_t cap;
        int ret;
        const char *want; /* the ret characters written, when ret > 0 */
};

static const struct format_row format_rows[] = {
    {"zero_no_width", 0, 0, 32, 1, "0"},
    {"zero_width_1", 0, 1, 32, 1, "0"},
    {"zero_width_8", 0, 8, 32, 8, "       0"},
    {"kernel_column_8", 262144, 8, 32, 8, "  262144"},
    {"meminfo_column_15", 262144, 15, 32, 15, "         262144"},
    {"exact_width", 12345678, 8, 32, 8, "12345678"},
    {"wider_than_width", 34359738367, 8, 32, 11, "34359738367"},
    {"width_smaller_than_digits", 123456, 2, 32, 6, "123456"},
    {"uint64_max", UINT64_MAX, 0, 32, 20, "18446744073709551615"},
    {"uint64_max_padded", UINT64_MAX, 22, 32, 22, "  18446744073709551615"},
    {"power_of_ten", 10000000000000000000u, 0, 32, 20, "10000000000000000000"},
    {"cap_exact_digits", 123, 0, 3, 3, "123"},
    {"cap_exact_padded", 123, 8, 8, 8, "     123"},
    {"cap_one_short_digits", 123, 0, 2, -ENOSPC, NULL},
    {"cap_one_short_padded", 123, 8, 7, -ENOSPC, NULL},
    {"cap_zero", 0, 0, 0, -ENOSPC, NULL},
    {"cap_short_for_max", UINT64_MAX, 0, 19, -ENOSPC, NULL},
};

static void test_format_u64_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(format_rows); i++) {
                const struct format_row *r = &format_rows[i];
                char buf[40];
                memset(buf, '#', sizeof(buf));
                int n = cgl_format_u64(buf, r->cap, r->v, r->width);
                CHECK_INT(r->name, n, r->ret);
                size_t written = n > 0 ? (size_t)n : 0;
                if (n > 0 && n == r->ret && memcmp(buf, r->want, written) != 0)
                        ROW_FAIL(r->name, "wrote \"%.*s\", want \"%s\"", n, buf, r->want);
                /* Nothing past the returned length (and nothing at all on failure), no NUL. */
                for (size_t k = written; k < sizeof(buf); k++)
                        if (buf[k] != '#')
                                ROW_FAIL(r->name, "byte %zu overwritten (0x%02x)", k,
                                         (unsigned char)buf[k]);
        }
        ROWS_DONE();
}

/* Every value formatted at every width parses back to itself. */
static void test_format_parse_round_trip(void **state)
{
        (void)state;
        static const uint64_t values[] = {
            0,         1, 9, 10, 99, 100, 4096, 262144, 24683620, UINT64_C(9223372036854771712),
            UINT64_MAX};
        for (size_t i = 0; i < N_ROWS(values); i++) {
                for (size_t w = 0; w <= 24; w++) {
                        char buf[32];
                        int n = cgl_format_u64(buf, sizeof(buf), values[i], w);
                        assert_true(n > 0);
                        size_t lead = 0;
                        while (buf[lead] == ' ')
                                lead++;
                        uint64_t back = 0;
                        assert_int_equal(cgl_parse_u64(buf + lead, (size_t)n - lead, &back), 0);
                        assert_true(back == values[i]);
                        assert_true((size_t)n == (w > (size_t)n - lead ? w : (size_t)n - lead));
                }
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_u64_table),
            cmocka_unit_test(test_parse_u64_respects_len),
            cmocka_unit_test(test_parse_limit_table),
            cmocka_unit_test(test_parse_limit_respects_len),
            cmocka_unit_test(test_parse_size_table),
            cmocka_unit_test(test_parse_size_bytes_suffix),
            cmocka_unit_test(test_format_u64_table),
            cmocka_unit_test(test_format_parse_round_trip),
        };
        return cmocka_run_group_tests_name("value_parse", tests, NULL, NULL);
}
