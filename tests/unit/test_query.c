/* The public calls (cglimits.h) over the sysroot trees in tests/fixtures: the same figures as
 * the shim's view (test_view_load.c), where they come from, another process's figures through
 * its proc directory, and the contract of the struct's size. Compiled with
 * CGLIMITS_QUERY_SYSROOT, the test build that honours CGLIMITS_SYSROOT. Figures in kB, as
 * /proc/meminfo shows them (the bytes divided by 1024). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cglimits.h"

#define HOST_KB 24683620u
#define NONE    UINT64_MAX

struct row {
        const char *fixture;
        int pid;
        const char *memory; /* CGLIMITS_MEMORY, honoured with CGLIMITS_USE_ENV_MEMORY */
        int error;
        unsigned flags;
        int version;
        int source;
        uint64_t total, free, available, swap_total, swap_free, limit;
        const char *cgroup_dir, *limit_dir, *limit_file;
};

#define V1MEM "/sys/fs/cgroup/memory"
#define V2SVC "/sys/fs/cgroup/system.slice/"

static const struct row rows[] = {
    {"v1_plain", 0, NULL, 0, 0, 1, CGLIMITS_SOURCE_V1_LIMIT, 262144, 190724, 207108, 0, 0, 262144,
     V1MEM "/cglfix-plain", V1MEM "/cglfix-plain", "memory.limit_in_bytes"},
    /* The parent's 300 MiB is lower than the child's 1 GiB. */
    {"v1_nested_hierarchical", 0, NULL, 0, 0, 1, CGLIMITS_SOURCE_V1_LIMIT, 307200, 219320, 235704,
     0, 0, 307200, V1MEM "/cglfix-nparent/cglfix-nchild", V1MEM "/cglfix-nparent",
     "memory.limit_in_bytes"},
    {"v1_ns_hidden_parent", 0, NULL, 0, 0, 1, CGLIMITS_SOURCE_V1_HIERARCHICAL, 307200, 219428,
     227696, 0, 0, 307200, V1MEM, V1MEM, "memory.stat"},
    {"v2_plain", 4242, NULL, 0, 0, 2, CGLIMITS_SOURCE_V2_MAX, 262144, 190848, 207480, 0, 0, 262144,
     V2SVC "cglfix-plain.service", V2SVC "cglfix-plain.service", "memory.max"},
    {"v2_high_below_max", 4242, NULL, 0, 0, 2, CGLIMITS_SOURCE_V2_HIGH, 262144, 82948, 106777, 0, 0,
     262144, V2SVC "cglfix-high.service", V2SVC "cglfix-high.service", "memory.high"},
    {"v2_swap_finite", 4242, NULL, 0, 0, 2, CGLIMITS_SOURCE_V2_MAX, 262144, 156920, 171498, 131072,
     114688, 262144, V2SVC "cglfix-swapfin.service", V2SVC "cglfix-swapfin.service", "memory.max"},
    /* No limit below the host: the host's own figures, flagged. */
    {"v1_unlimited", 0, NULL, 0, CGLIMITS_HOST, 1, CGLIMITS_SOURCE_HOST, HOST_KB, 24019800,
     24247756, 0, 0, NONE, V1MEM "/cglfix-unlim", "", ""},
    /* CGLIMITS_MEMORY only when asked for (the row's pid 0 call passes the flag). */
    {"v1_unlimited", 0, "128M", 0, 0, 1, CGLIMITS_SOURCE_ENV_MEMORY, 131072, 84568, 92760, 0, 0,
     131072, V1MEM "/cglfix-unlim", "", ""},
    {"broken_no_memory_mount", 0, "256M", 0, CGLIMITS_NO_CGROUP, 0, CGLIMITS_SOURCE_ENV_MEMORY,
     262144, 262144, 262144, 0, 0, 262144, "", "", ""},
    {"broken_limit_garbage", 0, NULL, -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    /* Another process: its proc directory; in another mount namespace, its mounts through
     * /proc/PID/root. */
    {"v1_other_pid", 4242, NULL, 0, 0, 1, CGLIMITS_SOURCE_V1_LIMIT, 262144, 190724, 207108, 0, 0,
     262144, V1MEM "/cglfix-plain", V1MEM "/cglfix-plain", "memory.limit_in_bytes"},
    {"v1_other_pid", 4243, NULL, -ESRCH, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {"v2_other_pid_other_mount_ns", 4242, NULL, 0, 0, 2, CGLIMITS_SOURCE_V2_MAX, 262144, 190848,
     207480, 0, 0, 262144, "/proc/4242/root" V2SVC "cglfix-plain.service",
     "/proc/4242/root" V2SVC "cglfix-plain.service", "memory.max"},
};

static void use_fixture(const char *fixture, const char *memory)
{
        char root[1024];
        snprintf(root, sizeof(root), "%s/%s", CGLIMITS_FIXTURES, fixture);
        setenv("CGLIMITS_SYSROOT", root, 1);
        if (memory)
                setenv("CGLIMITS_MEMORY", memory, 1);
        else
                unsetenv("CGLIMITS_MEMORY");
}

/* The rows whose fixture keeps the process's files under proc/self are asked for as the
 * calling process; the v2 trees name pid 4242 only for the namespace search. */
static int ask(const struct row *r, struct cglimits_memory *m)
{
        bool other = strstr(r->fixture, "other_pid") != NULL;
        return other ? cglimits_memory_pid(r->pid, m, 0)
                     : cglimits_memory(m, r->memory ? CGLIMITS_USE_ENV_MEMORY : 0);
}

static void test_rows(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                const struct row *r = &rows[i];
                struct cglimits_memory m = {.size = sizeof(m)};
                use_fixture(r->fixture, r->memory);
                print_message("row %zu: %s pid %d\n", i, r->fixture, r->pid);
                errno = 12345;
                int rc = ask(r, &m);
                assert_int_equal(errno, 12345);
                assert_int_equal(rc, r->error);
                if (rc < 0)
                        continue;
                assert_int_equal(m.size, sizeof(m));
                assert_int_equal(m.flags, r->flags);
                assert_int_equal(m.cgroup_version, r->version);
                assert_int_equal(m.limit_source, r->source);
                assert_int_equal(m.total / 1024, r->total);
                assert_int_equal(m.free / 1024, r->free);
                assert_int_equal(m.available / 1024, r->available);
                assert_int_equal(m.used, m.total - m.free);
                assert_int_equal(m.swap_total / 1024, r->swap_total);
                assert_int_equal(m.swap_free / 1024, r->swap_free);
                assert_int_equal(m.limit, r->limit == NONE ? NONE : r->limit * 1024);
                assert_string_equal(m.cgroup_dir, r->cgroup_dir);
                assert_string_equal(m.limit_dir, r->limit_dir);
                assert_string_equal(m.limit_file, r->limit_file);
                assert_true(m.anon <= m.total && m.file <= m.total && m.shmem <= m.file);
        }
}

static void env_memory_is_ignored_without_the_flag(void **state)
{
        (void)state;
        struct cglimits_memory m = {.size = sizeof(m)};
        use_fixture("v1_plain", "128M");
        assert_int_equal(cglimits_memory(&m, 0), 0);
        assert_int_equal(m.total, 262144u * 1024);
        assert_int_equal(m.limit_source, CGLIMITS_SOURCE_V1_LIMIT);
}

static void host_breakdown_comes_from_the_host_meminfo(void **state)
{
        (void)state;
        struct cglimits_memory m = {.size = sizeof(m)};
        use_fixture("v1_unlimited", NULL);
        assert_int_equal(cglimits_memory(&m, 0), 0);
        assert_int_equal(m.anon, 54468u * 1024);
        assert_int_equal(m.file, 403192u * 1024);
        assert_int_equal(m.shmem, 8884u * 1024);
        assert_int_equal(m.kernel, (96644u + 1392 + 1356) * 1024);
}

/* An older caller's smaller struct (the first release's size is the smallest accepted) is
 * filled up to its size and no further; a bad size or flag is refused. */
static void size_first_contract(void **state)
{
        (void)state;
        use_fixture("v1_plain", NULL);
        struct {
                struct cglimits_memory m;
                unsigned char after[16];
        } big;
        memset(&big, 0xa5, sizeof(big));
        size_t v1 = offsetof(struct cglimits_memory, limit_file) + 64;
        big.m.size = (uint32_t)v1;
        assert_int_equal(cglimits_memory(&big.m, 0), 0);
        assert_int_equal(big.m.size, v1);
        assert_int_equal(big.after[0], 0xa5);

        struct cglimits_memory m = {.size = (uint32_t)v1 - 1};
        assert_int_equal(cglimits_memory(&m, 0), -EINVAL);
        m.size = sizeof(m);
        assert_int_equal(cglimits_memory(NULL, 0), -EINVAL);
        assert_int_equal(cglimits_memory(&m, 0x80), -EINVAL);
        assert_int_equal(cglimits_memory_pid(-1, &m, 0), -EINVAL);
        use_fixture("v1_other_pid", NULL);
        assert_int_equal(cglimits_memory_pid(4242, &m, CGLIMITS_USE_ENV_MEMORY), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_rows),
            cmocka_unit_test(env_memory_is_ignored_without_the_flag),
            cmocka_unit_test(host_breakdown_comes_from_the_host_meminfo),
            cmocka_unit_test(size_first_contract),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
