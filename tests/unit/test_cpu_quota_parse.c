/* Unit tests for lib/cpu_quota_parse.c: cpu.max, cpu.cfs_quota_us with cpu.cfs_period_us,
 * the CPUs a quota allows and the count rule (affinity lowered to the smallest quota). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "cpu_quota_parse.h"

#define SENTINEL UINT64_C(0x5a5a5a5a5a5a5a5a)

struct quota_row {
        const char *name;
        const char *quota;  /* the file's content */
        const char *period; /* v1 only */
        int ret;
        bool limited; /* when ret == 0 */
        uint64_t quota_us, period_us;
};

/* As the kernel prints cpu.max: "max 100000\n", "50000 100000\n". */
static const struct quota_row max_rows[] = {
    {"unlimited_default_period", "max 100000\n", NULL, 0, false, 0, 100000},
    {"half_cpu", "50000 100000\n", NULL, 0, true, 50000, 100000},
    {"one_and_a_half", "150000 100000\n", NULL, 0, true, 150000, 100000},
    {"min_period_1ms", "1000 1000\n", NULL, 0, true, 1000, 1000},
    {"max_period_1s", "max 1000000\n", NULL, 0, false, 0, 1000000},
    {"without_newline", "200000 100000", NULL, 0, true, 200000, 100000},
    {"uint64_max_quota", "18446744073709551615 100000\n", NULL, 0, true, UINT64_MAX, 100000},
    {"zero_period", "max 0\n", NULL, -EINVAL, false, 0, 0},
    {"zero_quota", "0 100000\n", NULL, -EINVAL, false, 0, 0},
    {"max_alone", "max\n", NULL, -EINVAL, false, 0, 0},
    {"number_alone", "50000\n", NULL, -EINVAL, false, 0, 0},
    {"empty", "", NULL, -EINVAL, false, 0, 0},
    {"only_newline", "\n", NULL, -EINVAL, false, 0, 0},
    {"two_spaces", "50000  100000\n", NULL, -EINVAL, false, 0, 0},
    {"three_fields", "50000 100000 7\n", NULL, -EINVAL, false, 0, 0},
    {"tab", "50000\t100000\n", NULL, -EINVAL, false, 0, 0},
    {"two_newlines", "50000 100000\n\n", NULL, -EINVAL, false, 0, 0},
    {"negative_quota", "-1 100000\n", NULL, -EINVAL, false, 0, 0},
    {"max_uppercase", "MAX 100000\n", NULL, -EINVAL, false, 0, 0},
    {"maximum", "maximum 100000\n", NULL, -EINVAL, false, 0, 0},
    {"period_max", "50000 max\n", NULL, -EINVAL, false, 0, 0},
    {"period_overflow", "max 18446744073709551616\n", NULL, -ERANGE, false, 0, 0},
    {"quota_overflow", "18446744073709551616 100000\n", NULL, -ERANGE, false, 0, 0},
    {"leading_space", " 50000 100000\n", NULL, -EINVAL, false, 0, 0},
    {"cut_in_period", "50000 \n", NULL, -EINVAL, false, 0, 0},
};

/* v1: cpu.cfs_quota_us shows -1 for no limit; cpu.cfs_period_us a number. */
static const struct quota_row cfs_rows[] = {
    {"unlimited", "-1\n", "100000\n", 0, false, 0, 100000},
    {"half_cpu", "50000\n", "100000\n", 0, true, 50000, 100000},
    {"four_cpus", "400000\n", "100000\n", 0, true, 400000, 100000},
    {"without_newlines", "150000", "100000", 0, true, 150000, 100000},
    {"other_negative", "-2\n", "100000\n", -EINVAL, false, 0, 0},
    {"minus_zero", "-0\n", "100000\n", -EINVAL, false, 0, 0},
    {"zero_quota", "0\n", "100000\n", -EINVAL, false, 0, 0},
    {"zero_period", "50000\n", "0\n", -EINVAL, false, 0, 0},
    {"empty_quota", "", "100000\n", -EINVAL, false, 0, 0},
    {"empty_period", "50000\n", "", -EINVAL, false, 0, 0},
    {"garbage_quota", "5e4\n", "100000\n", -EINVAL, false, 0, 0},
    {"max_word", "max\n", "100000\n", -EINVAL, false, 0, 0},
    {"period_overflow", "-1\n", "18446744073709551616\n", -ERANGE, false, 0, 0},
    {"two_newlines", "50000\n\n", "100000\n", -EINVAL, false, 0, 0},
};

static void check_quota_rows(const struct quota_row *rows, size_t n, bool v2)
{
        for (size_t i = 0; i < n; i++) {
                const struct quota_row *r = &rows[i];
                struct cpu_quota q = {.limited = true, .quota_us = SENTINEL, .period_us = SENTINEL};
                int rc = v2 ? cpu_max_parse(r->quota, strlen(r->quota), &q)
                            : cpu_cfs_parse(r->quota, strlen(r->quota), r->period,
                                            strlen(r->period), &q);
                CHECK_INT(r->name, rc, r->ret);
                if (r->ret == 0) {
                        CHECK_INT(r->name, q.limited, r->limited);
                        if (r->limited)
                                CHECK_U64(r->name, q.quota_us, r->quota_us);
                        CHECK_U64(r->name, q.period_us, r->period_us);
                } else {
                        /* untouched on failure */
                        CHECK_INT(r->name, q.limited, true);
                        CHECK_U64(r->name, q.quota_us, SENTINEL);
                        CHECK_U64(r->name, q.period_us, SENTINEL);
                }
        }
        ROWS_DONE();
}

static void test_cpu_max_table(void **state)
{
        (void)state;
        check_quota_rows(max_rows, N_ROWS(max_rows), true);
}

static void test_cpu_cfs_table(void **state)
{
        (void)state;
        check_quota_rows(cfs_rows, N_ROWS(cfs_rows), false);
}

/* Only [buf, buf+len) is looked at. */
static void test_cpu_max_respects_len(void **state)
{
        (void)state;
        struct cpu_quota q;
        assert_int_equal(cpu_max_parse("50000 100000\nXYZ", 13, &q), 0);
        assert_true(q.limited && q.quota_us == 50000 && q.period_us == 100000);
        assert_int_equal(cpu_max_parse("50000 1000009", 12, &q), 0);
        assert_true(q.period_us == 100000);
        assert_int_equal(cpu_max_parse("max 100000", 4, &q), -EINVAL);
        assert_int_equal(cpu_max_parse("max 100000", 5, &q), 0);
        assert_true(!q.limited && q.period_us == 1);
}

struct cpus_row {
        const char *name;
        bool limited;
        uint64_t quota_us, period_us;
        uint32_t cpus;
};

static const struct cpus_row cpus_rows[] = {
    {"unlimited", false, 0, 100000, UINT32_MAX},
    {"half_rounds_up_to_1", true, 50000, 100000, 1},
    {"one_and_a_half_rounds_up_to_2", true, 150000, 100000, 2},
    {"exactly_two", true, 200000, 100000, 2},
    {"just_above_two", true, 200001, 100000, 3},
    {"tiny_quota_is_1", true, 1, 1000000, 1},
    {"short_period", true, 4000, 1000, 4},
    {"huge_quota_saturates", true, UINT64_MAX, 1, UINT32_MAX},
    {"just_below_uint32_max", true, UINT64_C(4294967294), 1, UINT32_MAX - 1},
    {"uint32_max_saturates", true, UINT64_C(4294967295), 1, UINT32_MAX},
};

static void test_cpu_quota_cpus_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(cpus_rows); i++) {
                const struct cpus_row *r = &cpus_rows[i];
                struct cpu_quota q = {r->limited, r->quota_us, r->period_us};
                CHECK_U64(r->name, cpu_quota_cpus(&q), r->cpus);
        }
        ROWS_DONE();
}

/* Levels are {limited, quota_us, period_us}. */
struct rule_row {
        const char *name;
        uint32_t affinity;
        size_t n;
        struct cpu_quota levels[4];
        uint32_t cpus;
};

static const struct rule_row rule_rows[] = {
    {"no_levels_affinity_counts", 64, 0, {{false, 0, 100000}}, 64},
    {"no_limit_anywhere", 64, 3, {{false, 0, 100000}, {false, 0, 100000}, {false, 0, 100000}}, 64},
    {"half_cpu", 64, 1, {{true, 50000, 100000}}, 1},
    {"one_and_a_half", 64, 1, {{true, 150000, 100000}}, 2},
    {"cpuset_of_2_no_quota", 2, 1, {{false, 0, 100000}}, 2},
    {"quota_4_cpuset_2", 2, 1, {{true, 400000, 100000}}, 2},
    {"quota_2_cpuset_4", 4, 1, {{true, 200000, 100000}}, 2},
    {"nested_smallest_inner",
     64,
     3,
     {{true, 300000, 100000}, {true, 800000, 100000}, {false, 0, 100000}},
     3},
    {"nested_smallest_outer",
     64,
     3,
     {{false, 0, 100000}, {true, 800000, 100000}, {true, 150000, 100000}},
     2},
    {"nested_different_periods", 64, 2, {{true, 250000, 1000000}, {true, 30000, 10000}}, 1},
    {"affinity_zero_is_1", 0, 0, {{false, 0, 100000}}, 1},
    {"affinity_zero_with_quota", 0, 1, {{true, 400000, 100000}}, 1},
};

static void test_cpu_count_rule_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(rule_rows); i++) {
                const struct rule_row *r = &rule_rows[i];
                CHECK_U64(r->name, cpu_count_rule(r->affinity, r->levels, r->n), r->cpus);
        }
        ROWS_DONE();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cpu_max_table),
            cmocka_unit_test(test_cpu_cfs_table),
            cmocka_unit_test(test_cpu_max_respects_len),
            cmocka_unit_test(test_cpu_quota_cpus_table),
            cmocka_unit_test(test_cpu_count_rule_table),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
