/* Cgroup discovery: literal /proc/self/cgroup and mountinfo from real layouts, and the
 * search below a mount made outside the cgroup namespace on a scratch tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup_locate.h"

#define HYBRID_CGROUP                                                                              \
        "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n"                        \
        "4:memory:/process_api/d0b5994098c025d72c0f7070c933e34e\n3:cpuset:/\n2:cpuacct:/\n"        \
        "1:cpu:/\n0::/\n"
#define HYBRID_MOUNTS                                                                              \
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"                      \
        "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"                     \
        "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"               \
        "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"        \
        "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
#define V2_MOUNT(root, point)                                                                      \
        "35 24 0:30 " root " " point " rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 "        \
        "cgroup2 rw,nsdelegate,memory_recursiveprot\n"
#define V1_MOUNT(root, point)                                                                      \
        "34 30 0:31 " root " " point " rw,nosuid,nodev,noexec,relatime master:7 - cgroup "         \
        "cgroup rw,memory\n"

struct row {
        const char *name;
        const char *proc_cgroup;
        const char *mountinfo;
        int ret;
        int version;
        const char *dir;
        const char *top;
        bool top_is_root;
        unsigned up;
};

static const struct row rows[] = {
    {"hybrid_host_picks_v1_memory_over_unified", HYBRID_CGROUP, HYBRID_MOUNTS, 0, 1,
     "/sys/fs/cgroup/memory/process_api/d0b5994098c025d72c0f7070c933e34e", "/sys/fs/cgroup/memory",
     true, 0},
    {"pure_v2_nested_path", "0::/user.slice/app.service\n", V2_MOUNT("/", "/sys/fs/cgroup"), 0, 2,
     "/sys/fs/cgroup/user.slice/app.service", "/sys/fs/cgroup", true, 0},
    {"v2_cgroup_namespace_root_is_the_mount_point", "0::/\n", V2_MOUNT("/", "/sys/fs/cgroup"), 0, 2,
     "/sys/fs/cgroup", "/sys/fs/cgroup", true, 0},
    {"v1_container_bind_mount_of_own_cgroup", "5:memory:/docker/abc\n",
     V1_MOUNT("/docker/abc", "/sys/fs/cgroup/memory"), 0, 1, "/sys/fs/cgroup/memory",
     "/sys/fs/cgroup/memory", false, 0},
    {"v1_bind_mount_of_ancestor_shows_nested_dir", "5:memory:/kubepods/pod1/ctr\n",
     V1_MOUNT("/kubepods", "/sys/fs/cgroup/memory"), 0, 1, "/sys/fs/cgroup/memory/pod1/ctr",
     "/sys/fs/cgroup/memory", false, 0},
    {"longest_matching_mount_root_wins", "5:memory:/docker/abc/sub\n",
     V1_MOUNT("/", "/sys/fs/cgroup/memory") V1_MOUNT("/docker/abc", "/mnt/ctr"), 0, 1,
     "/mnt/ctr/sub", "/mnt/ctr", false, 0},
    {"mount_root_is_not_a_component_prefix", "5:memory:/docker/abcdef\n",
     V1_MOUNT("/docker/abc", "/sys/fs/cgroup/memory"), -ENOENT, 0, NULL, NULL, false, 0},
    {"comma_joined_controllers", "4:cpu,memory:/a/b\n",
     "34 30 0:31 / /sys/fs/cgroup/cpu,memory rw - cgroup cgroup rw,cpu,memory\n", 0, 1,
     "/sys/fs/cgroup/cpu,memory/a/b", "/sys/fs/cgroup/cpu,memory", true, 0},
    {"escaped_mount_point", "4:memory:/a\n", V1_MOUNT("/", "/sys/fs/cgroup/mem\\040ory"), 0, 1,
     "/sys/fs/cgroup/mem ory/a", "/sys/fs/cgroup/mem ory", true, 0},
    {"deleted_cgroup_suffix_stripped", "0::/gone (deleted)\n", V2_MOUNT("/", "/sys/fs/cgroup"), 0,
     2, "/sys/fs/cgroup/gone", "/sys/fs/cgroup", true, 0},
    {"hierarchy_mounted_at_slash", "0::/a/b\n", V2_MOUNT("/", "/"), 0, 2, "/a/b", "/", true, 0},
    {"mount_root_above_namespace_needs_search", "0::/\n", V2_MOUNT("/../..", "/sys/fs/cgroup"),
     -EXDEV, 2, "/sys/fs/cgroup", "/sys/fs/cgroup", false, 2},
    {"mount_root_of_a_sibling_is_unusable", "0::/\n", V2_MOUNT("/../other", "/sys/fs/cgroup"),
     -ENOENT, 0, NULL, NULL, false, 0},
    {"memory_on_v1_but_only_unified_mounted", "4:memory:/a\n0::/a\n",
     V2_MOUNT("/", "/sys/fs/cgroup"), -ENOENT, 0, NULL, NULL, false, 0},
    {"name_systemd_hierarchy_is_not_memory", "1:name=systemd:/a\n",
     "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n", -ENOENT, 0, NULL,
     NULL, false, 0},
    {"memory_recursiveprot_option_is_not_the_memory_controller", "4:memory:/a\n",
     "34 30 0:31 / /x rw - cgroup cgroup rw,memory_recursiveprot\n", -ENOENT, 0, NULL, NULL, false,
     0},
    /* Found by fuzz_pipeline: a mount point that is not absolute made a relative dir. */
    {"relative_mount_point_is_rejected", "0::/a\n",
     "27 26 0:24 / sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", -ENOENT, 0, NULL, NULL, false, 0},
    {"relative_mount_root_is_rejected", "0::/a\n",
     "27 26 0:24 a /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", -ENOENT, 0, NULL, NULL, false, 0},
    {"no_cgroup_mounts", "0::/\n", "22 1 0:5 / /proc rw - proc proc rw\n", -ENOENT, 0, NULL, NULL,
     false, 0},
};

static void feed_lines(const char *text, void (*fn)(void *, const char *, size_t), void *ctx)
{
        const char *p = text;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                fn(ctx, p, len);
                p += len + (nl ? 1 : 0);
        }
}

static void consider_line(void *ctx, const char *line, size_t len)
{
        struct mount_entry e;
        struct cgroup_location scratch_loc;
        if (mountinfo_parse_line(line, len, &e) == 0)
                cgroup_locate_consider(ctx, &e, &scratch_loc);
}

/* A discovery's storage, as the library's callers provide it. */
static int locate_under(const char *root, pid_t pid, struct cgroup_location *loc)
{
        static struct cgl_io io;
        static struct locate_work w;
        cgl_io_init(&io, root);
        return cgroup_locate(&io, pid, &w, loc);
}

static void locate_rows(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                const struct row *r = &rows[i];
                struct proc_cgroup pc;
                if (proc_cgroup_parse(r->proc_cgroup, strlen(r->proc_cgroup), &pc) != 0)
                        fail_msg("%s: /proc/self/cgroup did not parse", r->name);
                struct locate_state st;
                cgroup_locate_begin(&st, &pc);
                feed_lines(r->mountinfo, consider_line, &st);
                struct cgroup_location loc;
                unsigned up = 99;
                int ret = cgroup_locate_finish(&st, &loc, &up);
                if (ret != r->ret)
                        fail_msg("%s: returned %d, expected %d", r->name, ret, r->ret);
                if (ret != 0 && ret != -EXDEV)
                        continue;
                if (loc.version != r->version)
                        fail_msg("%s: version %d", r->name, loc.version);
                if (strcmp(loc.dir, r->dir) != 0)
                        fail_msg("%s: dir %s, expected %s", r->name, loc.dir, r->dir);
                if (loc.top_len != strlen(r->top) || strncmp(loc.dir, r->top, loc.top_len) != 0)
                        fail_msg("%s: top %.*s, expected %s", r->name, (int)loc.top_len, loc.dir,
                                 r->top);
                if (loc.top_is_root != r->top_is_root)
                        fail_msg("%s: top_is_root %d", r->name, loc.top_is_root);
                if (ret == -EXDEV && up != r->up)
                        fail_msg("%s: %u levels up, expected %u", r->name, up, r->up);
        }
}

/* A scratch tree standing for a cgroupfs mounted outside the namespace. */
static char scratch[256];

static void make_dir(const char *rel)
{
        char path[512];
        snprintf(path, sizeof(path), "%s%s", scratch, rel);
        assert_int_equal(mkdir(path, 0755), 0);
}

static void write_file(const char *rel, const char *content)
{
        char path[512];
        snprintf(path, sizeof(path), "%s%s", scratch, rel);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(content, f);
        fclose(f);
}

static int setup_tree(void **state)
{
        (void)state;
        snprintf(scratch, sizeof(scratch), "/tmp/cgl-locate-XXXXXX");
        if (!mkdtemp(scratch))
                return -1;
        make_dir("/proc");
        make_dir("/proc/self");
        make_dir("/cg");
        make_dir("/cg/a");
        make_dir("/cg/a/b1");
        make_dir("/cg/a/b2");
        make_dir("/cg/a/b2/child");
        make_dir("/cg/c");
        make_dir("/cg/c/d");
        write_file("/cg/a/b1/cgroup.procs", "1\n2\n");
        write_file("/cg/a/b2/cgroup.procs", "17\n");
        write_file("/cg/a/b2/child/cgroup.procs", "4242\n");
        write_file("/cg/c/d/cgroup.procs", "7\n42\n");
        write_file("/proc/self/cgroup", "0::/child\n");
        write_file("/proc/self/mountinfo", V2_MOUNT("/../..", "/cg"));
        return 0;
}

static int remove_tree(void **state)
{
        (void)state;
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
        return system(cmd) == 0 ? 0 : -1;
}

static void search_finds_the_directory_listing_our_pid(void **state)
{
        (void)state;
        struct cgroup_location loc;
        assert_int_equal(locate_under(scratch, 4242, &loc), 0);
        assert_int_equal(loc.version, 2);
        assert_string_equal(loc.dir, "/cg/a/b2/child");
        /* The levels above the namespace root stay readable through the mount. */
        assert_int_equal(loc.top_len, strlen("/cg"));
        assert_false(loc.top_is_root);
}

static void search_gives_up_when_no_directory_lists_our_pid(void **state)
{
        (void)state;
        struct cgroup_location loc;
        assert_int_equal(locate_under(scratch, 999, &loc), -ENOENT);
}

static void search_matches_whole_pid_lines_only(void **state)
{
        (void)state;
        struct cgroup_location loc;
        /* 4 is a prefix of 42 and 4242 but listed nowhere. */
        assert_int_equal(locate_under(scratch, 4, &loc), -ENOENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(locate_rows),
            cmocka_unit_test(search_finds_the_directory_listing_our_pid),
            cmocka_unit_test(search_gives_up_when_no_directory_lists_our_pid),
            cmocka_unit_test(search_matches_whole_pid_lines_only),
        };
        return cmocka_run_group_tests(tests, setup_tree, remove_tree);
}
