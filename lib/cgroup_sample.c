#include "cgroup_sample.h"

#include <errno.h>
#include <string.h>

#include "file_read.h"
#include "value_parse.h"

/* Reads one value file. -ENOENT is returned as is so that callers can tell "no such
 * controller file" from garbage. */
static int read_value(struct cgl_io *io, const struct cgroup_location *loc,
                      const struct cgroup_level *lv, const char *name, uint64_t *out)
{
        char buf[64];
        int r = cgroup_level_file(io, loc, lv->dir_len, name);
        if (r < 0)
                return r;
        r = cgl_read_file(io, io->name, buf, sizeof(buf));
        if (r < 0)
                return r;
        return cgl_parse_limit(buf, (size_t)r, out);
}

/* Phase one: the limit of one level, and whether it has the memory controller at all. */
static int read_level_limit(struct cgl_io *io, const struct cgroup_location *loc, int version,
                            struct cgroup_level *lv)
{
        if (version == 1) {
                int r = read_value(io, loc, lv, "memory.limit_in_bytes", &lv->limit);
                if (r < 0)
                        return r;
                lv->accounted = true;
                lv->source = LIMIT_V1_LIMIT;
                return 0;
        }
        uint64_t max, high;
        int r = read_value(io, loc, lv, "memory.max", &max);
        if (r == -ENOENT) {
                /* No memory.max: the parent lacks +memory in cgroup.subtree_control, or this
                 * is the real root. Either way this level neither limits nor accounts. */
                return 0;
        }
        if (r < 0)
                return r;
        r = read_value(io, loc, lv, "memory.high", &high);
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
        return 0;
}

/* What read_level_limit finds in a real root: v1 has the files with the "unlimited" value
 * (mem_cgroup_write refuses a root limit), v2 has no memory.max there. */
static void set_root_limit(int version, struct cgroup_level *lv)
{
        if (version != 1)
                return;
        lv->accounted = true;
        lv->source = LIMIT_V1_LIMIT;
        lv->limit = CGL_UNLIMITED;
}

static int read_level_usage(struct cgl_io *io, const struct cgroup_location *loc, int version,
                            struct cgroup_level *lv)
{
        const char *name = version == 1 ? "memory.usage_in_bytes" : "memory.current";
        return read_value(io, loc, lv, name, &lv->usage);
}

/* v2 swap.max/swap.current, v1 memsw.limit_in_bytes (v1's swap use comes from memory.stat).
 * Missing files mean no swap accounting (CONFIG_MEMCG_SWAP off, or swapaccount=0). */
static int read_level_swap(struct cgl_io *io, const struct cgroup_location *loc, int version,
                           struct cgroup_level *lv)
{
        const char *limit = version == 1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max";
        int r = read_value(io, loc, lv, limit, &lv->swap_limit);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        lv->has_swap = true;
        if (version == 1 || lv->swap_limit == CGL_UNLIMITED)
                return 0;
        return read_value(io, loc, lv, "memory.swap.current", &lv->swap_usage);
}

int cgroup_stat_read(struct cgl_io *io, const struct cgroup_location *loc,
                     const struct cgroup_sample *s, unsigned level, struct memstat *out)
{
        if (level >= s->nlevels)
                return -EINVAL;
        int r = cgroup_level_file(io, loc, s->level[level].dir_len, "memory.stat");
        if (r < 0)
                return r;
        r = cgl_read_file(io, io->name, io->text, sizeof(io->text));
        if (r < 0)
                return r;
        return memstat_parse(io->text, (size_t)r, s->version, out);
}

static void split_levels(const struct cgroup_location *loc, struct cgroup_sample *s)
{
        size_t len = strlen(loc->dir);
        for (;;) {
                struct cgroup_level *lv = &s->level[s->nlevels++];
                memset(lv, 0, sizeof(*lv));
                lv->dir_len = (unsigned short)len;
                lv->limit = CGL_UNLIMITED;
                lv->swap_limit = CGL_UNLIMITED;
                if (len <= loc->top_len || s->nlevels == CGL_MAX_LEVELS)
                        break;
                len = cgroup_parent_len(loc, len);
        }
}

/* A mount root of "/" is the hierarchy's root only outside a cgroup namespace; inside one
 * it is the namespace's root, an ordinary cgroup. v2's real root has no memory.max; v1
 * shows cgroup.sane_behavior only in the real root (CFTYPE_ONLY_ON_ROOT). */
static bool top_is_real_root(struct cgl_io *io, const struct cgroup_location *loc,
                             const struct cgroup_sample *s)
{
        const struct cgroup_level *top = &s->level[s->nlevels - 1];
        if (!loc->top_is_root || top->dir_len != loc->top_len)
                return false;
        if (s->version == 2)
                return !top->accounted;
        return cgroup_level_file(io, loc, top->dir_len, "cgroup.sane_behavior") >= 0 &&
               cgl_path_exists(io, io->name) == 1;
}

int cgroup_sample_read(struct cgl_io *io, const struct cgroup_location *loc,
                       const struct sample_options *opt, struct cgroup_sample *out)
{
        struct cgroup_sample *s = out;
        s->version = loc->version;
        s->nlevels = 0;
        s->top_is_root = false;
        s->no_limit = false;
        s->hierarchical_limit = CGL_UNLIMITED;
        s->hierarchical_memsw = CGL_UNLIMITED;
        s->leaf_stat_valid = false;
        if (strlen(loc->dir) < loc->top_len || (s->version != 1 && s->version != 2))
                return -EINVAL;
        split_levels(loc, s);

        bool may_stop = opt->no_limit_from != CGL_UNLIMITED;
        if (s->version == 1) {
                /* v1 always has the leaf's files, and hierarchical_memory_limit in its
                 * memory.stat is the lowest limit of the leaf and every ancestor, hidden ones
                 * included: when that limits nothing, no level needs reading. */
                int r = cgroup_stat_read(io, loc, s, 0, &s->leaf_stat);
                if (r < 0)
                        return r;
                s->leaf_stat_valid = true;
                const struct memstat *st = &s->leaf_stat;
                if (st->present & (1u << MS_HIERARCHICAL_LIMIT))
                        s->hierarchical_limit = st->value[MS_HIERARCHICAL_LIMIT];
                if (st->present & (1u << MS_HIERARCHICAL_MEMSW))
                        s->hierarchical_memsw = st->value[MS_HIERARCHICAL_MEMSW];
                if (may_stop && s->hierarchical_limit >= opt->no_limit_from) {
                        s->no_limit = true;
                        return 0;
                }
        }

        /* The last level is the mount point only when the walk got there (it stops after
         * CGL_MAX_LEVELS). */
        unsigned top = s->nlevels - 1;
        bool known_root = opt->top_known_root && s->level[top].dir_len == loc->top_len;
        uint64_t lowest_visible = CGL_UNLIMITED;
        for (unsigned i = 0; i < s->nlevels; i++) {
                if (known_root && i > 0 && i == top) {
                        set_root_limit(s->version, &s->level[i]);
                        continue;
                }
                int r = read_level_limit(io, loc, s->version, &s->level[i]);
                if (r < 0)
                        return r;
                if (s->level[i].accounted && s->level[i].limit < lowest_visible)
                        lowest_visible = s->level[i].limit;
        }
        uint64_t lowest =
            s->hierarchical_limit < lowest_visible ? s->hierarchical_limit : lowest_visible;
        if (may_stop && lowest >= opt->no_limit_from) {
                /* Nothing would change the host's figures: skip usage and swap. */
                s->no_limit = true;
                return 0;
        }

        bool own_done = false;
        for (unsigned i = 0; i < s->nlevels; i++) {
                struct cgroup_level *lv = &s->level[i];
                if (!lv->accounted)
                        continue;
                /* The process's own (first accounted) level's usage stands for the process,
                 * the top level's for the ancestors hidden above it; others only matter when
                 * they limit. */
                bool is_top = i == s->nlevels - 1;
                bool hidden_binds = s->hierarchical_limit < lowest_visible;
                bool limits = lv->limit < opt->host_total;
                if (!own_done || limits || (is_top && hidden_binds)) {
                        int r = read_level_usage(io, loc, s->version, lv);
                        if (r < 0)
                                return r;
                }
                own_done = true;
                if (opt->want_swap) {
                        int r = read_level_swap(io, loc, s->version, lv);
                        if (r < 0)
                                return r;
                }
        }
        s->top_is_root = opt->need_root_check && (known_root || top_is_real_root(io, loc, s));
        return 0;
}
