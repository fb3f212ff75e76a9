/* Unit tests for lib/file_read.c, on files and directories made under a mkdtemp directory and
 * on real /proc files. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "table_check.h"

#include "file_read.h"

/* The reads' context for a root, in static storage (each call starts afresh). */
static struct cgl_io *IO(const char *root)
{
        static struct cgl_io io;
        cgl_io_init(&io, root);
        return &io;
}

static int list_subdirs(const char *root, const char *path, cgl_dir_fn fn, void *ctx)
{
        static _Alignas(8) char buf[512];
        return cgl_list_subdirs(IO(root), path, buf, sizeof(buf), fn, ctx);
}

/* ---- scratch directory -------------------------------------------------------------------- */

static char tmpdir[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

static int setup_tmpdir(void **state)
{
        (void)state;
        strcpy(tmpdir, "/tmp/cgl_file_read_XXXXXX");
        return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmpdir(void **state)
{
        (void)state;
        return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir + rel */
static const char *at(const char *rel)
{
        static char buf[16][CGL_PATH_MAX * 2];
        static unsigned next;
        char *b = buf[next++ % 16];
        snprintf(b, sizeof(buf[0]), "%s%s", tmpdir, rel);
        return b;
}

static void write_file(const char *rel, const char *data, size_t len)
{
        int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        size_t off = 0;
        while (off < len) {
                ssize_t n = write(fd, data + off, len - off);
                assert_true(n > 0);
                off += (size_t)n;
        }
        assert_int_equal(close(fd), 0);
}

static void write_str(const char *rel, const char *s)
{
        write_file(rel, s, strlen(s));
}

static void make_dir(const char *rel)
{
        if (mkdir(at(rel), 0755) != 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", at(rel), strerror(errno));
}

static int ignore_line(void *ctx, const char *line, size_t len)
{
        (void)ctx;
        (void)line;
        (void)len;
        return 0;
}

static int ignore_name(void *ctx, const char *name)
{
        (void)ctx;
        (void)name;
        return 0;
}

/* ---- cgl_path_join ------------------------------------------------------------------------ */

struct join_row {
        const char *name;
        const char *prefix, *a, *b;
        size_t cap;
        int ret;
        const char *out; /* when ret >= 0 */
};

static const struct join_row join_rows[] = {
    {"prefix_null", NULL, "/proc/meminfo", NULL, 64, 13, "/proc/meminfo"},
    {"prefix_empty", "", "/proc/meminfo", NULL, 64, 13, "/proc/meminfo"},
    {"prefix_joined", "/srv/root", "/proc/meminfo", NULL, 64, 22, "/srv/root/proc/meminfo"},
    {"three_parts", "/r", "/sys/fs/cgroup/memory", "/memory.stat", 64, 35,
     "/r/sys/fs/cgroup/memory/memory.stat"},
    {"middle_null", "/r", NULL, "/x", 64, 4, "/r/x"},
    {"all_null", NULL, NULL, NULL, 8, 0, ""},
    {"cap_exact", "/r", "/ab", NULL, 6, 5, "/r/ab"},
    {"cap_one_short", "/r", "/ab", NULL, 5, -ENAMETOOLONG, NULL},
    {"cap_one_short_in_last_part", "/r", "/a", "/bc", 7, -ENAMETOOLONG, NULL},
    {"cap_exact_three_parts", "/r", "/a", "/bc", 8, 7, "/r/a/bc"},
    {"cap_one_empty", NULL, "", NULL, 1, 0, ""},
    {"cap_zero", NULL, NULL, NULL, 0, -ENAMETOOLONG, NULL},
    {"cap_zero_empty_part", NULL, "", NULL, 0, -ENAMETOOLONG, NULL},
};

static void test_path_join_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(join_rows); i++) {
                const struct join_row *r = &join_rows[i];
                char out[80];
                memset(out, '#', sizeof(out));
                int n = cgl_path_join(out, r->cap, r->prefix, r->a, r->b);
                CHECK_INT(r->name, n, r->ret);
                if (n >= 0 && n == r->ret)
                        CHECK_STR(r->name, out, r->out);
                if (out[r->cap] != '#')
                        ROW_FAIL(r->name, "%s", "written past cap");
        }
        ROWS_DONE();
}

/* ---- cgl_read_file ------------------------------------------------------------------------ */

static void test_read_file_small(void **state)
{
        (void)state;
        write_str("/small", "max\n");
        char buf[64];
        memset(buf, '#', sizeof(buf));
        assert_int_equal(cgl_read_file(IO(NULL), at("/small"), buf, sizeof(buf)), 4);
        assert_memory_equal(buf, "max\n", 5);
        assert_int_equal(buf[5], '#');

        write_str("/empty", "");
        memset(buf, '#', sizeof(buf));
        assert_int_equal(cgl_read_file(IO(NULL), at("/empty"), buf, sizeof(buf)), 0);
        assert_int_equal(buf[0], '\0');

        /* Binary content comes through as it is. */
        write_file("/binary", "a\0b\n", 4);
        assert_int_equal(cgl_read_file(IO(NULL), at("/binary"), buf, sizeof(buf)), 4);
        assert_memory_equal(buf, "a\0b\n", 5);
}

struct cap_row {
        const char *name;
        size_t size; /* file bytes */
        size_t cap;
        int ret;
};

static const struct cap_row cap_rows[] = {
    {"exact_fit", 100, 101, 100},
    {"one_byte_too_big", 100, 100, -EFBIG},
    {"far_too_big", 100, 10, -EFBIG},
    {"one_byte_file_cap_2", 1, 2, 1},
    {"two_byte_file_cap_2", 2, 2, -EFBIG},
    {"empty_file_cap_2", 0, 2, 0},
    {"cap_1_refused", 0, 1, -EINVAL},
    {"cap_0_refused", 0, 0, -EINVAL},
    {"page_exact_fit", 4095, 4096, 4095},
    {"page_too_big", 4096, 4096, -EFBIG},
    {"large_exact_fit", 20000, 20001, 20000},
    {"large_one_byte_too_big", 20001, 20001, -EFBIG},
};

static void test_read_file_cap_boundary(void **state)
{
        (void)state;
        static char data[20001], buf[20002 + 16];
        for (size_t i = 0; i < sizeof(data); i++)
                data[i] = (char)('a' + i % 26);
        for (size_t i = 0; i < N_ROWS(cap_rows); i++) {
                const struct cap_row *r = &cap_rows[i];
                write_file("/cap", data, r->size);
                memset(buf, '#', sizeof(buf));
                int n = cgl_read_file(IO(NULL), at("/cap"), buf, r->cap);
                CHECK_INT(r->name, n, r->ret);
                if (n >= 0 && n == r->ret) {
                        if (memcmp(buf, data, (size_t)n) != 0 || buf[n] != '\0')
                                ROW_FAIL(r->name, "%s", "content or terminator wrong");
                }
                /* Never written past cap. */
                if (buf[r->cap] != '#')
                        ROW_FAIL(r->name, "%s", "written past cap");
        }
        ROWS_DONE();
}

static void test_read_file_errors(void **state)
{
        (void)state;
        char buf[64];
        write_str("/plain", "x");
        make_dir("/adir");
        assert_int_equal(cgl_read_file(IO(NULL), at("/missing"), buf, sizeof(buf)), -ENOENT);
        assert_int_equal(
            cgl_read_file(IO(at("/nonexistent_root")), "/proc/meminfo", buf, sizeof(buf)), -ENOENT);
        assert_int_equal(cgl_read_file(IO(NULL), at("/adir"), buf, sizeof(buf)), -EISDIR);
        assert_int_equal(cgl_read_file(IO(NULL), at("/plain/x"), buf, sizeof(buf)), -ENOTDIR);
}

/* root is a plain prefix of path. */
static void test_read_file_root_prefix(void **state)
{
        (void)state;
        make_dir("/root");
        make_dir("/root/proc");
        write_str("/root/proc/meminfo", "MemTotal: 1 kB\nMemFree: 0 kB\n");
        char buf[64];
        assert_int_equal(cgl_read_file(IO(at("/root")), "/proc/meminfo", buf, sizeof(buf)), 29);
        assert_string_equal(buf, "MemTotal: 1 kB\nMemFree: 0 kB\n");
        /* "" and NULL mean no prefix. */
        assert_int_equal(cgl_read_file(IO(""), at("/root/proc/meminfo"), buf, sizeof(buf)), 29);
        assert_int_equal(cgl_read_file(IO(NULL), at("/root/proc/meminfo"), buf, sizeof(buf)), 29);

        /* The fixture trees are read the same way. */
        char host[4096];
        int n =
            cgl_read_file(IO(CGLIMITS_FIXTURES "/v1_plain"), "/proc/meminfo", host, sizeof(host));
        assert_true(n > 0);
        assert_memory_equal(host, "MemTotal:       24683620 kB\n", 28);
        assert_int_equal(host[n - 1], '\n');
}

/* A path of 200-byte components whose total with root is len bytes. */
static void build_long_path(char *out, size_t root_len, size_t total)
{
        size_t p = 0, want = total - root_len;
        while (p < want) {
                out[p++] = '/';
                for (int k = 0; k < 200 && p < want; k++)
                        out[p++] = 'n';
        }
        out[p] = '\0';
}

/* CGL_PATH_MAX - 1 bytes with the root reach the kernel (ENOENT); one more is -ENAMETOOLONG
 * for every function, before any system call. */
static void test_path_length_limit(void **state)
{
        (void)state;
        static char path[CGL_PATH_MAX + 64];
        char buf[64];
        uint64_t ino = 7;
        size_t rl = strlen(tmpdir);

        build_long_path(path, rl, CGL_PATH_MAX - 1);
        assert_int_equal(rl + strlen(path), CGL_PATH_MAX - 1);
        assert_int_equal(cgl_read_file(IO(tmpdir), path, buf, sizeof(buf)), -ENOENT);
        assert_int_equal(cgl_path_exists(IO(tmpdir), path), 0);
        assert_int_equal(cgl_path_inode(IO(tmpdir), path, &ino), -ENOENT);

        build_long_path(path, rl, CGL_PATH_MAX);
        assert_int_equal(rl + strlen(path), CGL_PATH_MAX);
        assert_int_equal(cgl_read_file(IO(tmpdir), path, buf, sizeof(buf)), -ENAMETOOLONG);
        assert_int_equal(cgl_read_lines(IO(tmpdir), path, ignore_line, NULL), -ENAMETOOLONG);
        assert_int_equal(cgl_path_exists(IO(tmpdir), path), -ENAMETOOLONG);
        assert_int_equal(cgl_path_inode(IO(tmpdir), path, &ino), -ENAMETOOLONG);
        assert_int_equal(list_subdirs(tmpdir, path, ignore_name, NULL), -ENAMETOOLONG);
        assert_true(ino == 7);
}

/* Proc files report st_size 0: the size is learnt by reading. */
static void test_read_file_proc_status(void **state)
{
        (void)state;
        static char buf[16384];
        struct stat st;
        assert_int_equal(stat("/proc/self/status", &st), 0);
        assert_int_equal(st.st_size, 0);

        int n = cgl_read_file(IO(NULL), "/proc/self/status", buf, sizeof(buf));
        assert_true(n > 100);
        assert_int_equal(strlen(buf), n);
        assert_memory_equal(buf, "Name:\t", 6);
        char pid_line[32];
        snprintf(pid_line, sizeof(pid_line), "\nPid:\t%d\n", (int)getpid());
        assert_non_null(strstr(buf, pid_line));
        assert_int_equal(buf[n - 1], '\n');

        assert_int_equal(cgl_read_file(IO(NULL), "/proc/self/status", buf, 64), -EFBIG);
        assert_int_equal(cgl_read_file(IO("/proc"), "/self/status", buf, sizeof(buf)), n);
}

/* A multi-record seq_file (one record per mapping) hands out at most a page per read(2), so a
 * short read is not its end: the whole file must come back, or -EFBIG. */
static void test_read_file_multi_page_proc(void **state)
{
        (void)state;
        static char want[256 * 1024], got[256 * 1024];
        long page = sysconf(_SC_PAGESIZE);
        size_t npages = 256;
        char *map =
            mmap(NULL, (size_t)page * npages, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(map != MAP_FAILED);
        /* Alternate protections split the mapping into 256 lines of /proc/self/maps. */
        for (size_t i = 0; i < npages; i += 2)
                assert_int_equal(mprotect(map + i * (size_t)page, (size_t)page, PROT_NONE), 0);

        int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        size_t len = 0;
        for (;;) {
                ssize_t n = read(fd, want + len, sizeof(want) - 1 - len);
                assert_true(n >= 0);
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        close(fd);
        assert_true(len > 8192);

        int n = cgl_read_file(IO(NULL), "/proc/self/maps", got, sizeof(got));
        munmap(map, (size_t)page * npages);
        if (n != (int)len)
                fail_msg("cgl_read_file(IO(/proc/self/maps)) = %d, the file has %zu bytes", n, len);
        assert_memory_equal(got, want, len);
}

/* ---- cgl_read_lines ----------------------------------------------------------------------- */

#define MAX_LINES 16

struct collect {
        unsigned n;
        char line[MAX_LINES][64];
        size_t len[MAX_LINES];
        unsigned stop_at; /* 1-based line number to return stop_ret at, 0 for never */
        int stop_ret;
};

static int collect_line(void *ctx, const char *line, size_t len)
{
        struct collect *c = ctx;
        if (c->n < MAX_LINES) {
                size_t k = len < sizeof(c->line[0]) - 1 ? len : sizeof(c->line[0]) - 1;
                memcpy(c->line[c->n], line, k);
                c->line[c->n][k] = '\0';
                c->len[c->n] = len;
        }
        c->n++;
        if (c->stop_at && c->n == c->stop_at)
                return c->stop_ret;
        return 0;
}

struct lines_row {
        const char *name;
        const char *content;
        unsigned stop_at;
        int stop_ret;
        int ret;
        unsigned nlines; /* callbacks made */
        const char *lines[6];
};

static const struct lines_row lines_rows[] = {
    {"trailing_newline", "a\nbb\nccc\n", 0, 0, 0, 3, {"a", "bb", "ccc"}},
    {"no_trailing_newline", "a\nbb\nccc", 0, 0, 0, 3, {"a", "bb", "ccc"}},
    {"empty_file", "", 0, 0, 0, 0, {NULL}},
    {"only_newline", "\n", 0, 0, 0, 1, {""}},
    {"empty_lines_kept", "a\n\nb\n", 0, 0, 0, 3, {"a", "", "b"}},
    {"empty_line_at_end", "a\n\n", 0, 0, 0, 2, {"a", ""}},
    {"single_line_no_newline", "0::/user.slice", 0, 0, 0, 1, {"0::/user.slice"}},
    {"carriage_return_kept", "a\r\nb\r\n", 0, 0, 0, 2, {"a\r", "b\r"}},
    {"stop_early_with_1", "a\nb\nc\nd\n", 2, 1, 0, 2, {"a", "b"}},
    {"stop_early_with_5", "a\nb\nc\nd\n", 3, 5, 0, 3, {"a", "b", "c"}},
    {"stop_at_unterminated_last", "a\nb", 2, 1, 0, 2, {"a", "b"}},
    {"error_propagates", "a\nb\nc\nd\n", 2, -EIO, -EIO, 2, {"a", "b"}},
    {"error_on_first_line", "a\nb\n", 1, -ENODATA, -ENODATA, 1, {"a"}},
    {"error_on_unterminated_last", "a\nb", 2, -EINVAL, -EINVAL, 2, {"a", "b"}},
};

static void test_read_lines_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(lines_rows); i++) {
                const struct lines_row *r = &lines_rows[i];
                write_str("/lines", r->content);
                struct collect c = {.stop_at = r->stop_at, .stop_ret = r->stop_ret};
                CHECK_INT(r->name, cgl_read_lines(IO(NULL), at("/lines"), collect_line, &c),
                          r->ret);
                CHECK_INT(r->name, c.n, r->nlines);
                for (unsigned k = 0; k < r->nlines && k < c.n && k < 6; k++) {
                        CHECK_STR(r->name, c.line[k], r->lines[k]);
                        CHECK_INT(r->name, c.len[k], strlen(r->lines[k]));
                }
        }
        ROWS_DONE();
}

static void test_read_lines_errors(void **state)
{
        (void)state;
        struct collect c = {0};
        make_dir("/ldir");
        assert_int_equal(cgl_read_lines(IO(NULL), at("/missing"), collect_line, &c), -ENOENT);
        assert_int_equal(cgl_read_lines(IO(NULL), at("/ldir"), collect_line, &c), -EISDIR);
        assert_int_equal(c.n, 0);

        make_dir("/lroot");
        write_str("/lroot/cgroup", "4:memory:/a\n0::/b\n");
        assert_int_equal(cgl_read_lines(IO(at("/lroot")), "/cgroup", collect_line, &c), 0);
        assert_int_equal(c.n, 2);
        assert_string_equal(c.line[1], "0::/b");
}

/* Lines whose bytes are line_byte(k, j), so that any misplaced byte shows. */
static char line_byte(unsigned k, size_t j)
{
        return (char)('!' + (k * 31 + j) % 90);
}

struct check_ctx {
        const size_t *lens;
        unsigned nlines;
        unsigned seen;
        int bad;
};

static int check_line(void *ctx, const char *line, size_t len)
{
        struct check_ctx *c = ctx;
        unsigned k = c->seen++;
        if (k >= c->nlines || len != c->lens[k]) {
                c->bad++;
                return 0;
        }
        for (size_t j = 0; j < len; j++)
                if (line[j] != line_byte(k, j)) {
                        c->bad++;
                        break;
                }
        return 0;
}

static size_t build_lines(char *buf, const size_t *lens, unsigned n, bool trailing_newline)
{
        size_t p = 0;
        for (unsigned k = 0; k < n; k++) {
                for (size_t j = 0; j < lens[k]; j++)
                        buf[p++] = line_byte(k, j);
                if (k + 1 < n || trailing_newline)
                        buf[p++] = '\n';
        }
        return p;
}

struct chunk_row {
        const char *name;
        size_t lens[8];
        unsigned nlines;
        bool trailing_newline;
        int ret;
        unsigned delivered; /* lines delivered intact before ret */
};

/* The reader's chunk is 4096 bytes: a line and its newline must fit in it. */
static const struct chunk_row chunk_rows[] = {
    {"newline_last_byte_of_chunk", {4095, 3}, 2, true, 0, 2},
    {"newline_first_byte_of_next_chunk", {100, 3995, 7}, 3, true, 0, 3},
    {"lines_straddle_chunks", {4000, 4000, 4000, 4000}, 4, true, 0, 4},
    {"longest_line_alone", {4095}, 1, true, 0, 1},
    {"longest_line_unterminated", {4095}, 1, false, 0, 1},
    {"last_line_straddles_unterminated", {4090, 10}, 2, false, 0, 2},
    {"short_then_longest", {1, 4095, 1}, 3, true, 0, 3},
    {"line_4097_efbig", {4097}, 1, true, -EFBIG, 0},
    {"line_5000_unterminated_efbig", {5000}, 1, false, -EFBIG, 0},
    {"long_line_after_good_ones", {10, 20, 6000, 5}, 4, true, -EFBIG, 2},
};

static void test_read_lines_chunk_boundaries(void **state)
{
        (void)state;
        static char buf[64 * 1024];
        for (size_t i = 0; i < N_ROWS(chunk_rows); i++) {
                const struct chunk_row *r = &chunk_rows[i];
                size_t len = build_lines(buf, r->lens, r->nlines, r->trailing_newline);
                write_file("/chunks", buf, len);
                struct check_ctx c = {.lens = r->lens, .nlines = r->nlines};
                CHECK_INT(r->name, cgl_read_lines(IO(NULL), at("/chunks"), check_line, &c), r->ret);
                CHECK_INT(r->name, c.seen, r->delivered);
                CHECK_INT(r->name, c.bad, 0);
        }
        ROWS_DONE();
}

/* About 10 KB of lines of every length from 0 to 60: all delivered, in order, intact. */
static void test_read_lines_many_lines(void **state)
{
        (void)state;
        enum { N = 400 };
        static size_t lens[N];
        static char buf[64 * 1024];
        size_t total = 0;
        for (unsigned k = 0; k < N; k++) {
                lens[k] = (k * 7) % 61;
                total += lens[k] + 1;
        }
        assert_true(total > 10000);
        for (int trailing = 1; trailing >= 0; trailing--) {
                size_t len = build_lines(buf, lens, N, trailing);
                write_file("/many", buf, len);
                struct check_ctx c = {.lens = lens, .nlines = N};
                assert_int_equal(cgl_read_lines(IO(NULL), at("/many"), check_line, &c), 0);
                assert_int_equal(c.seen, N);
                assert_int_equal(c.bad, 0);
        }
}

static int find_pid_line(void *ctx, const char *line, size_t len)
{
        const char *want = ctx;
        return strlen(want) == len && memcmp(line, want, len) == 0 ? 1 : 0;
}

static int count_line(void *ctx, const char *line, size_t len)
{
        (void)line;
        (void)len;
        (*(unsigned *)ctx)++;
        return 0;
}

/* Real proc files line by line. */
static void test_read_lines_proc(void **state)
{
        (void)state;
        char want[32];
        snprintf(want, sizeof(want), "Pid:\t%d", (int)getpid());
        assert_int_equal(cgl_read_lines(IO(NULL), "/proc/self/status", find_pid_line, want), 0);

        /* As many lines as the file has newlines (counted with plain read(2)). */
        static char chunk[4096];
        unsigned newlines = 0, lines = 0;
        int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        for (;;) {
                ssize_t n = read(fd, chunk, sizeof(chunk));
                assert_true(n >= 0);
                if (n == 0)
                        break;
                for (ssize_t i = 0; i < n; i++)
                        newlines += chunk[i] == '\n';
        }
        close(fd);
        assert_true(newlines > 0);
        assert_int_equal(cgl_read_lines(IO(NULL), "/proc/self/mountinfo", count_line, &lines), 0);
        assert_int_equal(lines, newlines);
}

/* ---- cgl_path_exists and cgl_path_inode --------------------------------------------------- */

static void test_path_exists(void **state)
{
        (void)state;
        write_str("/efile", "x");
        make_dir("/edir");
        assert_int_equal(symlink(at("/loop_b"), at("/loop_a")), 0);
        assert_int_equal(symlink(at("/loop_a"), at("/loop_b")), 0);

        struct {
                const char *name;
                const char *root;
                const char *path;
                int ret;
        } rows[] = {
            {"file", NULL, at("/efile"), 1},
            {"dir", NULL, at("/edir"), 1},
            {"missing", NULL, at("/nothing"), 0},
            {"through_a_file", NULL, at("/efile/x"), 0},
            {"root_joined", tmpdir, "/edir", 1},
            {"root_joined_missing", tmpdir, "/nothing", 0},
            {"symlink_loop", NULL, at("/loop_a"), -ELOOP},
            {"proc_self", NULL, "/proc/self/status", 1},
        };
        for (size_t i = 0; i < N_ROWS(rows); i++)
                CHECK_INT(rows[i].name, cgl_path_exists(IO(rows[i].root), rows[i].path),
                          rows[i].ret);
        ROWS_DONE();
}

static void test_path_inode(void **state)
{
        (void)state;
        struct stat st;
        uint64_t ino = 0;
        write_str("/ifile", "x");
        assert_int_equal(stat(at("/ifile"), &st), 0);
        assert_int_equal(cgl_path_inode(IO(NULL), at("/ifile"), &ino), 0);
        assert_true(ino == (uint64_t)st.st_ino);

        /* Symlinks are followed. */
        assert_int_equal(symlink(at("/ifile"), at("/ilink")), 0);
        ino = 0;
        assert_int_equal(cgl_path_inode(IO(tmpdir), "/ilink", &ino), 0);
        assert_true(ino == (uint64_t)st.st_ino);

        assert_int_equal(stat("/proc/self/ns/mnt", &st), 0);
        assert_int_equal(cgl_path_inode(IO(NULL), "/proc/self/ns/mnt", &ino), 0);
        assert_true(ino == (uint64_t)st.st_ino);

        ino = 12345;
        assert_int_equal(cgl_path_inode(IO(NULL), at("/nothing"), &ino), -ENOENT);
        assert_int_equal(cgl_path_inode(IO(NULL), at("/ifile/x"), &ino), -ENOTDIR);
        assert_true(ino == 12345);
}

/* ---- cgl_list_subdirs --------------------------------------------------------------------- */

#define MAX_NAMES 400

struct names {
        unsigned n;
        char name[MAX_NAMES][64];
        unsigned stop_at;
        int stop_ret;
};

static int collect_name(void *ctx, const char *name)
{
        struct names *c = ctx;
        if (c->n < MAX_NAMES)
                snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
        c->n++;
        if (c->stop_at && c->n == c->stop_at)
                return c->stop_ret;
        return 0;
}

static int cmp_name(const void *a, const void *b)
{
        return strcmp(a, b);
}

static void test_list_subdirs(void **state)
{
        (void)state;
        static struct names c;
        make_dir("/list");
        make_dir("/list/a");
        make_dir("/list/b");
        make_dir("/list/c");
        make_dir("/list/.hidden");
        make_dir("/list/...");
        make_dir("/list/a/nested");
        write_str("/list/f1", "x");
        write_str("/list/f2", "y");
        assert_int_equal(symlink("a", at("/list/link_to_dir")), 0);
        assert_int_equal(mkfifo(at("/list/fifo"), 0600), 0);

        memset(&c, 0, sizeof(c));
        assert_int_equal(list_subdirs(NULL, at("/list"), collect_name, &c), 0);
        assert_int_equal(c.n, 5);
        qsort(c.name, c.n, sizeof(c.name[0]), cmp_name);
        assert_string_equal(c.name[0], "...");
        assert_string_equal(c.name[1], ".hidden");
        assert_string_equal(c.name[2], "a");
        assert_string_equal(c.name[3], "b");
        assert_string_equal(c.name[4], "c");

        /* Joined under root; an empty directory calls nothing. */
        memset(&c, 0, sizeof(c));
        assert_int_equal(list_subdirs(tmpdir, "/list/a", collect_name, &c), 0);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.name[0], "nested");
        memset(&c, 0, sizeof(c));
        assert_int_equal(list_subdirs(tmpdir, "/list/b", collect_name, &c), 0);
        assert_int_equal(c.n, 0);

        /* Early stop and errors. */
        memset(&c, 0, sizeof(c));
        c.stop_at = 2;
        c.stop_ret = 1;
        assert_int_equal(list_subdirs(NULL, at("/list"), collect_name, &c), 0);
        assert_int_equal(c.n, 2);
        memset(&c, 0, sizeof(c));
        c.stop_at = 1;
        c.stop_ret = -EIO;
        assert_int_equal(list_subdirs(NULL, at("/list"), collect_name, &c), -EIO);
        assert_int_equal(c.n, 1);

        assert_int_equal(list_subdirs(NULL, at("/nothing"), collect_name, &c), -ENOENT);
        assert_int_equal(list_subdirs(NULL, at("/list/f1"), collect_name, &c), -ENOTDIR);
}

/* More entries than one getdents64 buffer holds: every subdirectory exactly once. */
static void test_list_subdirs_many(void **state)
{
        (void)state;
        static struct names c;
        enum { N = 300 };
        make_dir("/many_dirs");
        char rel[128];
        for (int i = 0; i < N; i++) {
                snprintf(rel, sizeof(rel), "/many_dirs/cgroup-%04d-abcdefghijklmnopqrstuvwxyz", i);
                make_dir(rel);
                snprintf(rel, sizeof(rel), "/many_dirs/file-%04d-abcdefghijklmnopqrstuvwxyz", i);
                write_str(rel, "");
        }
        memset(&c, 0, sizeof(c));
        assert_int_equal(list_subdirs(tmpdir, "/many_dirs", collect_name, &c), 0);
        assert_int_equal(c.n, N);
        qsort(c.name, c.n, sizeof(c.name[0]), cmp_name);
        for (int i = 0; i < N; i++) {
                snprintf(rel, sizeof(rel), "cgroup-%04d-abcdefghijklmnopqrstuvwxyz", i);
                assert_string_equal(c.name[i], rel);
        }
}

/* A real directory: /proc/self has subdirectories (fd, ns, task) and files (status). */
static void test_list_subdirs_proc(void **state)
{
        (void)state;
        static struct names c;
        memset(&c, 0, sizeof(c));
        assert_int_equal(list_subdirs(NULL, "/proc/self", collect_name, &c), 0);
        bool fd = false, ns = false, task = false, status = false;
        for (unsigned i = 0; i < c.n && i < MAX_NAMES; i++) {
                fd |= strcmp(c.name[i], "fd") == 0;
                ns |= strcmp(c.name[i], "ns") == 0;
                task |= strcmp(c.name[i], "task") == 0;
                status |= strcmp(c.name[i], "status") == 0;
        }
        assert_true(fd);
        assert_true(ns);
        assert_true(task);
        assert_false(status);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_path_join_table),
            cmocka_unit_test(test_read_file_small),
            cmocka_unit_test(test_read_file_cap_boundary),
            cmocka_unit_test(test_read_file_errors),
            cmocka_unit_test(test_read_file_root_prefix),
            cmocka_unit_test(test_path_length_limit),
            cmocka_unit_test(test_read_file_proc_status),
            cmocka_unit_test(test_read_file_multi_page_proc),
            cmocka_unit_test(test_read_lines_table),
            cmocka_unit_test(test_read_lines_errors),
            cmocka_unit_test(test_read_lines_chunk_boundaries),
            cmocka_unit_test(test_read_lines_many_lines),
            cmocka_unit_test(test_read_lines_proc),
            cmocka_unit_test(test_path_exists),
            cmocka_unit_test(test_path_inode),
            cmocka_unit_test(test_list_subdirs),
            cmocka_unit_test(test_list_subdirs_many),
            cmocka_unit_test(test_list_subdirs_proc),
        };
        return cmocka_run_group_tests_name("file_read", tests, setup_tmpdir, teardown_tmpdir);
}
