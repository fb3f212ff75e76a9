/* Unit tests for lib/cpu_view.c: the cpu cgroup's quotas level by level over the fixture
 * trees (v1, v2, hybrid, nested, namespaces, broken files), and the affinity count. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "cpu_view.h"

#define NONE UINT32_MAX

/* The fixtures' "own" process is pid 4242 (tests/fixtures/README.md). */
#define FIXTURE_PID 4242

struct view_row {
        const char *fixture;
        int ret;
        int version; /* 0: no cpu cgroup visible */
        unsigned nlevels;
        uint32_t quota_cpus;  /* the fewest CPUs any level allows */
        int limiting;         /* that level's index, -1 when none limits */
        const char *leaf_dir; /* the process's cgroup directory (under the sysroot) */
};

static const struct view_row rows[] = {
    {"cpu_v1_half", 0, 1, 2, 1, 0, "/sys/fs/cgroup/cpu,cpuacct/cglfix-half"},
    {"cpu_v1_nested", 0, 1, 3, 2, 1, "/sys/fs/cgroup/cpu,cpuacct/cglfix-outer/cglfix-inner"},
    {"cpu_v1_unlimited", 0, 1, 2, NONE, -1, "/sys/fs/cgroup/cpu/cglfix-unlim"},
    {"cpu_v1_ns_root", 0, 1, 1, 3, 0, "/sys/fs/cgroup/cpu"},
    {"cpu_v1_mount_outside_ns", 0, 1, 2, 2, 0, "/sys/fs/cgroup/cpu/cglfix-ns"},
    {"cpu_v1_not_mounted", 0, 0, 0, NONE, -1, ""},
    {"cpu_hybrid", 0, 1, 2, 2, 0, "/sys/fs/cgroup/cpu/cglfix-hy"},
    {"cpu_v2_half", 0, 2, 3, 1, 0, "/sys/fs/cgroup/system.slice/cglfix-half.service"},
    {"cpu_v2_nested", 0, 2, 3, 2, 1, "/sys/fs/cgroup/cglfix.slice/cglfix-inner.scope"},
    {"cpu_v2_no_cpu_controller", 0, 2, 3, NONE, -1,
     "/sys/fs/cgroup/system.slice/cglfix-nocpu.service"},
    {"cpu_v2_ns_root", 0, 2, 1, 3, 0, "/sys/fs/cgroup"},
    {"cpu_v2_mount_outside_ns", 0, 2, 2, 2, 0, "/sys/fs/cgroup/cglfix-ns"},
    {"cpu_v2_odd_period", 0, 2, 3, 2, 0, "/sys/fs/cgroup/cglfix.slice/cglfix-odd.scope"},
    /* Files that are there but wrong, and a namespace search that cannot find the process,
     * are errors: the caller passes through rather than guess. */
    {"cpu_v2_outside_ns_not_found", -ENOENT, 0, 0, 0, 0, NULL},
    {"cpu_broken_max_garbage", -EINVAL, 0, 0, 0, 0, NULL},
    {"cpu_broken_cfs_zero_period", -EINVAL, 0, 0, 0, 0, NULL},
    {"broken_proc_cgroup_garbage", -EINVAL, 0, 0, 0, 0, NULL},
    /* The memory fixtures hold no cpu files: their cpu cgroup limits nothing. */
    {"v1_plain", 0, 1, 1, NONE, -1, "/sys/fs/cgroup/cpu"},
    {"v2_plain", 0, 2, 3, NONE, -1, "/sys/fs/cgroup/system.slice/cglfix-plain.service"},
};

static struct cpu_work work;

static void test_cpu_limit_load_fixtures(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(rows); i++) {
                const struct view_row *r = &rows[i];
                char root[512];
                snprintf(root, sizeof(root), "%s/%s", CGLIMITS_FIXTURES, r->fixture);
                memset(&work, 0x5a, sizeof(work));
                int ret = cgl_cpu_limit_load(root, FIXTURE_PID, &work);
                CHECK_INT(r->fixture, ret, r->ret);
                if (ret != 0 || r->ret != 0)
                        continue;
                CHECK_INT(r->fixture, work.loc.version, r->version);
                CHECK_INT(r->fixture, work.nlevels, r->nlevels);
                CHECK_STR(r->fixture, work.loc.dir, r->leaf_dir);
                CHECK_INT(r->fixture, cgl_cpu_limiting_level(&work), r->limiting);
                CHECK_U64(r->fixture, cpu_count_rule(NONE, work.level, work.nlevels),
                          r->quota_cpus);
                /* Each level is the one above the previous, ending at the mount point. */
                for (unsigned k = 1; k < work.nlevels; k++)
                        if (work.level_len[k] >= work.level_len[k - 1])
                                ROW_FAIL(r->fixture, "level %u is not above level %u", k, k - 1);
                if (work.nlevels && work.level_len[work.nlevels - 1] != work.loc.top_len)
                        ROW_FAIL(r->fixture, "top level length %u, mount point %zu",
                                 (unsigned)work.level_len[work.nlevels - 1], work.loc.top_len);
        }
        ROWS_DONE();
}

/* The search below a mount made outside the namespace looks for the given pid only. */
static void test_cpu_limit_load_other_pid_not_found(void **state)
{
        (void)state;
        char root[512];
        snprintf(root, sizeof(root), "%s/cpu_v2_mount_outside_ns", CGLIMITS_FIXTURES);
        assert_int_equal(cgl_cpu_limit_load(root, 4343, &work), -ENOENT);
        assert_int_equal(cgl_cpu_limit_load(root, 1, &work), 0);
        assert_string_equal(work.loc.dir, "/sys/fs/cgroup/init.scope");
        assert_int_equal(cpu_count_rule(NONE, work.level, work.nlevels), 1);
}

/* A sysroot without /proc: an error, never a figure. */
static void test_cpu_limit_load_missing_root(void **state)
{
        (void)state;
        assert_int_equal(cgl_cpu_limit_load("/nonexistent-cglimits-root", FIXTURE_PID, &work),
                         -ENOENT);
}

struct mask_row {
        const char *name;
        unsigned char mask[8];
        size_t len;
        uint32_t count;
};

static const struct mask_row mask_rows[] = {
    {"empty", {0}, 0, 0},
    {"none_set", {0, 0, 0, 0}, 4, 0},
    {"cpu0", {0x01}, 1, 1},
    {"cpus_0_1", {0x03}, 1, 2},
    {"full_byte", {0xff}, 1, 8},
    {"sparse", {0x81, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x80}, 8, 4},
    {"all_64", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 8, 64},
};

static void test_mask_count_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(mask_rows); i++)
                CHECK_U64(mask_rows[i].name, cgl_mask_count(mask_rows[i].mask, mask_rows[i].len),
                          mask_rows[i].count);
        ROWS_DONE();
}

/* The raw call agrees with glibc's CPU_COUNT, also after the mask is narrowed. */
static void test_affinity_count_matches_libc(void **state)
{
        (void)state;
        static unsigned long buf[512];
        cpu_set_t set;
        assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
        assert_int_equal(cgl_affinity_count(buf, sizeof(buf)), CPU_COUNT(&set));

        cpu_set_t one;
        CPU_ZERO(&one);
        for (int c = 0; c < CPU_SETSIZE; c++) {
                if (CPU_ISSET(c, &set)) {
                        CPU_SET(c, &one);
                        break;
                }
        }
        assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
        int n = cgl_affinity_count(buf, sizeof(buf));
        assert_int_equal(sched_setaffinity(0, sizeof(set), &set), 0);
        assert_int_equal(n, 1);

        /* A buffer smaller than the kernel's mask is refused, not read short. */
        assert_int_equal(cgl_affinity_count(buf, 0), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cpu_limit_load_fixtures),
            cmocka_unit_test(test_cpu_limit_load_other_pid_not_found),
            cmocka_unit_test(test_cpu_limit_load_missing_root),
            cmocka_unit_test(test_mask_count_table),
            cmocka_unit_test(test_affinity_count_matches_libc),
        };
        return cmocka_run_group_tests_name("cpu_view", tests, NULL, NULL);
}
