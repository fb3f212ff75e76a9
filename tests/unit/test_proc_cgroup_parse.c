/* Unit tests for lib/proc_cgroup_parse.c: /proc/self/cgroup lines and the token matcher. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "proc_cgroup_parse.h"

/* /proc/self/cgroup of this machine: a hybrid host with every v1 controller mounted and the
 * process in a v1 memory cgroup. */
static const char real_hybrid_v1[] = "9:name=systemd:/\n"
                                     "8:pids:/\n"
                                     "7:blkio:/\n"
                                     "6:freezer:/\n"
                                     "5:devices:/\n"
                                     "4:memory:/process_api/14eff7a7c8e4050e09797ccb02a93fdc\n"
                                     "3:cpuset:/\n"
                                     "2:cpuacct:/\n"
                                     "1:cpu:/\n"
                                     "0::/\n";

/* A systemd host in hybrid mode (Debian 10 / Ubuntu 20.04 layout) with joined controllers. */
static const char systemd_hybrid[] = "12:cpuset:/\n"
                                     "11:memory:/user.slice/user-1000.slice/session-3.scope\n"
                                     "10:net_cls,net_prio:/\n"
                                     "9:perf_event:/\n"
                                     "8:rdma:/\n"
                                     "7:devices:/user.slice\n"
                                     "6:pids:/user.slice/user-1000.slice/session-3.scope\n"
                                     "5:hugetlb:/\n"
                                     "4:cpu,cpuacct:/user.slice\n"
                                     "3:blkio:/user.slice\n"
                                     "2:freezer:/\n"
                                     "1:name=systemd:/user.slice/user-1000.slice/session-3.scope\n"
                                     "0::/user.slice/user-1000.slice/session-3.scope\n";

/* A docker container on a v1 host (cgroupns=host). */
static const char docker_v1[] =
    "12:memory:/docker/5f3c2d0e8b7a41c9a6e1d2f3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7\n"
    "11:cpu,cpuacct:/docker/5f3c2d0e8b7a41c9a6e1d2f3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7\n"
    "1:name=systemd:/docker/5f3c2d0e8b7a41c9a6e1d2f3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7\n";

struct parse_row {
        const char *name;
        const char *in;
        int ret;
        bool has_v1; /* the rest is checked only when ret == 0 */
        const char *v1_path;
        bool has_unified;
        const char *unified_path;
};

static const struct parse_row parse_rows[] = {
    {"real_hybrid_v1_host", real_hybrid_v1, 0, true,
     "/process_api/14eff7a7c8e4050e09797ccb02a93fdc", true, "/"},
    {"systemd_hybrid_host", systemd_hybrid, 0, true, "/user.slice/user-1000.slice/session-3.scope",
     true, "/user.slice/user-1000.slice/session-3.scope"},
    {"docker_v1_no_unified", docker_v1, 0, true,
     "/docker/5f3c2d0e8b7a41c9a6e1d2f3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7", false, ""},
    {"pure_v2", "0::/user.slice/x\n", 0, false, "", true, "/user.slice/x"},
    {"pure_v2_no_newline", "0::/user.slice/x", 0, false, "", true, "/user.slice/x"},
    {"v2_namespace_root", "0::/\n", 0, false, "", true, "/"},
    {"v2_path_with_colons", "0::/a:b/c:d\n", 0, false, "", true, "/a:b/c:d"},
    {"v1_path_with_colons", "4:memory:/x:y:z\n", 0, true, "/x:y:z", false, ""},
    {"v2_path_with_spaces", "0::/my slice/x y\n", 0, false, "", true, "/my slice/x y"},
    {"v2_deleted_suffix_stripped", "0::/user.slice/gone (deleted)\n", 0, false, "", true,
     "/user.slice/gone"},
    {"v1_deleted_suffix_stripped", "4:memory:/a/b (deleted)\n", 0, true, "/a/b", false, ""},
    {"deleted_suffix_on_root", "0::/ (deleted)\n", 0, false, "", true, "/"},
    {"deleted_suffix_only_at_end", "0::/x (deleted)/y\n", 0, false, "", true, "/x (deleted)/y"},
    {"deleted_without_space_kept", "0::/x(deleted)\n", 0, false, "", true, "/x(deleted)"},
    {"name_systemd_only", "1:name=systemd:/user.slice\n", 0, false, "", false, ""},
    {"comma_list_memory_last", "4:cpu,memory:/a\n", 0, true, "/a", false, ""},
    {"comma_list_memory_first", "4:memory,cpu:/a\n", 0, true, "/a", false, ""},
    {"comma_list_memory_middle", "4:cpu,memory,pids:/a\n", 0, true, "/a", false, ""},
    {"memory_not_prefix_matched", "4:memoryx:/a\n", 0, false, "", false, ""},
    {"memory_not_suffix_matched", "4:xmemory:/a\n", 0, false, "", false, ""},
    {"memory_in_comma_list_not_prefix", "4:cpu,memory_recursiveprot:/a\n", 0, false, "", false, ""},
    {"named_memory_hierarchy_is_not_memory", "4:name=memory:/a\n", 0, false, "", false, ""},
    {"only_id_0_is_unified", "10::/x\n", 0, false, "", false, ""},
    {"empty_buffer", "", 0, false, "", false, ""},
    {"only_newlines", "\n\n\n", 0, false, "", false, ""},
    {"blank_lines_between", "\n4:memory:/a\n\n0::/b\n\n", 0, true, "/a", true, "/b"},
    {"duplicate_memory_lines", "4:memory:/a\n5:memory:/b\n", -EINVAL, false, NULL, false, NULL},
    {"duplicate_memory_same_line", "4:memory:/a\n4:memory:/a\n", -EINVAL, false, NULL, false, NULL},
    {"duplicate_memory_in_lists", "4:cpu,memory:/a\n7:memory,pids:/a\n", -EINVAL, false, NULL,
     false, NULL},
    {"duplicate_unified_lines", "0::/a\n0::/b\n", -EINVAL, false, NULL, false, NULL},
    {"garbage", "garbage\n", -EINVAL, false, NULL, false, NULL},
    {"garbage_after_valid", "4:memory:/a\ngarbage\n", -EINVAL, false, NULL, false, NULL},
    {"one_colon_only", "4:memory\n", -EINVAL, false, NULL, false, NULL},
    {"empty_id", ":memory:/a\n", -EINVAL, false, NULL, false, NULL},
    {"non_numeric_id", "x:memory:/a\n", -EINVAL, false, NULL, false, NULL},
    {"negative_id", "-1:memory:/a\n", -EINVAL, false, NULL, false, NULL},
    {"id_with_space", "4 :memory:/a\n", -EINVAL, false, NULL, false, NULL},
    {"empty_path", "0::\n", -EINVAL, false, NULL, false, NULL},
    {"relative_path", "0::user.slice\n", -EINVAL, false, NULL, false, NULL},
    {"relative_v1_path", "4:memory:a/b\n", -EINVAL, false, NULL, false, NULL},
    {"relative_other_controller", "3:cpu:a\n", -EINVAL, false, NULL, false, NULL},
    {"path_leading_space", "0:: /a\n", -EINVAL, false, NULL, false, NULL},
};

static void check_pc(const char *row, const struct proc_cgroup *pc, const struct parse_row *r)
{
        CHECK_INT(row, pc->has_v1, r->has_v1);
        CHECK_STR(row, pc->v1_path, r->v1_path);
        CHECK_INT(row, pc->has_unified, r->has_unified);
        CHECK_STR(row, pc->unified_path, r->unified_path);
}

static void poison(struct proc_cgroup *pc)
{
        memset(pc, 0xAB, sizeof(*pc));
}

static void test_parse_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(parse_rows); i++) {
                const struct parse_row *r = &parse_rows[i];
                struct proc_cgroup pc;
                poison(&pc);
                CHECK_INT(r->name, proc_cgroup_parse(r->in, strlen(r->in), &pc), r->ret);
                if (r->ret == 0)
                        check_pc(r->name, &pc, r);
                else if (pc.has_v1 || pc.has_unified || pc.v1_path[0] || pc.unified_path[0])
                        ROW_FAIL(r->name, "pc not left empty on failure (ret %d)", r->ret);
        }
        ROWS_DONE();
}

/* The line form folds into an existing pc and starts from proc_cgroup_init. */
static void test_init_and_line_by_line(void **state)
{
        (void)state;
        struct proc_cgroup pc;
        poison(&pc);
        proc_cgroup_init(&pc);
        assert_false(pc.has_v1);
        assert_false(pc.has_unified);
        assert_string_equal(pc.v1_path, "");
        assert_string_equal(pc.unified_path, "");

        static const char l1[] = "1:name=systemd:/";
        static const char l2[] = "4:memory:/process_api/14eff7a7c8e4050e09797ccb02a93fdc";
        static const char l3[] = "0::/";
        assert_int_equal(proc_cgroup_parse_line(l1, strlen(l1), &pc), 0);
        assert_false(pc.has_v1);
        assert_int_equal(proc_cgroup_parse_line(l2, strlen(l2), &pc), 0);
        assert_true(pc.has_v1);
        assert_string_equal(pc.v1_path, "/process_api/14eff7a7c8e4050e09797ccb02a93fdc");
        assert_int_equal(proc_cgroup_parse_line(l3, strlen(l3), &pc), 0);
        assert_true(pc.has_unified);
        assert_string_equal(pc.unified_path, "/");

        /* A second line for either hierarchy is refused. */
        assert_int_equal(proc_cgroup_parse_line(l2, strlen(l2), &pc), -EINVAL);
        assert_int_equal(proc_cgroup_parse_line(l3, strlen(l3), &pc), -EINVAL);
        assert_string_equal(pc.v1_path, "/process_api/14eff7a7c8e4050e09797ccb02a93fdc");
        assert_string_equal(pc.unified_path, "/");
}

/* The line form reads only [line, line+len). */
static void test_line_respects_len(void **state)
{
        (void)state;
        struct proc_cgroup pc;
        proc_cgroup_init(&pc);
        static const char buf[] = "0::/a/b\n4:memory:/c";
        assert_int_equal(proc_cgroup_parse_line(buf, 7, &pc), 0);
        assert_string_equal(pc.unified_path, "/a/b");
        assert_false(pc.has_v1);
        /* Cut before the path: "0::" has an empty path. */
        proc_cgroup_init(&pc);
        assert_int_equal(proc_cgroup_parse_line(buf, 3, &pc), -EINVAL);
}

static void build_line(char *buf, const char *prefix, size_t path_len, const char *suffix)
{
        size_t p = strlen(prefix);
        memcpy(buf, prefix, p);
        buf[p] = '/';
        memset(buf + p + 1, 'a', path_len - 1);
        strcpy(buf + p + path_len, suffix);
}

/* Paths up to CGL_PATH_MAX - 1 bytes fit, longer ones fail with -ENAMETOOLONG. */
static void test_path_length_limit(void **state)
{
        (void)state;
        static char buf[CGL_PATH_MAX + 64];
        struct proc_cgroup pc;

        build_line(buf, "0::", CGL_PATH_MAX - 1, "\n");
        assert_int_equal(proc_cgroup_parse(buf, strlen(buf), &pc), 0);
        assert_int_equal(strlen(pc.unified_path), CGL_PATH_MAX - 1);
        assert_memory_equal(pc.unified_path, buf + 3, CGL_PATH_MAX - 1);

        build_line(buf, "0::", CGL_PATH_MAX, "\n");
        poison(&pc);
        assert_int_equal(proc_cgroup_parse(buf, strlen(buf), &pc), -ENAMETOOLONG);
        assert_false(pc.has_unified);
        assert_string_equal(pc.unified_path, "");

        build_line(buf, "4:memory:", CGL_PATH_MAX, "\n");
        assert_int_equal(proc_cgroup_parse(buf, strlen(buf), &pc), -ENAMETOOLONG);

        build_line(buf, "4:memory:", CGL_PATH_MAX - 1, "");
        assert_int_equal(proc_cgroup_parse(buf, strlen(buf), &pc), 0);
        assert_int_equal(strlen(pc.v1_path), CGL_PATH_MAX - 1);

        /* The " (deleted)" suffix is stripped before the length check. */
        build_line(buf, "0::", CGL_PATH_MAX - 1, " (deleted)\n");
        assert_int_equal(proc_cgroup_parse(buf, strlen(buf), &pc), 0);
        assert_int_equal(strlen(pc.unified_path), CGL_PATH_MAX - 1);

        /* Long paths of other controllers are not stored and do not matter. */
        build_line(buf, "3:cpu:", CGL_PATH_MAX + 10, "\n");
        assert_int_equal(proc_cgroup_parse(buf, strlen(buf), &pc), 0);
        assert_false(pc.has_v1);
        assert_false(pc.has_unified);
}

struct token_row {
        const char *name;
        const char *list;
        size_t len; /* (size_t)-1: strlen(list) */
        const char *token;
        bool want;
};

#define WHOLE ((size_t)-1)

static const struct token_row token_rows[] = {
    {"single_match", "memory", WHOLE, "memory", true},
    {"first_of_two", "memory,cpu", WHOLE, "memory", true},
    {"last_of_two", "cpu,memory", WHOLE, "memory", true},
    {"middle", "cpu,memory,pids", WHOLE, "memory", true},
    {"prefix_not_matched", "memoryx", WHOLE, "memory", false},
    {"suffix_not_matched", "xmemory", WHOLE, "memory", false},
    {"token_longer_than_entry", "mem", WHOLE, "memory", false},
    {"recursiveprot_not_memory", "rw,nsdelegate,memory_recursiveprot", WHOLE, "memory", false},
    {"mount_super_options", "rw,memory", WHOLE, "memory", true},
    {"empty_list", "", WHOLE, "memory", false},
    {"empty_entries_around", ",memory,", WHOLE, "memory", true},
    {"double_comma", "cpu,,memory", WHOLE, "memory", true},
    {"case_sensitive", "Memory", WHOLE, "memory", false},
    {"cpu_vs_cpuacct", "cpuacct", WHOLE, "cpu", false},
    {"cpu_in_cpu_cpuacct", "cpu,cpuacct", WHOLE, "cpu", true},
    {"len_cuts_list", "cpu,memory", 3, "memory", false},
    {"len_cuts_token", "cpu,memoryx", 10, "memory", true},
    {"len_cuts_into_token", "cpu,memory", 8, "memory", false},
    {"len_zero", "memory", 0, "memory", false},
};

static void test_list_has_token_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(token_rows); i++) {
                const struct token_row *r = &token_rows[i];
                size_t len = r->len == WHOLE ? strlen(r->list) : r->len;
                CHECK_INT(r->name, cgl_list_has_token(r->list, len, r->token), r->want);
        }
        ROWS_DONE();
}

/* The cpu controller's v1 line: "cpu" as a whole token ("cpu,cpuacct" joined), never
 * "cpuacct" or "cpuset" alone; the unified line is read as for memory. */
struct cpu_row {
        const char *name;
        const char *in;
        int ret;
        bool has_v1;
        const char *v1_path;
        const char *unified_path;
};

static const struct cpu_row cpu_rows[] = {
    {"this_machine", real_hybrid_v1, 0, true, "/", "/"},
    {"systemd_joined", systemd_hybrid, 0, true, "/user.slice",
     "/user.slice/user-1000.slice/session-3.scope"},
    {"cpuacct_and_cpuset_only", "3:cpuset:/a\n2:cpuacct:/b\n0::/c\n", 0, false, "", "/c"},
    {"pure_v2", "0::/system.slice/x.service\n", 0, false, "", "/system.slice/x.service"},
    {"cpu_twice", "1:cpu:/a\n4:cpu,cpuacct:/b\n", -EINVAL, false, "", ""},
    {"memory_line_ignored", "4:memory:/m\n1:cpu:/c\n", 0, true, "/c", ""},
};

static void test_parse_cpu_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(cpu_rows); i++) {
                const struct cpu_row *r = &cpu_rows[i];
                struct proc_cgroup pc;
                CHECK_INT(r->name, proc_cgroup_parse_for(r->in, strlen(r->in), CGL_CPU, &pc),
                          r->ret);
                CHECK_INT(r->name, pc.controller, CGL_CPU);
                CHECK_INT(r->name, pc.has_v1, r->has_v1);
                CHECK_STR(r->name, pc.v1_path, r->v1_path);
                CHECK_STR(r->name, pc.unified_path, r->unified_path);
        }
        ROWS_DONE();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_cpu_table),
            cmocka_unit_test(test_parse_table),
            cmocka_unit_test(test_init_and_line_by_line),
            cmocka_unit_test(test_line_respects_len),
            cmocka_unit_test(test_path_length_limit),
            cmocka_unit_test(test_list_has_token_table),
        };
        return cmocka_run_group_tests_name("proc_cgroup_parse", tests, NULL, NULL);
}
