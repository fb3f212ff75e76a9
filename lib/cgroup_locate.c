#include "cgroup_locate.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "value_parse.h"

void cgroup_locate_begin(struct locate_state *st, const struct proc_cgroup *pc)
{
        st->pc = pc;
        st->v1.found = false;
        st->v2.found = false;
}

size_t cgroup_parent_len(const struct cgroup_location *loc, size_t len)
{
        if (len <= loc->top_len)
                return len;
        while (len > loc->top_len && loc->dir[len - 1] != '/')
                len--;
        if (len > loc->top_len)
                len--; /* drop the slash too */
        return len;
}

/* Length of the mount root that prefixes path component-wise, or -1. "/" prefixes anything. */
static long root_prefix(const char *root, const char *path)
{
        size_t rl = strlen(root);
        if (rl == 1 && root[0] == '/')
                return 0;
        if (strncmp(path, root, rl) != 0)
                return -1;
        if (path[rl] != '\0' && path[rl] != '/')
                return -1;
        return (long)rl;
}

/* A mount made outside our cgroup namespace shows its root relative to the namespace root:
 * "/.." once per level above it (kernfs_path_from_node). Returns the level count, or 0 when
 * root is not of that form ("/../sibling" is not an ancestor either). */
static unsigned levels_above_ns(const char *root)
{
        unsigned up = 0;
        const char *p = root;
        while (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0')) {
                up++;
                p += 3;
        }
        return *p == '\0' ? up : 0;
}

static int build_dir(struct cgroup_location *loc, const char *point, const char *suffix)
{
        if (suffix[0] == '/' && suffix[1] == '\0')
                suffix = "";
        /* A hierarchy mounted at "/" would give "//x"; only the mount point's own slash goes. */
        const char *p = (point[0] == '/' && point[1] == '\0' && suffix[0]) ? "" : point;
        int n = cgl_path_join(loc->dir, sizeof(loc->dir), p, suffix, NULL);
        if (n < 0)
                return n;
        loc->top_len = strlen(p);
        if (loc->top_len == 0)
                loc->top_len = 1;
        return 0;
}

void cgroup_locate_consider(struct locate_state *st, const struct mount_entry *e,
                            struct cgroup_location *scratch)
{
        struct locate_candidate *c;
        const char *path;
        int version;

        bool v1_match = st->pc->controller == CGL_CPU ? e->kind != MOUNT_CGROUP2 && e->v1_cpu
                                                      : e->kind == MOUNT_CGROUP1_MEMORY;
        if (e->kind != MOUNT_OTHER && v1_match && st->pc->has_v1) {
                c = &st->v1;
                path = st->pc->v1_path;
                version = 1;
        } else if (e->kind == MOUNT_CGROUP2 && st->pc->has_unified) {
                c = &st->v2;
                path = st->pc->unified_path;
                version = 2;
        } else {
                return;
        }

        long m = root_prefix(e->root, path);
        if (m >= 0) {
                if (c->found && !c->outside_ns && (size_t)m <= c->match_len)
                        return;
                struct cgroup_location *loc = scratch;
                loc->version = version;
                if (build_dir(loc, e->point, path + m) < 0)
                        return;
                loc->top_is_root = (strcmp(e->root, "/") == 0);
                c->found = true;
                c->outside_ns = false;
                c->up = 0;
                c->match_len = (size_t)m;
                c->loc = *loc;
                return;
        }

        unsigned up = levels_above_ns(e->root);
        if (up == 0 || c->found)
                return;
        c->loc.version = version;
        if (build_dir(&c->loc, e->point, "") < 0)
                return;
        c->loc.top_is_root = false;
        c->found = true;
        c->outside_ns = true;
        c->up = up;
        c->match_len = 0;
}

int cgroup_locate_finish(const struct locate_state *st, struct cgroup_location *out,
                         unsigned *up_levels)
{
        const struct locate_candidate *c = NULL;
        if (st->v1.found)
                c = &st->v1;
        else if (st->v2.found && !st->pc->has_v1)
                c = &st->v2;
        else if (st->v2.found)
                /* The controller is bound to a v1 hierarchy this mount namespace does not
                 * show; the unified hierarchy does not have it then, so nothing can be read. */
                return -ENOENT;
        if (!c)
                return -ENOENT;
        *out = c->loc;
        *up_levels = c->up;
        return c->outside_ns ? -EXDEV : 0;
}

static int feed_proc_cgroup(void *ctx, const char *line, size_t len)
{
        if (len == 0)
                return 0;
        return proc_cgroup_parse_line(line, len, ctx);
}

struct mount_feed {
        struct cgl_io *io;
        struct locate_work *w;
};

/* Another process's mount points are paths in its mount namespace: reached through
 * io->mount_prefix (its /proc/PID/root) from ours. */
static int prefix_point(const struct cgl_io *io, struct mount_entry *e)
{
        if (!io->mount_prefix || e->kind == MOUNT_OTHER)
                return 0;
        size_t p = strlen(io->mount_prefix), n = strlen(e->point);
        if (p + n >= sizeof(e->point))
                return -ENAMETOOLONG;
        memmove(e->point + p, e->point, n + 1);
        memcpy(e->point, io->mount_prefix, p);
        return 0;
}

static int feed_mountinfo(void *ctx, const char *line, size_t len)
{
        struct mount_feed *f = ctx;
        struct locate_work *w = f->w;
        if (len == 0)
                return 0;
        int r = mountinfo_parse_line(line, len, &w->entry);
        if (r == 0)
                r = prefix_point(f->io, &w->entry);
        if (r == -ENAMETOOLONG)
                return 0; /* an unrelated mount with a huge path must not hide ours */
        if (r < 0)
                return r;
        cgroup_locate_consider(&w->st, &w->entry, &w->candidate);
        return 0;
}

/* Budget for the namespace search: directories visited before giving up. */
#define NS_SEARCH_BUDGET 4096

/* What the recursive search below passes down. */
struct search {
        struct cgl_io *io;
        struct search_ctx *s;
};

static int pid_line(void *ctx, const char *line, size_t len)
{
        struct search_ctx *s = ctx;
        uint64_t v;
        if (cgl_parse_u64(line, len, &v) == 0 && v == (uint64_t)s->pid) {
                s->found = 1;
                return 1;
        }
        return 0;
}

static bool holds_pid(struct search *sr)
{
        struct search_ctx *s = sr->s;
        if (cgl_path_join(s->file, sizeof(s->file), s->path, s->suffix, "/cgroup.procs") < 0)
                return false;
        s->found = 0;
        return cgl_read_lines(sr->io, s->file, pid_line, s) == 0 && s->found;
}

static int search_level(struct search *sr);

static int visit_subdir(void *ctx, const char *name)
{
        struct search *sr = ctx;
        struct search_ctx *s = sr->s;
        if (s->budget == 0)
                return -ENOENT;
        s->budget--;
        size_t saved = s->len;
        size_t n = strlen(name);
        if (saved + 1 + n >= sizeof(s->path))
                return 0;
        s->path[saved] = '/';
        memcpy(s->path + saved + 1, name, n + 1);
        s->len = saved + 1 + n;
        s->depth_left--;
        int r = search_level(sr);
        s->depth_left++;
        if (r == 0) {
                s->len = saved;
                s->path[saved] = '\0';
        }
        return r;
}

/* Returns 1 with s->path set when found, 0 to go on, < 0 to give up. */
static int search_level(struct search *sr)
{
        struct search_ctx *s = sr->s;
        if (s->depth_left == 0)
                return holds_pid(sr) ? 1 : 0;
        char *buf = s->dirents[s->depth_left - 1];
        int r = cgl_list_subdirs(sr->io, s->path, buf, CGL_SEARCH_DIRENT, visit_subdir, sr);
        if (r < 0)
                return r;
        /* cgl_list_subdirs maps a callback's "stop" (1) to 0: a found path is still in place. */
        return s->found ? 1 : 0;
}

int cgroup_search_ns_dir(struct cgl_io *io, struct locate_work *w, struct cgroup_location *loc,
                         unsigned up_levels, const char *suffix, pid_t pid)
{
        struct search_ctx *s = &w->search;
        if (up_levels > CGL_SEARCH_DEPTH)
                return -ENOENT;
        s->len = strlen(loc->dir);
        if (s->len >= sizeof(s->path))
                return -ENAMETOOLONG;
        memcpy(s->path, loc->dir, s->len + 1);
        s->depth_left = up_levels;
        s->suffix = (suffix[0] == '/' && suffix[1] == '\0') ? "" : suffix;
        s->pid = pid;
        s->budget = NS_SEARCH_BUDGET;
        s->found = 0;
        struct search sr = {.io = io, .s = s};
        int r = search_level(&sr);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENOENT;
        /* The levels between the mount point and the namespace root are readable through
         * this mount, so top_len keeps pointing at the mount point. */
        if (cgl_path_join(loc->dir, sizeof(loc->dir), s->path, s->suffix, NULL) < 0)
                return -ENAMETOOLONG;
        loc->top_is_root = false;
        return 0;
}

int cgroup_proc_cgroup_read(struct cgl_io *io, enum cgl_controller controller,
                            struct proc_cgroup *pc)
{
        proc_cgroup_init_for(pc, controller);
        int r = cgl_proc_path(io, "cgroup");
        if (r < 0)
                return r;
        return cgl_read_lines(io, io->name, feed_proc_cgroup, pc);
}

int cgroup_locate(struct cgl_io *io, pid_t pid, struct locate_work *w, struct cgroup_location *out)
{
        int r = cgroup_proc_cgroup_read(io, CGL_MEMORY, &w->pc);
        if (r < 0)
                return r;
        return cgroup_locate_parsed(io, pid, &w->pc, w, out);
}

int cgroup_locate_mounts(struct cgl_io *io, const struct proc_cgroup *pc, struct locate_work *w,
                         struct cgroup_location *out, unsigned *up_levels)
{
        cgroup_locate_begin(&w->st, pc);
        struct mount_feed feed = {.io = io, .w = w};
        int r = cgl_proc_path(io, "mountinfo");
        if (r >= 0)
                r = cgl_read_lines(io, io->name, feed_mountinfo, &feed);
        if (r < 0)
                return r;
        *up_levels = 0;
        return cgroup_locate_finish(&w->st, out, up_levels);
}

int cgroup_locate_search(struct cgl_io *io, pid_t pid, const struct proc_cgroup *pc,
                         unsigned up_levels, struct locate_work *w, struct cgroup_location *out)
{
        const char *path = out->version == 1 ? pc->v1_path : pc->unified_path;
        if (pid == 0)
                pid = (pid_t)syscall(SYS_getpid);
        return cgroup_search_ns_dir(io, w, out, up_levels, path, pid);
}

int cgroup_locate_parsed(struct cgl_io *io, pid_t pid, const struct proc_cgroup *pc,
                         struct locate_work *w, struct cgroup_location *out)
{
        unsigned up = 0;
        int r = cgroup_locate_mounts(io, pc, w, out, &up);
        if (r != -EXDEV)
                return r;
        return cgroup_locate_search(io, pid, pc, up, w, out);
}

int cgroup_level_file(struct cgl_io *io, const struct cgroup_location *loc, size_t dir_len,
                      const char *name)
{
        size_t n = strlen(name);
        if (dir_len + 1 + n >= sizeof(io->name))
                return -ENAMETOOLONG;
        /* The hierarchy mounted at "/" makes the root level the empty string. */
        memcpy(io->name, loc->dir, dir_len);
        io->name[dir_len] = '/';
        memcpy(io->name + dir_len + 1, name, n + 1);
        return 0;
}
