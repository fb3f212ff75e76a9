/* The JSON of `cglimits --json`: every documented key in its order, exact numbers, null for no
 * limit, paths escaped, and a clear failure when the buffer is short. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_render.h"

static const struct cglimits_memory limited = {.size = sizeof(struct cglimits_memory),
                                               .total = 268435456,
                                               .free = 200000000,
                                               .available = 210000000,
                                               .used = 68435456,
                                               .swap_total = 1,
                                               .anon = 5,
                                               .file = 6,
                                               .shmem = 7,
                                               .kernel = 8,
                                               .limit = 268435456,
                                               .cgroup_version = 2,
                                               .limit_source = CGLIMITS_SOURCE_V2_MAX,
                                               .limit_level = 1,
                                               .cgroup_dir = "/sys/fs/cgroup/a\"b\\c\td",
                                               .limit_dir = "/sys/fs/cgroup",
                                               .limit_file = "memory.max"};

static void limited_view_with_every_key(void **state)
{
        (void)state;
        char out[2048];
        int n = json_render(&limited, 42, out, sizeof(out));
        const char *want =
            "{\"pid\": 42, \"total\": 268435456, \"free\": 200000000, \"available\": 210000000, "
            "\"used\": 68435456, \"swap_total\": 1, \"swap_free\": 0, \"anon\": 5, \"file\": 6, "
            "\"shmem\": 7, \"kernel\": 8, \"limit\": 268435456, \"host\": false, "
            "\"cgroup_version\": 2, \"cgroup_dir\": \"/sys/fs/cgroup/a\\\"b\\\\c\\u0009d\", "
            "\"limit_source\": \"v2_max\", \"limit_level\": 1, \"limit_dir\": \"/sys/fs/cgroup\", "
            "\"limit_file\": \"memory.max\"}\n";
        assert_int_equal(n, (int)strlen(want));
        out[n] = '\0';
        assert_string_equal(out, want);
}

static void host_view_has_null_limit_and_no_pid(void **state)
{
        (void)state;
        struct cglimits_memory m = limited;
        m.flags = CGLIMITS_HOST;
        m.limit = UINT64_MAX;
        m.limit_source = CGLIMITS_SOURCE_HOST;
        char out[2048];
        int n = json_render(&m, 0, out, sizeof(out));
        assert_true(n > 0);
        out[n] = '\0';
        assert_non_null(strstr(out, "{\"total\": 268435456, "));
        assert_non_null(strstr(out, "\"limit\": null, \"host\": true, "));
        assert_non_null(strstr(out, "\"limit_source\": \"host\""));
        assert_null(strstr(out, "\"pid\""));
}

static void short_buffer_fails(void **state)
{
        (void)state;
        char out[2048];
        int n = json_render(&limited, 0, out, sizeof(out));
        assert_true(n > 0);
        for (size_t cap = 0; cap < (size_t)n; cap += 37)
                assert_int_equal(json_render(&limited, 0, out, cap), -ENOSPC);
        assert_int_equal(json_render(&limited, 0, out, (size_t)n), n);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(limited_view_with_every_key),
            cmocka_unit_test(host_view_has_null_limit_and_no_pid),
            cmocka_unit_test(short_buffer_fails),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
