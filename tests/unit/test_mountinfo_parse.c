/* Unit tests for lib/mountinfo_parse.c: /proc/self/mountinfo lines and octal unescaping. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "mountinfo_parse.h"

#define UNTOUCHED "<untouched>"

#define DOCKER_ID "5f3c2d0e8b7a41c9a6e1d2f3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"

struct line_row {
        const char *name;
        const char *line;
        int ret;
        enum mount_kind kind; /* checked when ret == 0 */
        const char *root;     /* UNTOUCHED for MOUNT_OTHER */
        const char *point;
};

static const struct line_row line_rows[] = {
    /* This machine's /proc/self/mountinfo (hybrid v1 host, no optional fields). */
    {"real_proc", "21 26 0:20 / /proc rw,relatime - proc proc rw", 0, MOUNT_OTHER, UNTOUCHED,
     UNTOUCHED},
    {"real_rootfs_ext4",
     "26 1 254:0 / / rw,relatime - ext4 /dev/vda "
     "rw,discard,resv_strict,resuid=65534,resgid=65534",
     0, MOUNT_OTHER, UNTOUCHED, UNTOUCHED},
    {"real_devtmpfs",
     "23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs "
     "rw,size=12334448k,nr_inodes=3083612,mode=755",
     0, MOUNT_OTHER, UNTOUCHED, UNTOUCHED},
    {"real_cgroup_tmpfs", "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755", 0,
     MOUNT_OTHER, UNTOUCHED, UNTOUCHED},
    {"real_v1_cpu", "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu", 0,
     MOUNT_CGROUP1_OTHER, "/", "/sys/fs/cgroup/cpu"},
    {"real_v1_cpuacct",
     "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct", 0,
     MOUNT_CGROUP1_OTHER, "/", "/sys/fs/cgroup/cpuacct"},
    {"real_v1_memory", "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
     0, MOUNT_CGROUP1_MEMORY, "/", "/sys/fs/cgroup/memory"},
    {"real_v1_name_systemd",
     "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd", 0,
     MOUNT_CGROUP1_OTHER, "/", "/sys/fs/cgroup/systemd"},
    {"real_cgroup2", "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw", 0,
     MOUNT_CGROUP2, "/", "/sys/fs/cgroup/unified"},

    /* Systemd hosts: optional fields between the options and the separator. */
    {"optional_fields_0",
     "34 30 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup cgroup "
     "rw,memory",
     0, MOUNT_CGROUP1_MEMORY, "/", "/sys/fs/cgroup/memory"},
    {"optional_fields_1",
     "35 24 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup "
     "cgroup rw,memory",
     0, MOUNT_CGROUP1_MEMORY, "/", "/sys/fs/cgroup/memory"},
    {"optional_fields_2",
     "35 24 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:9 master:2 - "
     "cgroup cgroup rw,memory",
     0, MOUNT_CGROUP1_MEMORY, "/", "/sys/fs/cgroup/memory"},
    {"optional_fields_3",
     "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 master:2 "
     "propagate_from:1 - cgroup2 cgroup2 rw,nsdelegate",
     0, MOUNT_CGROUP2, "/", "/sys/fs/cgroup"},
    {"optional_unbindable",
     "35 24 0:30 / /sys/fs/cgroup/memory rw,relatime unbindable - cgroup cgroup rw,memory", 0,
     MOUNT_CGROUP1_MEMORY, "/", "/sys/fs/cgroup/memory"},
    {"systemd_unified_v2",
     "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
     "rw,nsdelegate,memory_recursiveprot",
     0, MOUNT_CGROUP2, "/", "/sys/fs/cgroup"},
    {"systemd_hybrid_unified",
     "25 24 0:22 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 "
     "cgroup2 rw,nsdelegate",
     0, MOUNT_CGROUP2, "/", "/sys/fs/cgroup/unified"},
    {"systemd_name_systemd_xattr",
     "26 24 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:6 - cgroup "
     "cgroup rw,xattr,name=systemd",
     0, MOUNT_CGROUP1_OTHER, "/", "/sys/fs/cgroup/systemd"},
    {"comma_joined_cpu_cpuacct",
     "38 24 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:18 - "
     "cgroup cgroup rw,cpu,cpuacct",
     0, MOUNT_CGROUP1_OTHER, "/", "/sys/fs/cgroup/cpu,cpuacct"},
    {"memory_joined_with_others",
     "38 24 0:33 / /sys/fs/cgroup/cpu,memory rw,relatime shared:18 - cgroup cgroup "
     "rw,cpu,memory,xattr",
     0, MOUNT_CGROUP1_MEMORY, "/", "/sys/fs/cgroup/cpu,memory"},

    /* Containers: the mount shows a cgroup below (or above) the hierarchy root. */
    {"docker_v1_memory_root",
     "1160 1157 0:31 /docker/" DOCKER_ID
     " /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup "
     "rw,memory",
     0, MOUNT_CGROUP1_MEMORY, "/docker/" DOCKER_ID, "/sys/fs/cgroup/memory"},
    {"root_above_namespace",
     "1203 1190 0:31 /../.. /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup "
     "cgroup rw,memory",
     0, MOUNT_CGROUP1_MEMORY, "/../..", "/sys/fs/cgroup/memory"},
    {"root_above_namespace_v2",
     "1203 1190 0:26 /.. /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw", 0, MOUNT_CGROUP2, "/..",
     "/sys/fs/cgroup"},

    /* Octal escapes in root and mount point. */
    {"escaped_space", "60 30 0:40 /a\\040b /mnt/my\\040cgroup rw,relatime - cgroup2 cgroup2 rw", 0,
     MOUNT_CGROUP2, "/a b", "/mnt/my cgroup"},
    {"escaped_tab", "60 30 0:40 /t\\011ab /mnt/t\\011ab rw,relatime - cgroup2 cgroup2 rw", 0,
     MOUNT_CGROUP2, "/t\tab", "/mnt/t\tab"},
    {"escaped_backslash",
     "60 30 0:40 /back\\134slash /mnt/x\\134y rw,relatime - cgroup cgroup rw,memory", 0,
     MOUNT_CGROUP1_MEMORY, "/back\\slash", "/mnt/x\\y"},
    {"escaped_newline", "60 30 0:40 / /mnt/a\\012b rw,relatime - cgroup2 cgroup2 rw", 0,
     MOUNT_CGROUP2, "/", "/mnt/a\nb"},
    {"escape_at_end", "60 30 0:40 /x\\040 /mnt/y\\040 rw,relatime - cgroup2 cgroup2 rw", 0,
     MOUNT_CGROUP2, "/x ", "/mnt/y "},
    {"several_escapes",
     "60 30 0:40 / /mnt/a\\040b\\011c\\134d\\040 rw,relatime - cgroup2 cgroup2 rw", 0,
     MOUNT_CGROUP2, "/", "/mnt/a b\tc\\d "},

    /* Only the super options (last field) decide whether a v1 mount holds memory. */
    {"super_rw_memory", "50 30 0:31 / /m rw - cgroup cgroup rw,memory", 0, MOUNT_CGROUP1_MEMORY,
     "/", "/m"},
    {"super_memory_recursiveprot_not_memory",
     "50 30 0:31 / /m rw - cgroup cgroup rw,memory_recursiveprot", 0, MOUNT_CGROUP1_OTHER, "/",
     "/m"},
    {"super_memoryx_not_memory", "50 30 0:31 / /m rw - cgroup cgroup rw,memoryx", 0,
     MOUNT_CGROUP1_OTHER, "/", "/m"},
    {"super_name_memory_not_memory", "50 30 0:31 / /m rw - cgroup cgroup rw,name=memory", 0,
     MOUNT_CGROUP1_OTHER, "/", "/m"},
    {"memory_in_mount_options_only", "50 30 0:31 / /m rw,memory - cgroup cgroup rw,cpu", 0,
     MOUNT_CGROUP1_OTHER, "/", "/m"},
    {"memory_as_source_only", "50 30 0:31 / /m rw - cgroup memory rw,cpu", 0, MOUNT_CGROUP1_OTHER,
     "/", "/m"},
    {"memory_source_and_super", "50 30 0:31 / /m rw - cgroup memory rw,memory", 0,
     MOUNT_CGROUP1_MEMORY, "/", "/m"},
    {"tmpfs_with_memory_option", "50 30 0:31 / /m rw - tmpfs tmpfs rw,memory", 0, MOUNT_OTHER,
     UNTOUCHED, UNTOUCHED},
    {"fstype_cgroupfs_is_other", "50 30 0:31 / /m rw - cgroupfs cgroup rw,memory", 0, MOUNT_OTHER,
     UNTOUCHED, UNTOUCHED},
    {"fstype_cgroup3_is_other", "50 30 0:31 / /m rw - cgroup3 cgroup rw", 0, MOUNT_OTHER, UNTOUCHED,
     UNTOUCHED},
    {"fstype_prefix_cgrou_is_other", "50 30 0:31 / /m rw - cgrou cgroup rw,memory", 0, MOUNT_OTHER,
     UNTOUCHED, UNTOUCHED},

    /* Malformed and truncated lines. */
    {"missing_separator", "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime cgroup cgroup rw,memory",
     -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"missing_separator_with_optional",
     "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime shared:9 cgroup cgroup rw,memory", -EINVAL,
     MOUNT_OTHER, NULL, NULL},
    {"separator_glued_to_field", "34 30 0:31 / /m rw -cgroup cgroup rw,memory", -EINVAL,
     MOUNT_OTHER, NULL, NULL},
    {"empty_line", "", -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"only_spaces", "    ", -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"truncated_in_ids", "34 30", -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"truncated_before_super_options", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup",
     -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"truncated_after_root", "34 30 0:31 /", -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"truncated_in_mount_point", "34 30 0:31 / /sys/fs/cg", -EINVAL, MOUNT_OTHER, NULL, NULL},
    {"truncated_after_options", "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime", -EINVAL,
     MOUNT_OTHER, NULL, NULL},
    {"truncated_in_optional", "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime shared:", -EINVAL,
     MOUNT_OTHER, NULL, NULL},
    {"truncated_at_separator", "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime -", -EINVAL,
     MOUNT_OTHER, NULL, NULL},
    {"truncated_after_fstype", "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup", -EINVAL,
     MOUNT_OTHER, NULL, NULL},
    {"truncated_other_mount", "21 26 0:20 / /proc rw,relatime - proc", -EINVAL, MOUNT_OTHER, NULL,
     NULL},
};

static void test_parse_line_table(void **state)
{
        (void)state;
        static struct mount_entry e;
        for (size_t i = 0; i < N_ROWS(line_rows); i++) {
                const struct line_row *r = &line_rows[i];
                memset(&e, 0xAB, sizeof(e));
                strcpy(e.root, UNTOUCHED);
                strcpy(e.point, UNTOUCHED);
                CHECK_INT(r->name, mountinfo_parse_line(r->line, strlen(r->line), &e), r->ret);
                if (r->ret != 0)
                        continue;
                CHECK_INT(r->name, e.kind, r->kind);
                CHECK_STR(r->name, e.root, r->root);
                CHECK_STR(r->name, e.point, r->point);
        }
        ROWS_DONE();
}

/* Every line of this machine's mountinfo, fed one by one as cgroup discovery does. */
static void test_real_mountinfo_file(void **state)
{
        (void)state;
        static const char file[] =
            "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
            "22 26 0:21 / /sys rw,relatime - sysfs sysfs rw\n"
            "23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs "
            "rw,size=12334448k,nr_inodes=3083612,mode=755\n"
            "24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683620k\n"
            "25 23 0:23 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000\n"
            "26 1 254:0 / / rw,relatime - ext4 /dev/vda "
            "rw,discard,resv_strict,resuid=65534,resgid=65534\n"
            "27 26 0:24 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - "
            "tmpfs model_tools_unavailable ro,size=4k,mode=755\n"
            "28 25 0:25 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000\n"
            "29 24 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683620k\n"
            "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
            "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
            "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
            "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
            "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
            "35 30 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
            "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
            "37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
            "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
            "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
            "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        static const enum mount_kind want[] = {
            MOUNT_OTHER,         MOUNT_OTHER,          MOUNT_OTHER,         MOUNT_OTHER,
            MOUNT_OTHER,         MOUNT_OTHER,          MOUNT_OTHER,         MOUNT_OTHER,
            MOUNT_OTHER,         MOUNT_OTHER,          MOUNT_CGROUP1_OTHER, MOUNT_CGROUP1_OTHER,
            MOUNT_CGROUP1_OTHER, MOUNT_CGROUP1_MEMORY, MOUNT_CGROUP1_OTHER, MOUNT_CGROUP1_OTHER,
            MOUNT_CGROUP1_OTHER, MOUNT_CGROUP1_OTHER,  MOUNT_CGROUP1_OTHER, MOUNT_CGROUP2,
        };
        static struct mount_entry e;
        size_t n = 0, memory = 0, v2 = 0;
        const char *p = file;
        while (*p) {
                const char *nl = strchr(p, '\n');
                assert_non_null(nl);
                char row[32];
                snprintf(row, sizeof(row), "line_%zu", n + 1);
                CHECK_INT(row, mountinfo_parse_line(p, (size_t)(nl - p), &e), 0);
                assert_true(n < N_ROWS(want));
                CHECK_INT(row, e.kind, want[n]);
                if (e.kind == MOUNT_CGROUP1_MEMORY) {
                        memory++;
                        CHECK_STR(row, e.root, "/");
                        CHECK_STR(row, e.point, "/sys/fs/cgroup/memory");
                }
                if (e.kind == MOUNT_CGROUP2) {
                        v2++;
                        CHECK_STR(row, e.point, "/sys/fs/cgroup/unified");
                }
                n++;
                p = nl + 1;
        }
        assert_int_equal(n, N_ROWS(want));
        assert_int_equal(memory, 1);
        assert_int_equal(v2, 1);
        ROWS_DONE();
}

/* The line is read within len only: a line cut before its super options loses "memory". */
static void test_parse_line_respects_len(void **state)
{
        (void)state;
        static struct mount_entry e;
        static const char two[] = "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,cpu\n"
                                  "35 30 0:32 / /x rw - cgroup cgroup rw,memory";
        size_t first = (size_t)(strchr(two, '\n') - two);
        assert_int_equal(mountinfo_parse_line(two, first, &e), 0);
        assert_int_equal(e.kind, MOUNT_CGROUP1_OTHER);
        assert_string_equal(e.point, "/sys/fs/cgroup/memory");

        static const char cut[] =
            "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memoryXYZ";
        assert_int_equal(mountinfo_parse_line(cut, strlen(cut) - 3, &e), 0);
        assert_int_equal(e.kind, MOUNT_CGROUP1_MEMORY);
}

static void build_path(char *buf, size_t len)
{
        buf[0] = '/';
        memset(buf + 1, 'p', len - 1);
        buf[len] = '\0';
}

/* Decoded root and mount point must fit in CGL_PATH_MAX with their NUL. */
static void test_path_length_limit(void **state)
{
        (void)state;
        static struct mount_entry e;
        static char path[CGL_PATH_MAX + 8];
        static char line[4 * CGL_PATH_MAX + 128];

        build_path(path, CGL_PATH_MAX - 1);
        snprintf(line, sizeof(line), "50 30 0:31 / %s rw - cgroup cgroup rw,memory", path);
        assert_int_equal(mountinfo_parse_line(line, strlen(line), &e), 0);
        assert_int_equal(e.kind, MOUNT_CGROUP1_MEMORY);
        assert_string_equal(e.point, path);

        snprintf(line, sizeof(line), "50 30 0:31 %s /m rw - cgroup2 cgroup2 rw", path);
        assert_int_equal(mountinfo_parse_line(line, strlen(line), &e), 0);
        assert_string_equal(e.root, path);

        build_path(path, CGL_PATH_MAX);
        snprintf(line, sizeof(line), "50 30 0:31 / %s rw - cgroup cgroup rw,memory", path);
        assert_int_equal(mountinfo_parse_line(line, strlen(line), &e), -ENAMETOOLONG);
        snprintf(line, sizeof(line), "50 30 0:31 %s /m rw - cgroup2 cgroup2 rw", path);
        assert_int_equal(mountinfo_parse_line(line, strlen(line), &e), -ENAMETOOLONG);

        /* Non-cgroup mounts are not unescaped, so their length does not matter. */
        snprintf(line, sizeof(line), "50 30 0:31 / %s rw - ext4 /dev/vda rw", path);
        assert_int_equal(mountinfo_parse_line(line, strlen(line), &e), 0);
        assert_int_equal(e.kind, MOUNT_OTHER);

        /* The limit applies to the decoded path: 500 escaped spaces are 2000 bytes raw. */
        static char escaped[1 + 500 * 4 + 1];
        size_t o = 0;
        escaped[o++] = '/';
        for (int i = 0; i < 500; i++, o += 4)
                memcpy(escaped + o, "\\040", 4);
        escaped[o] = '\0';
        snprintf(line, sizeof(line), "50 30 0:31 / %s rw - cgroup2 cgroup2 rw", escaped);
        assert_int_equal(mountinfo_parse_line(line, strlen(line), &e), 0);
        assert_int_equal(strlen(e.point), 501);
        assert_int_equal(e.point[0], '/');
        for (size_t i = 1; i < 501; i++)
                assert_int_equal(e.point[i], ' ');
}

struct unescape_row {
        const char *name;
        const char *in;
        size_t cap;
        int ret;
        const char *out; /* when ret >= 0 */
};

static const struct unescape_row unescape_rows[] = {
    {"plain", "/sys/fs/cgroup", 64, 14, "/sys/fs/cgroup"},
    {"empty", "", 64, 0, ""},
    {"space", "a\\040b", 64, 3, "a b"},
    {"tab", "a\\011b", 64, 3, "a\tb"},
    {"newline", "a\\012b", 64, 3, "a\nb"},
    {"backslash", "a\\134b", 64, 3, "a\\b"},
    {"only_escape", "\\040", 64, 1, " "},
    {"escape_at_end", "ab\\040", 64, 3, "ab "},
    {"adjacent_escapes", "\\040\\040\\134", 64, 3, "  \\"},
    {"escaped_backslash_then_digits", "\\134040", 64, 4, "\\040"},
    {"short_escape_at_end_kept", "ab\\04", 64, 5, "ab\\04"},
    {"lone_backslash_at_end_kept", "ab\\", 64, 3, "ab\\"},
    {"non_octal_digit_kept", "a\\089", 64, 5, "a\\089"},
    {"non_digit_kept", "a\\x41", 64, 5, "a\\x41"},
    {"above_0377_kept", "a\\777", 64, 5, "a\\777"},
    {"max_byte_0377", "a\\377", 64, 2, "a\xff"},
    {"cap_exact", "abc", 4, 3, "abc"},
    {"cap_exact_decoded", "a\\040b", 4, 3, "a b"},
    {"cap_one_short", "abc", 3, -ENAMETOOLONG, NULL},
    {"cap_one_short_decoded", "a\\040bc", 4, -ENAMETOOLONG, NULL},
    {"cap_one_for_empty", "", 1, 0, ""},
    {"cap_zero", "", 0, -ENAMETOOLONG, NULL},
    {"cap_zero_nonempty", "a", 0, -ENAMETOOLONG, NULL},
};

/* Which v1 hierarchies hold the cpu controller: "cpu" as a whole token of the super
 * options, alone or joined ("cpu,cpuacct"); "cpuacct" and "cpuset" are other controllers. */
struct cpu_row {
        const char *name;
        const char *line;
        enum mount_kind kind;
        bool v1_cpu;
};

static const struct cpu_row cpu_rows[] = {
    {"cpu_alone", "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
     MOUNT_CGROUP1_OTHER, true},
    {"cpu_cpuacct_joined",
     "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:19 - cgroup cgroup rw,cpu,cpuacct",
     MOUNT_CGROUP1_OTHER, true},
    {"cpuacct_alone", "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
     MOUNT_CGROUP1_OTHER, false},
    {"cpuset_alone", "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
     MOUNT_CGROUP1_OTHER, false},
    {"cpu_with_memory", "34 30 0:31 / /sys/fs/cgroup/all rw - cgroup cgroup rw,memory,cpu",
     MOUNT_CGROUP1_MEMORY, true},
    {"mount_point_named_cpu", "35 30 0:32 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,pids",
     MOUNT_CGROUP1_OTHER, false},
    {"cgroup2_never", "40 30 0:37 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,cpu", MOUNT_CGROUP2,
     false},
    {"not_cgroup", "22 26 0:21 / /sys rw,relatime - sysfs cpu rw,cpu", MOUNT_OTHER, false},
};

static void test_v1_cpu_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(cpu_rows); i++) {
                const struct cpu_row *r = &cpu_rows[i];
                struct mount_entry e;
                memset(&e, 0x5a, sizeof(e));
                CHECK_INT(r->name, mountinfo_parse_line(r->line, strlen(r->line), &e), 0);
                CHECK_INT(r->name, e.kind, r->kind);
                CHECK_INT(r->name, e.v1_cpu, r->v1_cpu);
        }
        ROWS_DONE();
}

static void test_unescape_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(unescape_rows); i++) {
                const struct unescape_row *r = &unescape_rows[i];
                char out[80];
                memset(out, '#', sizeof(out));
                int n = mountinfo_unescape(r->in, strlen(r->in), out, r->cap);
                CHECK_INT(r->name, n, r->ret);
                if (n < 0 || n != r->ret)
                        continue;
                if (memcmp(out, r->out, (size_t)n + 1) != 0)
                        ROW_FAIL(r->name, "decoded \"%.*s\", want \"%s\"", n, out, r->out);
                CHECK_INT(r->name, out[r->cap], '#'); /* nothing written past cap */
        }
        ROWS_DONE();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_line_table),
            cmocka_unit_test(test_real_mountinfo_file),
            cmocka_unit_test(test_parse_line_respects_len),
            cmocka_unit_test(test_path_length_limit),
            cmocka_unit_test(test_unescape_table),
            cmocka_unit_test(test_v1_cpu_table),
        };
        return cmocka_run_group_tests_name("mountinfo_parse", tests, NULL, NULL);
}
