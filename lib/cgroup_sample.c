#include "cgroup_sample.h"

#include <errno.h>
#include <string.h>

#include "file_read.h"
#include "value_parse.h"

/* memory.stat of a v2 cgroup on 6.x is about 1.5 KiB, v1 about 1.3 KiB. */
#define STAT_BUF 4096

static int level_file(char *out, const struct cgroup_location *loc, unsigned dir_len,
                      const char *name)
{
        char dir[CGL_PATH_MAX];
        memcpy(dir, loc->dir, dir_len);
        dir[dir_len] = '\0';
        /* The hierarchy mounted at "/" would make the root level the empty string. */
        return cgl_path_join(out, CGL_PATH_MAX, dir_len ? dir : "", "/", name);
}

/* Reads one value file. -ENOENT is returned as is so that callers can tell "no such
 * controller file" from garbage. */
static int read_value(const char *root, const struct cgroup_location *loc, unsigned dir_len,
                      const char *name, uint64_t *out)
{
        char path[CGL_PATH_MAX];
        char buf[64];
        int r = level_file(path, loc, dir_len, name);
        if (r < 0)
                return r;
        r = cgl_read_file(root, path, buf, sizeof(buf));
        if (r < 0)
                return r;
        return cgl_parse_limit(buf, (size_t)r, out);
}

static int read_v2_level(const char *root, const struct cgroup_location *loc,
                         struct cgroup_level *lv, bool want_usage)
{
        uint64_t max, high;
        int r = read_value(root, loc, lv->dir_len, "memory.max", &max);
        if (r == -ENOENT) {
                /* No memory.max: the parent lacks +memory in cgroup.subtree_control, or this
                 * is the real root. Either way this level neither limits nor accounts. */
                lv->accounted = false;
                lv->limit = CGL_UNLIMITED;
                return 0;
        }
        if (r < 0)
                return r;
        r = read_value(root, loc, lv->dir_len, "memory.high", &high);
        if (r == -ENOENT)
                high = CGL_UNLIMITED;
        else if (r < 0)
                return r;
        lv->accounted = true;
        lv->limit = max;
        lv->source = LIMIT_V2_MAX;
        if (high < max) {
                lv->limit = high;
                lv->source = LIMIT_V2_HIGH;
        }
        if (want_usage || lv->limit != CGL_UNLIMITED) {
                r = read_value(root, loc, lv->dir_len, "memory.current", &lv->usage);
                if (r < 0)
                        return r;
        }
        r = read_value(root, loc, lv->dir_len, "memory.swap.max", &lv->swap_limit);
        if (r == -ENOENT)
                return 0; /* no swap accounting (CONFIG_MEMCG_SWAP off or swapaccount=0) */
        if (r < 0)
                return r;
        lv->has_swap = true;
        if (lv->swap_limit == CGL_UNLIMITED)
                return 0;
        return read_value(root, loc, lv->dir_len, "memory.swap.current", &lv->swap_usage);
}

static int read_v1_level(const char *root, const struct cgroup_location *loc,
                         struct cgroup_level *lv, bool want_usage)
{
        int r = read_value(root, loc, lv->dir_len, "memory.limit_in_bytes", &lv->limit);
        if (r < 0)
                return r;
        lv->accounted = true;
        lv->source = LIMIT_V1_LIMIT;
        if (want_usage || lv->limit != CGL_UNLIMITED) {
                r = read_value(root, loc, lv->dir_len, "memory.usage_in_bytes", &lv->usage);
                if (r < 0)
                        return r;
        }
        r = read_value(root, loc, lv->dir_len, "memory.memsw.limit_in_bytes", &lv->swap_limit);
        if (r == -ENOENT)
                return 0; /* booted without swap accounting */
        if (r < 0)
                return r;
        lv->has_swap = true;
        return 0;
}

int cgroup_stat_read(const char *root, const struct cgroup_location *loc,
                     const struct cgroup_sample *s, unsigned level, struct memstat *out)
{
        char path[CGL_PATH_MAX];
        char buf[STAT_BUF];
        if (level >= s->nlevels)
                return -EINVAL;
        int r = level_file(path, loc, s->level[level].dir_len, "memory.stat");
        if (r < 0)
                return r;
        r = cgl_read_file(root, path, buf, sizeof(buf));
        if (r < 0)
                return r;
        return memstat_parse(buf, (size_t)r, s->version, out);
}

int cgroup_sample_read(const char *root, const struct cgroup_location *loc,
                       struct cgroup_sample *out)
{
        struct cgroup_sample *s = out;
        s->version = loc->version;
        s->nlevels = 0;
        s->top_is_root = loc->top_is_root;
        s->hierarchical_limit = CGL_UNLIMITED;
        s->hierarchical_memsw = CGL_UNLIMITED;
        s->leaf_stat_valid = false;

        size_t len = strlen(loc->dir);
        if (len < loc->top_len)
                return -EINVAL;
        bool any_accounted = false;
        for (;;) {
                if (s->nlevels == CGL_MAX_LEVELS)
                        return -ELOOP;
                struct cgroup_level *lv = &s->level[s->nlevels];
                memset(lv, 0, sizeof(*lv));
                lv->dir_len = (unsigned short)len;
                lv->limit = CGL_UNLIMITED;
                lv->swap_limit = CGL_UNLIMITED;
                /* The first accounted level's usage stands for the process's own, the top
                 * level's for ancestors hidden above it (v1 hierarchical limits). */
                bool want_usage = !any_accounted || len <= loc->top_len;
                int r = s->version == 2 ? read_v2_level(root, loc, lv, want_usage)
                                        : read_v1_level(root, loc, lv, want_usage);
                if (r < 0)
                        return r;
                any_accounted |= lv->accounted;
                s->nlevels++;
                if (len <= loc->top_len)
                        break;
                while (len > loc->top_len && loc->dir[len - 1] != '/')
                        len--;
                if (len > loc->top_len)
                        len--; /* drop the slash too */
                if (len < loc->top_len)
                        len = loc->top_len;
        }
        if (!any_accounted && s->version == 1)
                return -ENOENT;

        /* A mount root of "/" is the hierarchy's root only outside a cgroup namespace;
         * inside one it is the namespace's root, an ordinary cgroup. v2's real root has no
         * memory.max; v1 shows cgroup.sane_behavior only in the real root
         * (CFTYPE_ONLY_ON_ROOT). */
        if (s->top_is_root) {
                const struct cgroup_level *top = &s->level[s->nlevels - 1];
                if (s->version == 2) {
                        s->top_is_root = !top->accounted;
                } else {
                        char path[CGL_PATH_MAX];
                        int r = level_file(path, loc, top->dir_len, "cgroup.sane_behavior");
                        s->top_is_root = r >= 0 && cgl_path_exists(root, path) == 1;
                }
        }

        if (s->version == 1) {
                int r = cgroup_stat_read(root, loc, s, 0, &s->leaf_stat);
                if (r < 0)
                        return r;
                s->leaf_stat_valid = true;
                if (s->leaf_stat.present & (1u << MS_HIERARCHICAL_LIMIT))
                        s->hierarchical_limit = s->leaf_stat.value[MS_HIERARCHICAL_LIMIT];
                if (s->leaf_stat.present & (1u << MS_HIERARCHICAL_MEMSW))
                        s->hierarchical_memsw = s->leaf_stat.value[MS_HIERARCHICAL_MEMSW];
        }
        return 0;
}
