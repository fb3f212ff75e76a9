/* Unit tests for lib/cgroup_sample.c beyond what the view_load tables cover: which files a
 * sample reads. Copies of fixture trees are altered (a file removed or made garbage) so
 * that reading it would fail: a sample that still succeeds did not read it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup_locate.h"
#include "cgroup_sample.h"
#include "file_read.h"
#include "value_parse.h"

static char tmpdir[64];

static int setup(void **state)
{
        (void)state;
        strcpy(tmpdir, "/tmp/cgl_sample_XXXXXX");
        if (!mkdtemp(tmpdir))
                return -1;
        char cmd[256];
        snprintf(cmd, sizeof(cmd), "cp -a '%s/v1_plain' '%s/v2_nested_min' '%s/'",
                 CGLIMITS_FIXTURES, CGLIMITS_FIXTURES, tmpdir);
        return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        return system(cmd) == 0 ? 0 : -1;
}

static void write_text(const char *root, const char *rel, const char *text)
{
        char path[512];
        snprintf(path, sizeof(path), "%s%s", root, rel);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

static int sample(const char *root, bool top_known_root, struct cgroup_sample *s)
{
        static struct cgl_io io;
        static struct locate_work w;
        static struct cgroup_location loc;
        cgl_io_init(&io, root);
        int r = cgroup_locate(&io, 0, &w, &loc);
        if (r < 0)
                return r;
        struct sample_options opt = {
            .no_limit_from = CGL_UNLIMITED,
            .host_total = 24683620ull * 1024,
            .want_swap = false,
            .need_root_check = true,
            .top_known_root = top_known_root,
        };
        return cgroup_sample_read(&io, &loc, &opt, s);
}

/* v1: the real root's memory.limit_in_bytes is never read when the caller knows the top
 * level is the real root; garbage there fails the sample only when it is read. */
static void test_v1_known_root_limit_not_read(void **state)
{
        (void)state;
        char root[128];
        snprintf(root, sizeof(root), "%s/v1_plain", tmpdir);
        static struct cgroup_sample s;

        assert_int_equal(sample(root, false, &s), 0);
        assert_int_equal(s.nlevels, 2);
        uint64_t read_limit = s.level[1].limit;

        write_text(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "garbage\n");
        assert_int_equal(sample(root, false, &s), -EINVAL);
        assert_int_equal(sample(root, true, &s), 0);
        assert_int_equal(s.nlevels, 2);
        assert_true(s.level[1].accounted);
        assert_int_equal(s.level[1].source, LIMIT_V1_LIMIT);
        assert_true(s.level[1].limit >= read_limit); /* unlimited either way */
        assert_true(s.top_is_root);
        assert_int_equal(s.level[0].limit, 268435456);
}

/* v2: the real root has no memory.max; knowing it, the sample does not look for one, and
 * the levels below are read as before. The process's own level is never skipped. */
static void test_v2_known_root_not_looked_up(void **state)
{
        (void)state;
        char root[128];
        snprintf(root, sizeof(root), "%s/v2_nested_min", tmpdir);
        static struct cgroup_sample a, b;
        assert_int_equal(sample(root, false, &a), 0);
        write_text(root, "/sys/fs/cgroup/memory.max", "garbage\n");
        assert_int_equal(sample(root, false, &b), -EINVAL);
        assert_int_equal(sample(root, true, &b), 0);
        assert_int_equal(a.nlevels, b.nlevels);
        for (unsigned i = 0; i < a.nlevels; i++) {
                assert_int_equal(a.level[i].accounted, b.level[i].accounted);
                assert_int_equal(a.level[i].limit, b.level[i].limit);
                assert_int_equal(a.level[i].usage, b.level[i].usage);
        }
        assert_false(b.level[b.nlevels - 1].accounted);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_v1_known_root_limit_not_read),
            cmocka_unit_test(test_v2_known_root_not_looked_up),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
