/* The whole pipeline, files to rendered /proc/meminfo, over the sysroot trees in
 * tests/fixtures (captured on a cgroup v1 host, or built to mirror a 6.1 cgroup v2 host).
 * Figures are in kB, as /proc/meminfo shows them; see tests/fixtures/README.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "meminfo_parse.h"
#include "meminfo_render.h"
#include "view_load.h"

/* A load's storage, as the library's callers provide it. */
static struct view_work work;

enum outcome { VIEW, PASSTHROUGH, ERROR };

struct row {
        const char *name;   /* the fixture directory */
        int pid;            /* the process, where the layout makes the library search for it */
        const char *memory; /* CGLIMITS_MEMORY, or NULL */
        enum outcome outcome;
        int error;
        int version;
        enum limit_source source;
        uint64_t total, free, available, cached, swap_total, swap_free;
};

#define FAILS(fixture, pid, err)                                                                   \
        {                                                                                          \
                fixture, pid, NULL, ERROR, err, 0, LIMIT_NONE, 0, 0, 0, 0, 0, 0                    \
        }

static const struct row rows[] = {
    {"v1_plain", 0, NULL, VIEW, 0, 1, LIMIT_V1_LIMIT, 262144, 190724, 207108, 16404, 0, 0},
    {"hybrid_v1_memory", 0, NULL, VIEW, 0, 1, LIMIT_V1_LIMIT, 262144, 207368, 215560, 8204, 0, 0},
    {"v1_nested_hierarchical", 0, NULL, VIEW, 0, 1, LIMIT_V1_LIMIT, 307200, 219320, 235704, 16400,
     0, 0},
    /* memsw 384 MiB − 256 MiB would allow 128 MiB of swap, but the host has none. */
    {"v1_memsw", 0, NULL, VIEW, 0, 1, LIMIT_V1_LIMIT, 262144, 186632, 198936, 12304, 0, 0},
    {"v1_unlimited", 0, NULL, PASSTHROUGH, 0, 1, LIMIT_NONE, 0, 0, 0, 0, 0, 0},
    {"v1_limit_above_host", 0, NULL, PASSTHROUGH, 0, 1, LIMIT_NONE, 0, 0, 0, 0, 0, 0},
    {"v1_ns_hidden_parent", 0, NULL, VIEW, 0, 1, LIMIT_V1_HIERARCHICAL, 307200, 219428, 227696,
     8268, 0, 0},
    {"v1_mount_root_outside_ns", 4242, NULL, VIEW, 0, 1, LIMIT_V1_LIMIT, 262144, 207220, 215412,
     8208, 0, 0},
    FAILS("v1_mount_root_outside_ns_other_pid_passes_through", 999, -ENOENT),
    {"usage_above_limit", 0, NULL, VIEW, 0, 1, LIMIT_V1_LIMIT, 262144, 0, 49152, 49168, 0, 0},
    {"v2_plain", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 190848, 207480, 17408, 0, 0},
    {"v2_nested_min", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 204800, 52016, 61641, 9216, 0, 0},
    {"v2_child_without_memory_max", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 307200, 186572, 207318,
     21504, 0, 0},
    {"v2_high_below_max", 4242, NULL, VIEW, 0, 2, LIMIT_V2_HIGH, 262144, 82948, 106777, 23552, 0,
     0},
    {"v2_swap_zero", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 176480, 188999, 12288, 0, 0},
    {"v2_swap_finite", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 156920, 171498, 14336, 131072,
     114688},
    {"v2_swap_max", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 150760, 162256, 11264, 2097152,
     1572864},
    {"v2_ns_root", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 171116, 197015, 27648, 0, 0},
    {"v2_mount_root_outside_ns", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 198036, 211583,
     13312, 0, 0},
    {"v2_unlimited", 4242, NULL, PASSTHROUGH, 0, 2, LIMIT_NONE, 0, 0, 0, 0, 0, 0},
    {"v2_usage_above_limit", 4242, NULL, VIEW, 0, 2, LIMIT_V2_MAX, 262144, 0, 37196, 38912, 0, 0},
    {"v2_root_cgroup", 4242, NULL, PASSTHROUGH, 0, 2, LIMIT_NONE, 0, 0, 0, 0, 0, 0},
    /* The override: smallest of it, the cgroup limit and the host wins. */
    {"v1_plain", 0, "128M", VIEW, 0, 1, LIMIT_OVERRIDE, 131072, 59652, 76036, 16404, 0, 0},
    {"v1_plain", 0, "1G", VIEW, 0, 1, LIMIT_V1_LIMIT, 262144, 190724, 207108, 16404, 0, 0},
    {"v1_unlimited", 0, "128M", VIEW, 0, 1, LIMIT_OVERRIDE, 131072, 84568, 92760, 8204, 0, 0},
    {"v2_root_cgroup", 4242, "512M", VIEW, 0, 2, LIMIT_OVERRIDE, 524288, 524288, 524288, 0, 0, 0},
    {"broken_no_memory_mount", 0, "256M", VIEW, 0, 0, LIMIT_OVERRIDE, 262144, 262144, 262144, 0, 0,
     0},
    /* Garbage anywhere: a clear error, so that the shim passes through. */
    FAILS("broken_limit_garbage", 0, -EINVAL),
    FAILS("broken_limit_empty", 0, -EINVAL),
    FAILS("broken_stat_truncated", 0, -EINVAL),
    FAILS("broken_stat_duplicate_key", 0, -EINVAL),
    FAILS("broken_meminfo_truncated", 0, -EINVAL),
    FAILS("broken_missing_usage", 0, -ENOENT),
    FAILS("broken_proc_cgroup_garbage", 0, -EINVAL),
    FAILS("broken_no_memory_mount", 0, -ENOENT),
    FAILS("empty_proc_cgroup", 0, -ENOENT),
    FAILS("no_such_fixture", 0, -ENOENT),
};

static const char *fixture_dir(const struct row *r)
{
        static const char suffix[] = "_other_pid_passes_through";
        static char dir[512];
        size_t n = strlen(r->name);
        size_t s = sizeof(suffix) - 1;
        if (n > s && strcmp(r->name + n - s, suffix) == 0)
                n -= s;
        snprintf(dir, sizeof(dir), "%s/%.*s", CGLIMITS_FIXTURES, (int)n, r->name);
        return dir;
}

static const char *env_dir;
static const char *env_memory;

static const char *fake_env(const char *name)
{
        if (strcmp(name, "CGLIMITS_SYSROOT") == 0)
                return env_dir;
        if (strcmp(name, "CGLIMITS_MEMORY") == 0)
                return env_memory;
        return NULL;
}

static void expect_kb(const char *row, const char *what, uint64_t bytes, uint64_t kb)
{
        if (bytes / 1024 != kb)
                fail_msg("%s: %s is %llu kB, expected %llu kB", row, what,
                         (unsigned long long)(bytes / 1024), (unsigned long long)kb);
}

/* Every rendered file: below 4 KiB, one line per host line, every line well-formed, and
 * the figures consistent with each other. */
static void check_rendered(const char *row, const struct view_load *vl)
{
        char out[CGL_MEMINFO_MAX];
        int len = meminfo_render(vl->host_text, vl->host_len, &vl->view, out, sizeof(out) - 1);
        if (len < 0)
                fail_msg("%s: render failed with %d", row, len);
        if (len >= 4096)
                fail_msg("%s: rendered file is %d bytes", row, len);
        struct host_meminfo parsed;
        if (meminfo_parse(out, (size_t)len, &parsed) != 0)
                fail_msg("%s: rendered file does not parse", row);
        size_t host_lines = 0, lines = 0;
        for (size_t i = 0; i < vl->host_len; i++)
                host_lines += vl->host_text[i] == '\n';
        for (int i = 0; i < len; i++)
                lines += out[i] == '\n';
        if (lines != host_lines)
                fail_msg("%s: %zu lines, host has %zu", row, lines, host_lines);
        if (!(parsed.mem_free <= parsed.mem_available && parsed.mem_available <= parsed.mem_total))
                fail_msg("%s: MemFree <= MemAvailable <= MemTotal broken", row);
        if (parsed.swap_free > parsed.swap_total)
                fail_msg("%s: SwapFree > SwapTotal", row);
        if (parsed.mem_total != vl->view.field[VF_MEM_TOTAL] / 1024 * 1024)
                fail_msg("%s: rendered MemTotal differs from the view", row);
}

static void fixture_rows(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                const struct row *r = &rows[i];
                char name[160];
                snprintf(name, sizeof(name), "%s%s%s", r->name, r->memory ? " memory=" : "",
                         r->memory ? r->memory : "");
                env_dir = fixture_dir(r);
                env_memory = r->memory;
                struct cgl_config cfg;
                cgl_config_load(&cfg, fake_env);
                struct view_load vl;
                int ret = cgl_view_load(&cfg, r->pid, NULL, &work, &vl);
                if (r->outcome == ERROR) {
                        if (ret != r->error)
                                fail_msg("%s: returned %d, expected %d", name, ret, r->error);
                        continue;
                }
                if (ret != 0)
                        fail_msg("%s: failed with %d", name, ret);
                if (vl.view.passthrough != (r->outcome == PASSTHROUGH))
                        fail_msg("%s: passthrough is %d", name, vl.view.passthrough);
                if (vl.loc.version != r->version)
                        fail_msg("%s: cgroup v%d", name, vl.loc.version);
                if (r->outcome == PASSTHROUGH)
                        continue;
                if (vl.view.source != r->source)
                        fail_msg("%s: limit source %d, expected %d", name, vl.view.source,
                                 r->source);
                const uint64_t *f = vl.view.field;
                expect_kb(name, "MemTotal", f[VF_MEM_TOTAL], r->total);
                expect_kb(name, "MemFree", f[VF_MEM_FREE], r->free);
                expect_kb(name, "MemAvailable", f[VF_MEM_AVAILABLE], r->available);
                expect_kb(name, "Cached", f[VF_CACHED], r->cached);
                expect_kb(name, "SwapTotal", f[VF_SWAP_TOTAL], r->swap_total);
                expect_kb(name, "SwapFree", f[VF_SWAP_FREE], r->swap_free);
                check_rendered(name, &vl);
        }
}

/* The breakdown of the level that sets the limit is the one shown. */
static void v2_nested_min_breakdown_comes_from_the_limiting_parent(void **state)
{
        (void)state;
        env_dir = CGLIMITS_FIXTURES "/v2_nested_min";
        env_memory = NULL;
        struct cgl_config cfg;
        cgl_config_load(&cfg, fake_env);
        struct view_load vl;
        assert_int_equal(cgl_view_load(&cfg, 4242, NULL, &work, &vl), 0);
        assert_int_equal(vl.view.limit_level, 1);
        /* cglfix.slice: anon 139 MiB, file 9 MiB. */
        assert_int_equal(vl.view.field[VF_ANON_PAGES], 139ull << 20);
        assert_int_equal(vl.view.field[VF_CACHED], 9ull << 20);
}

static void rendered_v1_plain_keeps_host_pool_lines(void **state)
{
        (void)state;
        env_dir = CGLIMITS_FIXTURES "/v1_plain";
        env_memory = NULL;
        struct cgl_config cfg;
        cgl_config_load(&cfg, fake_env);
        struct view_load vl;
        assert_int_equal(cgl_view_load(&cfg, 0, NULL, &work, &vl), 0);
        char out[CGL_MEMINFO_MAX];
        int len = meminfo_render(vl.host_text, vl.host_len, &vl.view, out, sizeof(out) - 1);
        assert_true(len > 0);
        out[len] = '\0';
        assert_non_null(strstr(out, "MemTotal:         262144 kB\n"));
        assert_non_null(strstr(out, "MemFree:          190724 kB\n"));
        assert_non_null(strstr(out, "VmallocTotal:   34359738367 kB\n"));
        assert_non_null(strstr(out, "Hugepagesize:       2048 kB\n"));
        assert_non_null(strstr(out, "HugePages_Total:       0\n"));
        assert_true(strncmp(out, "MemTotal:", 9) == 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(fixture_rows),
            cmocka_unit_test(v2_nested_min_breakdown_comes_from_the_limiting_parent),
            cmocka_unit_test(rendered_v1_plain_keeps_host_pool_lines),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
